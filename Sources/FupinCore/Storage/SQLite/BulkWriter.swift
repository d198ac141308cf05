import GRDB
import GRDBSQLite

/// Fast validated, audited inserts of many rows of one collection inside one transaction the
/// caller controls (CSV import). Columns are fixed up front; each row is given positionally in
/// that order. Statements are prepared once, rows are bound straight to SQLite, reference
/// lookups are cached for the run, and each row is fully validated before it is written: a
/// `ValidationError` leaves that row unwritten (the caller may go on collecting errors, then
/// roll back). Any other error leaves the transaction in an unknown state: roll it back.
///
/// Inserts are audited in entries of up to `auditChunkSize` consecutive records, in the
/// columnar JSON form (see `AuditEntry`): call `finish()` before the transaction ends — or use
/// `Workspace.bulkInsert`, which does. Use a writer only inside the transaction that made it.
///
/// Example:
/// ```swift
/// try ws.write { db in
///     try ws.bulkInsert("members", columns: ["household_id", "number", "name"], context: ctx, in: db) { bulk in
///         for line in lines { try bulk.insert([.integer(hid), .text(line[0]), .text(line[1])]) }
///     }
/// }
/// ```
public final class BulkWriter {
    /// The collection written.
    public let collection: CollectionSchema
    /// Column names in row order (field names, optionally `id`).
    public let columns: [String]
    /// Rows inserted so far.
    public private(set) var insertedCount = 0
    /// Rows updated so far by `upsert`.
    public private(set) var updatedCount = 0

    private let workspace: Workspace
    private let engine: RecordEngine
    private let store: any StoreConnection
    /// The highest id given by an inserted row (stores that number records with a sequence
    /// move it past this in `finish`).
    private var highestExplicitID: Int64?
    /// SQLite's statements, bound and stepped raw (nil on another store).
    private let sqlite: SQLiteStatements?
    /// Any other store's statements, through the protocol (nil on SQLite).
    private let generic: GenericStatements?
    /// PostgreSQL's fast path, COPY in batches (nil on other stores, for a collection that
    /// refers to itself, whose rows must be in the table before the next row's check, and where
    /// the server's row-level security checks each insert).
    private let copy: PostgresBulkCopy?
    private let fieldIndexes: [Int?]  // per column: field index, nil for `id`
    private let idColumn: Int?
    private let insertedIndexes: [Int]
    /// Fields left out of the insert because the role may not insert them (personal columns
    /// of a role granted `write` without `pii`): they stay empty, checked for each row.
    private let withheldIndexes: [Int]
    private let defaultRow: [SQLValue]
    private var row: [SQLValue]
    private var auditValues: [SQLValue]
    private var keyProbes: [Int: any StoreStatement] = [:]
    /// Reused storage for the text values of the row being inserted (bound without copies).
    private var textArena: [UInt8] = []
    /// The collection's converters and the date they check against, held here so the per-row
    /// loop does not reach them through the engine.
    private let converters: [FieldConverter]
    private let today: CalendarDate
    private var pendingCount = 0
    private var pendingFirstID: Int64 = 0
    private var pendingLastID: Int64 = 0
    /// Inserts per bulk audit entry.
    public var auditChunkSize = 1000
    /// Audit entries made while a COPY was open, written once it has ended (the connection
    /// runs nothing else during a COPY).
    private var pendingAudits: [[SQLValue]] = []
    /// The same, as tuples of binary COPY, where PostgreSQL's fast path copies them.
    private var pendingAuditTuples: [UInt8] = []
    /// How many rows the caller expects to insert, when it knows: PostgreSQL's fast path takes
    /// that many ids from the sequence ahead (ids taken and not used leave a gap).
    public var expectedInserts: Int? {
        get { copy?.expected }
        set { copy?.expected = newValue }
    }
    private var json: AuditJSONBuffer
    private let cache = ReferenceCache()
    /// Unique fields this writer checks itself (`checkUnique`), and the values written of each.
    private var writtenKeys: WrittenKeys
    /// Per field, where a copied row's COPY text holds it (`insertCopied`).
    private var copiedFieldRanges: [Range<Int>] = []
    /// The last field that refers to another record (-1: none), the last of a copied row's
    /// fields the reference check reads.
    private let lastReferenceField: Int
    private let time: String

    /// The statements of the SQLite fast path.
    private struct SQLiteStatements {
        let db: Database
        let insert: Statement
        let insertWithID: Statement?
        let audit: Statement
    }

