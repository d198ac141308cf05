import GRDB

/// Fast validated, audited inserts of many rows of one collection inside one transaction the
/// caller controls (CSV import). Columns are fixed up front; each row is given positionally in
/// that order. Statements are prepared once, reference lookups are cached for the run, and
/// each row is fully validated before it is written: a `ValidationError` leaves that row
/// unwritten (the caller decides whether to continue collecting errors and then roll back).
/// Any other error leaves the transaction in an unknown state: roll it back.
///
/// Example:
/// ```swift
/// try ws.write { db in
///     let bulk = try ws.bulkWriter("members", columns: ["household_id", "number", "name"],
///                                  context: ctx, in: db)
///     for line in lines { try bulk.insert([.integer(hid), .text(line[0]), .text(line[1])]) }
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
    private let db: Database
    private let fieldIndexes: [Int?]  // per column: field index, nil for `id`
    private let idColumn: Int?
    private let statement: Statement
    private let statementWithID: Statement?
    private let insertedIndexes: [Int]
    private let defaultRow: [DatabaseValue]
    private var row: [DatabaseValue]
    private var arguments: [DatabaseValue]
    private let cache = ReferenceCache()
    private let time: String
    private let auditStatement: Statement

    init(workspace: Workspace, collection: String, columns: [String], context: WriteContext, db: Database) throws {
        self.workspace = workspace
        let engine = try workspace.engine(collection, db, context)
        self.engine = engine
        self.db = db
        let compiled = engine.compiled
        self.collection = compiled.schema
        self.columns = columns
        var indexes: [Int?] = []
        var idColumn: Int?
        var seen = Set<String>()
        for (position, column) in columns.enumerated() {
            if !seen.insert(column).inserted {
                throw ValidationError(collection: collection, field: column, value: "", reason: "is given twice")
            }
            if column == CollectionSchema.idField {
                idColumn = position
                indexes.append(nil)
            } else if let index = compiled.schema.index(of: column) {
                indexes.append(index)
            } else {
                throw ValidationError(collection: collection, field: column, value: "",
                                      reason: "is not a field of \(collection) (\(compiled.schema.label))")
            }
        }
        fieldIndexes = indexes
        self.idColumn = idColumn
        var defaultRow = [DatabaseValue](repeating: .null, count: compiled.fieldNames.count)
        for (index, value) in compiled.defaults { defaultRow[index] = value }
        self.defaultRow = defaultRow
        row = defaultRow
        // Every field is written: given values, defaults, or null.
        insertedIndexes = Array(0..<compiled.fieldNames.count)
        statement = try db.makeStatement(sql: compiled.insertSQL(fieldIndexes: insertedIndexes, withID: false))
        statementWithID = idColumn == nil ? nil
            : try db.makeStatement(sql: compiled.insertSQL(fieldIndexes: insertedIndexes, withID: true))
        arguments = []
        arguments.reserveCapacity(compiled.fieldNames.count + 1)
        time = context.timestamp()
        auditStatement = try db.makeStatement(sql: AuditLog.insertSQL)
    }

    /// The position in `columns` of `field` (to report a `ValidationError` by CSV column).
    public func columnIndex(of field: String) -> Int? { columns.firstIndex(of: field) }

    /// Converts, validates and inserts one row (values in `columns` order); returns the new id.
    @discardableResult
    public func insert(_ values: [FieldInput]) throws -> Int64 {
        let explicitID = try fill(values)
        try engine.checkRecord(row)
        try engine.checkReferences(row, cache: cache)
        let target: Statement
        arguments.removeAll(keepingCapacity: true)
        if let explicitID, let statementWithID {
            arguments.append(explicitID.databaseValue)
            target = statementWithID
        } else {
            target = statement
        }
        arguments.append(contentsOf: row)
        target.setUncheckedArguments(StatementArguments(arguments))
        try engine.executeMappingConstraints(target, row: row)
        let id = db.lastInsertedRowID
        auditStatement.setUncheckedArguments([
            time, engine.context.operator, engine.context.source, collection.name, id,
            AuditLog.Action.insert.rawValue, nil,
            AuditJSON.object(id: id, names: engine.compiled.fieldNames, values: row),
        ])
        try auditStatement.execute()
        insertedCount += 1
        return id
    }

    /// Updates the record whose `key` field equals this row's value for it (the given columns
    /// only), or inserts the row when there is none. Returns the id and whether it was inserted.
    @discardableResult
    public func upsert(_ values: [FieldInput], key: String) throws -> (id: Int64, inserted: Bool) {
        guard let keyColumn = columns.firstIndex(of: key), values.count == columns.count else {
            throw ValidationError(collection: collection.name, field: key, value: "", reason: "is not among the columns")
        }
        if let existing = try workspace.findID(collection.name, where: key, is: values[keyColumn], in: db) {
            var named: [String: FieldInput] = [:]
            for (column, value) in zip(columns, values) where column != CollectionSchema.idField { named[column] = value }
            try engine.update(existing, named)
            updatedCount += 1
            return (existing, false)
        }
        return (try insert(values), true)
    }

    /// Fills `row` from positional values; returns an explicit id if one was given.
    private func fill(_ values: [FieldInput]) throws -> Int64? {
        guard values.count == columns.count else {
            throw ValidationError(collection: collection.name, field: columns.first ?? "", value: "",
                                  reason: "row has \(values.count) values for \(columns.count) columns")
        }
        row = defaultRow
        var explicitID: Int64?
        for position in 0..<values.count {
            guard let index = fieldIndexes[position] else {
                explicitID = try engine.convertID(values[position])
                continue
            }
            let value = try engine.compiled.converters[index].convert(values[position], today: engine.today)
            if !value.isNull || defaultRow[index].isNull { row[index] = value }
        }
        return explicitID
    }
}

extension Workspace {
    /// A bulk writer for `collection` inside the caller's transaction (`write { db in ... }`).
    /// Unknown or repeated column names are rejected, naming them.
    public func bulkWriter(_ collection: String, columns: [String], context: WriteContext, in db: Database) throws -> BulkWriter {
        try BulkWriter(workspace: self, collection: collection, columns: columns, context: context, db: db)
    }
}