    /// The statements of any other store.
    private struct GenericStatements {
        let insert: any StoreStatement
        let insertWithID: (any StoreStatement)?
        let audit: any StoreStatement
    }

    init(workspace: Workspace, collection: String, columns: [String], context: WriteContext, store: any StoreConnection)
        throws
    {
        self.workspace = workspace
        let engine = try workspace.engine(collection, store, context)
        self.engine = engine
        self.store = store
        let compiled = engine.compiled
        self.collection = compiled.schema
        converters = compiled.converters
        today = engine.today
        self.columns = columns
        var indexes: [Int?] = []
        var idColumn: Int?
        var seen = Set<String>()
        // Personal columns of a role without `pii`: the server refuses an INSERT naming them,
        // so they are not named, and a file that gives one is refused before anything is written.
        let withheld = (store as? PostgresStoreConnection)?.uninsertableColumns[collection] ?? []
        for (position, column) in columns.enumerated() {
            if !seen.insert(column).inserted {
                throw ValidationError(collection: collection, field: column, value: "", reason: "is given twice")
            }
            if withheld.contains(column) { throw Self.withheldError(collection, column) }
            if column == CollectionSchema.idField {
                idColumn = position
                indexes.append(nil)
            } else if let index = compiled.schema.index(of: column) {
                indexes.append(index)
            } else {
                throw ValidationError(
                    collection: collection, field: column, value: "",
                    reason: "is not a field of \(collection) (\(compiled.schema.label))")
            }
        }
        fieldIndexes = indexes
        self.idColumn = idColumn
        var defaultRow = [SQLValue](repeating: .null, count: compiled.fieldNames.count)
        for (index, value) in compiled.defaults { defaultRow[index] = value }
        self.defaultRow = defaultRow
        row = defaultRow
        // Every field is written (given values, defaults, or null) but those the role may not.
        insertedIndexes = compiled.fieldNames.indices.filter { !withheld.contains(compiled.fieldNames[$0]) }
        withheldIndexes = compiled.fieldNames.indices.filter { withheld.contains(compiled.fieldNames[$0]) }
        let insertSQL = compiled.insertSQL(
            fieldIndexes: insertedIndexes, withID: false, verb: compiled.dialect.singleRowInsert)
        let insertWithIDSQL =
            idColumn == nil
            ? nil
            : compiled.insertSQL(fieldIndexes: insertedIndexes, withID: true, verb: compiled.dialect.singleRowInsert)
        if let connection = store as? SQLiteConnection {
            let db = connection.db
            sqlite = SQLiteStatements(
                db: db, insert: try db.makeStatement(sql: insertSQL),
                insertWithID: try insertWithIDSQL.map { try db.makeStatement(sql: $0) },
                audit: try db.makeStatement(sql: AuditLog.bulkInsertSQL))
            generic = nil
            copy = nil
        } else {
            sqlite = nil
            // COPY writes whole rows: not where some columns are withheld (such a role is under
            // row-level security anyway, where the server refuses COPY FROM).
            if let postgres = store as? PostgresStoreConnection, withheld.isEmpty,
                !compiled.references.contains(where: { $0.1 == compiled.name })
            {
                copy = try PostgresBulkCopy.make(
                    postgres, table: compiled.name, fields: insertedIndexes.map { compiled.fieldNames[$0] })
            } else {
                copy = nil
            }
            generic = GenericStatements(
                insert: try store.prepare(insertSQL, reuse: false),
                insertWithID: try insertWithIDSQL.map { try store.prepare($0, reuse: false) },
                audit: try store.prepare(AuditLog.bulkInsertSQL(store.dialect), reuse: false))
        }
        writtenKeys = WrittenKeys(collection: compiled.schema)
        lastReferenceField = compiled.references.map(\.0).max() ?? -1
        time = context.timestamp()
        json = AuditJSONBuffer(keys: compiled.jsonKeys, names: compiled.fieldNames)
        auditValues = [
            time.sqlValue, context.operator.sqlValue, context.source.sqlValue,
            collection.sqlValue,
        ]
    }

    /// The refusal of a personal column the role may not write.
    static func withheldError(_ collection: String, _ field: String) -> ValidationError {
        ValidationError(
            collection: collection, field: field, value: "",
            reason:
                "is personal data and your PostgreSQL role may not write it: that needs a --pii grant (fupin access grant ROLE --town TOWN --write --pii)"
        )
    }

    /// Writes the audit entry of the inserts not yet recorded. Call before the transaction
    /// ends (`Workspace.bulkInsert` does); updates made by `upsert` flush first themselves.
    public func finish() throws {
        try flushAudit()
        try flushCopy()
        if let highestExplicitID {
            try store.dialect.catchUpIdentity(collection.name, past: highestExplicitID, in: store)
            self.highestExplicitID = nil
        }
    }

    private func flushAudit() throws {
        guard pendingCount > 0 else { return }
        json.endRows()
        guard let sqlite else {
            if let copy, copy.copiesAudit {
                // Copied as the bytes it was built in: no String, no statement per entry.
                PostgresBulkCopy.appendAudit(
                    auditValues, first: pendingFirstID, last: pendingLastID, after: json.bytes, to: &pendingAuditTuples)
                pendingCount = 0
                json.reset()
                if !copy.isOpen { try writePendingAudits() }
                return
            }
            let text = String(decoding: json.bytes, as: UTF8.self)
            let arguments = auditValues + [.integer(pendingFirstID), .integer(pendingLastID), .text(text)]
            pendingCount = 0
            json.reset()
            pendingAudits.append(arguments)
            if copy?.isOpen != true { try writePendingAudits() }
            return
        }
        let handle = sqlite.audit.sqliteStatement
        sqlite3_reset(handle)
        for (offset, value) in auditValues.enumerated() { SQLiteBinding.bind(value, handle, Int32(offset + 1)) }
        sqlite3_bind_int64(handle, 5, pendingFirstID)
        sqlite3_bind_int64(handle, 6, pendingLastID)
        SQLiteBinding.bindText(json.bytes, handle, 7)
        pendingCount = 0
        json.reset()
        try SQLiteBinding.step(sqlite.audit, db: sqlite.db)
    }

    /// Copies the rows PostgreSQL's fast path holds, so the table has them, and writes the
    /// audit entries made meanwhile.
    private func flushCopy() throws {
        do {
            try copy?.flush()
        } catch let refusal as PostgresBulkCopy.Refusal {
            throw refused(refusal)
        }
        try writePendingAudits()
    }

    private func writePendingAudits() throws {
        if !pendingAuditTuples.isEmpty {
            try copy?.copyAudit(pendingAuditTuples)
            pendingAuditTuples.removeAll(keepingCapacity: true)
        }
        guard !pendingAudits.isEmpty, let audit = generic?.audit else { return }
        for arguments in pendingAudits { try audit.execute(arguments) }
        pendingAudits.removeAll()
    }

    /// The failure of a COPY the writer left open, which ended before another statement
    /// (a `DeferredRowError` for a refused row), taken; nil when there was none. A caller that
    /// met an error while the writer was in use asks, to report the row rather than the
    /// aborted transaction.
    public func takeDeferredFailure() -> Error? {
        guard let failure = copy?.takeFailure() else { return nil }
        if let refusal = failure as? PostgresBulkCopy.Refusal { return refused(refusal) }
        return failure
    }

    /// The error for a row the server refused in a COPY: a `DeferredRowError` naming the row
    /// and field when the refusal was a constraint on a field, else the server's own error.
    private func refused(_ refusal: PostgresBulkCopy.Refusal) -> Error {
        // The row as stored, read back from its COPY text by each field's storage class.
        var row = zip(collection.fields, refusal.fields).map { field, text -> SQLValue in
            guard let text else { return .null }
            switch field.type.storage {
            case .integer: return Int64(text).map(SQLValue.integer) ?? .text(text)
            case .real: return Double(text).map(SQLValue.real) ?? .text(text)
            case .text: return .text(text)
            }
        }
        while row.count < collection.fields.count { row.append(.null) }
        guard case .constraint(let kind, let table, let column)? = StoreFailure.of(refusal.error),
            let error = engine.constraintError(
                refusal.error, kind: kind, table: table, column: column, row: row)
                as? ValidationError
        else { return refusal.error }
        return DeferredRowError(line: refusal.line, error: error)
    }

    /// Takes `ids` of `collection` as existing, valid records for this writer's reference
    /// checks (records the same import has just inserted), so they are not looked up one by one.
    public func assumeValid(_ collection: String, ids: some Sequence<Int64>) {
        for id in ids { cache.remember(collection, id) }
    }

    /// Makes this writer refuse a row whose value of `fields` (unique fields of one column) it
    /// has already written, as the store's unique key would: for a load into empty tables
    /// whose unique keys were dropped until the rows are in (`PostgresBulkLoad`). Values are
    /// compared as stored (`WrittenKeys`).
    public func checkUnique(_ fields: [String]) {
        for field in fields {
            guard let index = collection.index(of: field) else { continue }
            writtenKeys.add(field: index, capacity: min(expectedInserts ?? 0, 1 << 22))
        }
    }

    /// The position in `columns` of `field` (to report a `ValidationError` by CSV column).
    public func columnIndex(of field: String) -> Int? { columns.firstIndex(of: field) }

    /// Converts, validates and inserts one row (values in `columns` order); returns the new id.
    /// `line` labels the row in a `DeferredRowError` (the file's row number).
    @discardableResult
    public func insert(_ values: [FieldInput], line: Int? = nil) throws -> Int64 {
        let explicitID = try fill(values)
        try RecordEngine.derive(&row, compiled: engine.compiled)
        try engine.checkRecord(row)
        return try insertFilled(explicitID: explicitID, line: line)
    }

    /// Writes the rows PostgreSQL's fast path holds (nothing to do on other stores), so that a
    /// query of the table sees every row inserted so far.
    public func writePending() throws {
        try flushCopy()
    }

    /// A converter of rows for this writer that needs no database, so rows can be converted
    /// and checked on another thread while this one writes (see `insert(_:at:line:)`).
    public var preparer: RowPreparer {
        RowPreparer(
            compiled: engine.compiled, converters: converters, fieldIndexes: fieldIndexes,
            defaultRow: defaultRow, today: today, copyForm: copy != nil)
    }

    /// Inserts row `index` of `rows`, made by `preparer` (converted and checked apart from
    /// references and uniqueness, which are checked here); returns the new id. Same auditing
    /// as `insert`. `line` labels the row in a `DeferredRowError` (the file's row number).
    @discardableResult
    public func insert(_ rows: PreparedRows, at index: Int, line: Int? = nil) throws -> Int64 {
        guard rows.fieldCount == row.count, rows.copyForm == (copy != nil) else {
            throw ValidationError(
                collection: collection.name, field: columns.first ?? "", value: "",
                reason: "prepared rows do not fit this writer (\(rows.fieldCount) fields)")
        }
        let explicitID = rows.explicitID(index)
        guard rows.copyForm, let copy else {
            var field = 0
            for value in rows.rowValues(index) {
                row[field] = value
                field += 1
            }
            return try rows.withTexts(index) { _, tail in
                try insertFilled(explicitID: explicitID, auditTail: tail, line: line)
            }
        }
        // The closures take what they need, not `rows`: a captured batch is copied, five
        // retains and releases a row.
        return try rows.withTexts(index) { text, tail in
            try reportingRefusedRow {
                try insertCopied(text, copy, explicitID: explicitID, auditTail: tail, line: line)
            }
        }
    }

    /// Checks references, writes `row` and audits it (with the audit text's tail when it was
    /// made ahead).
    private func insertFilled(
        explicitID: Int64?, auditTail: UnsafeBufferPointer<UInt8>? = nil, line: Int? = nil
    ) throws -> Int64 {
        try reportingRefusedRow { try writeFilled(explicitID: explicitID, auditTail: auditTail, line: line) }
    }

    /// Runs `body`, and for an error it meets reports instead the row a COPY refused, if any: a
    /// statement on PostgreSQL's fast path may meet the transaction that refusal aborted.
    private func reportingRefusedRow<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw takeDeferredFailure() ?? error
        }
    }

    private func writeFilled(explicitID: Int64?, auditTail: UnsafeBufferPointer<UInt8>?, line: Int?) throws -> Int64 {
        // A default or derived value in a withheld column could not be stored: refuse the row.
        for index in withheldIndexes where !row[index].isNull {
            throw Self.withheldError(collection.name, collection.fields[index].name)
        }
        try engine.checkReferences(row, cache: cache)
        try writtenKeys.check(row)
        let id: Int64
        if let sqlite {
            if let explicitID, let withID = sqlite.insertWithID {
                try execute(withID, leading: explicitID.sqlValue)
            } else {
                try execute(sqlite.insert, leading: nil)
            }
            id = sqlite.db.lastInsertedRowID
        } else if let copy {
            id = try copyRow(copy, explicitID: explicitID) { try copy.append(id: $0, row, line: line) }
        } else if let generic {
            if let explicitID { highestExplicitID = max(highestExplicitID ?? explicitID, explicitID) }
            let statement = explicitID != nil ? generic.insertWithID ?? generic.insert : generic.insert
            let values = withheldIndexes.isEmpty ? row : insertedIndexes.map { row[$0] }
            let arguments =
                (explicitID != nil && generic.insertWithID != nil ? [.integer(explicitID ?? 0)] : []) + values
            id = try engine.mappingConstraints(row: row) { try statement.insert(arguments) }
        } else {
            throw StorageFailure("bulk writer has no statements")
        }
        try audit(id: id, tail: auditTail)
        return id
    }

    /// Checks the references and unique keys of a row given as its COPY text (read from that
    /// text: no values), copies it and audits it.
    private func insertCopied(
        _ text: UnsafeBufferPointer<UInt8>, _ copy: PostgresBulkCopy, explicitID: Int64?,
        auditTail: UnsafeBufferPointer<UInt8>, line: Int?
    ) throws -> Int64 {
        locateCopiedFields(text)
        for (index, target) in engine.compiled.references {
            let field = UnsafeBufferPointer(rebasing: text[copiedFieldRanges[index]])
            guard let id = Int64(copyText: field) else { continue }
            try engine.checkReference(index, of: target, id: id, cache: cache)
        }
        try writtenKeys.check(copied: text, ranges: copiedFieldRanges)
        let id = try copyRow(copy, explicitID: explicitID) { try copy.append(id: $0, text: text, line: line) }
        try audit(id: id, tail: auditTail)
        return id
    }

    /// Takes a row's id (the one it gives, or the sequence's next), writes the audit entries
    /// made while no COPY was open, and lets `append` add the row with that id to the COPY; a
    /// row the server refused is reported with its own line. Returns the id.
    private func copyRow(_ copy: PostgresBulkCopy, explicitID: Int64?, _ append: (Int64) throws -> Void) throws
        -> Int64
    {
        if let explicitID { highestExplicitID = max(highestExplicitID ?? explicitID, explicitID) }
        let id = try explicitID ?? copy.nextID()
        if !copy.isOpen { try writePendingAudits() }
        do {
            try append(id)
        } catch let refusal as PostgresBulkCopy.Refusal {
            throw refused(refusal)
        }
        return id
    }

    /// Sets `copiedFieldRanges` to where each field the writer checks (references, unique
    /// keys) lies in a row's COPY text (a tab before each field, a newline at the end).
    private func locateCopiedFields(_ text: UnsafeBufferPointer<UInt8>) {
        if copiedFieldRanges.count != row.count {
            copiedFieldRanges = [Range<Int>](repeating: 0..<0, count: row.count)
        }
        let last = max(writtenKeys.fields.max() ?? -1, lastReferenceField)
        var position = 0
        var field = 0
        while field <= last && position < text.count {
            let start = position + 1
            var end = start
            while end < text.count && text[end] != 9 && text[end] != 10 { end += 1 }
            copiedFieldRanges[field] = start..<end
            position = end
            field += 1
        }
    }

    /// Adds the inserted row `id` to the pending audit entry (its text after the id made
    /// ahead as `tail`, or else from `row`), writing the entry when it is full or the ids
    /// stop being consecutive.
    private func audit(id: Int64, tail: UnsafeBufferPointer<UInt8>?) throws {
        if pendingCount == 0 {
            pendingFirstID = id
            json.reset()
            json.beginRows()
        } else {
            json.append(UInt8(ascii: ","))
        }
        if let tail {
            json.writeRow(id: id, tail: tail)
        } else {
            json.writeRow(id: id, values: row)
        }
        pendingCount += 1
        pendingLastID = id
        if pendingCount >= auditChunkSize || id != pendingFirstID + Int64(pendingCount) - 1 {
            try flushAudit()
        }
        insertedCount += 1
    }

    /// Updates the record whose `key` field equals this row's value for it (the given columns
    /// only), or inserts the row when there is none. Returns the id and whether it was inserted.
    @discardableResult
    public func upsert(_ values: [FieldInput], key: String) throws -> (id: Int64, inserted: Bool) {
        guard let keyColumn = columns.firstIndex(of: key), values.count == columns.count else {
            throw ValidationError(
                collection: collection.name, field: key, value: "", reason: "is not among the columns")
        }
        guard let keyIndex = fieldIndexes[keyColumn] else {
            throw ValidationError(collection: collection.name, field: key, value: "", reason: "cannot be an upsert key")
        }
        let keyValue = try engine.compiled.converters[keyIndex].convert(values[keyColumn], today: engine.today)
        // The probe and an update must see the rows copied so far.
        try flushCopy()
        if keyValue.isNull {
            throw ValidationError(
                collection: collection.name, field: key, value: "", reason: "is required to find the record")
        }
        let probe: any StoreStatement
        if let cached = keyProbes[keyIndex] {
            probe = cached
        } else {
            let d = engine.compiled.dialect
            let order =
                engine.compiled.validIndex != nil ? " ORDER BY \(d.quote(CollectionSchema.validField)) DESC" : ""
            probe = try store.prepare(
                "SELECT \(d.quote(CollectionSchema.idField)) FROM \(engine.compiled.quotedTable) WHERE \(d.quote(key)) = \(d.placeholder(1))\(order) LIMIT 1",
                reuse: false)
            keyProbes[keyIndex] = probe
        }
        var found: Int64?
        try probe.query([keyValue]) { row in
            found = row.integer(0)
            return false
        }
        if let existing = found {
            try flushAudit()
            var named: [String: FieldInput] = [:]
            for (column, value) in zip(columns, values) where column != CollectionSchema.idField {
                named[column] = value
            }
            try engine.update(existing, named)
            updatedCount += 1
            return (existing, false)
        }
        return (try insert(values), true)
    }

    private func execute(_ statement: Statement, leading: SQLValue?) throws {
        guard let db = sqlite?.db else { throw StorageFailure("bulk writer has no SQLite connection") }
        try engine.mappingConstraints(row: row) {
            try SQLiteBinding.execute(statement, leading: leading, values: row, db: db, arena: &textArena)
        }
    }

    /// Fills `row` from positional values; returns an explicit id if one was given.
    private func fill(_ values: [FieldInput]) throws -> Int64? {
        guard values.count == columns.count else {
            throw ValidationError(
                collection: collection.name, field: columns.first ?? "", value: "",
                reason: "row has \(values.count) values for \(columns.count) columns")
        }
        for index in 0..<row.count { row[index] = defaultRow[index] }
        var explicitID: Int64?
        for position in 0..<values.count {
            guard let index = fieldIndexes[position] else {
                explicitID = try engine.convertID(values[position])
                continue
            }
            let value = try converters[index].convert(values[position], today: today)
            if !value.isNull || defaultRow[index].isNull { row[index] = value }
        }
        return explicitID
    }
}

extension Workspace {
    /// A bulk writer for `collection` inside the caller's transaction (`write { db in ... }`).
    /// Unknown or repeated column names are rejected, naming them.
    /// Call `finish()` on it before the transaction ends, or use `bulkInsert`.
    public func bulkWriter(_ collection: String, columns: [String], context: WriteContext, in db: Database) throws
        -> BulkWriter
    {
        try BulkWriter(
            workspace: self, collection: collection, columns: columns, context: context, store: connection(db))
    }

    /// A bulk writer on `store`'s connection: SQLite's raw statements with arena-bound text on
    /// a SQLite connection, prepared statements of the protocol on any other store (which may
    /// bring a faster path of its own, such as COPY).
    func bulkWriter(_ collection: String, columns: [String], context: WriteContext, in store: any StoreConnection)
        throws -> BulkWriter
    {
        try BulkWriter(workspace: self, collection: collection, columns: columns, context: context, store: store)
    }

    /// Runs `body` with a bulk writer for `collection` and finishes it (writes its last audit
    /// entry) when `body` returns. Returns what `body` returns.
    public func bulkInsert<T>(
        _ collection: String, columns: [String], context: WriteContext, in db: Database,
        _ body: (BulkWriter) throws -> T
    ) throws -> T {
        let writer = try bulkWriter(collection, columns: columns, context: context, in: db)
        let result = try body(writer)
        try writer.finish()
        return result
    }
}

/// A row the store refused after the bulk writer had accepted it: PostgreSQL's fast path writes
/// rows in batches (COPY), and a key or reference only the server checks fails when the batch
/// is copied. The store's transaction is then aborted: roll it back.
public struct DeferredRowError: Error, Sendable, CustomStringConvertible {
    /// The label the row was given (`insert(_:at:line:)`), nil when none was.
    public let line: Int?
    public let error: ValidationError
    public var description: String { line.map { "row \($0): \(error)" } ?? "\(error)" }
}
