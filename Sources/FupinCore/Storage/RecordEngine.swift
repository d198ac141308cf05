/// The write engine shared by single writes and bulk writes: converts and validates a whole
/// record before anything is written, then writes the record and its audit row.
struct RecordEngine {
    let store: any StoreConnection
    let compiled: CompiledCollection
    let resolve: (String) -> CompiledCollection?
    let context: WriteContext
    let today: CalendarDate

    private var name: String { compiled.name }

    // MARK: Validation

    /// Converts named inputs into a storage row (nil = not given). Unknown names are rejected,
    /// naming them. `id` is returned separately.
    func convert(_ values: [String: FieldInput], storageForm: Bool = false) throws -> (row: [SQLValue?], id: Int64?) {
        var row = [SQLValue?](repeating: nil, count: compiled.converters.count)
        var id: Int64?
        for (key, input) in values {
            guard let index = compiled.schema.index(of: key) else {
                if key == CollectionSchema.idField {
                    id = try convertID(input)
                    continue
                }
                throw ValidationError(
                    collection: name, field: key, value: "",
                    reason: "is not a field of \(name) (\(compiled.schema.label))")
            }
            row[index] = try compiled.converters[index].convert(input, storageForm: storageForm, today: today)
        }
        return (row, id)
    }

    func convertID(_ input: FieldInput) throws -> Int64? {
        try RecordEngine.convertID(input, collection: name)
    }

    /// A record id given as input (nil when blank); no database needed.
    static func convertID(_ input: FieldInput, collection name: String) throws -> Int64? {
        switch input {
        case .null: return nil
        case .integer(let value) where value > 0: return value
        case .double(let value) where value > 0 && value == value.rounded() && value < 9e15: return Int64(value)
        case .text(let text):
            if text.trimmingSpaces().isEmpty { return nil }
            if let value = Int64(text.trimmingSpaces()), value > 0 { return value }
        default: break
        }
        throw ValidationError(
            collection: name, field: CollectionSchema.idField, value: input.display, reason: "is not a record id")
    }

    /// Checks required fields and cross-field rules on a complete row.
    func checkRecord(_ row: [SQLValue]) throws {
        try RecordEngine.checkRecord(row, compiled: compiled)
    }

    /// The same check with no database (bulk rows prepared on another thread).
    static func checkRecord(_ row: [SQLValue], compiled: CompiledCollection) throws {
        let name = compiled.name
        func display(_ value: SQLValue) -> String { RecordEngine.display(value) }
        for index in compiled.requiredIndexes where row[index].isNull {
            throw ValidationError(collection: name, field: compiled.fieldNames[index], value: "", reason: "is required")
        }
        for rule in compiled.rules {
            switch rule {
            case .atLeastOne(let indexes):
                if indexes.allSatisfy({ row[$0].isNull }) {
                    let names = indexes.map { compiled.fieldNames[$0] }.joined(separator: " or ")
                    throw ValidationError(
                        collection: name, field: compiled.fieldNames[indexes[0]], value: "",
                        reason: "is missing: give \(names)")
                }
            case .product, .transitions:
                break  // applied by `derive` before the checks; transitions by `update`
            case .notBefore(let later, let earlier):
                if RecordEngine.precedes(row[later], row[earlier]) {
                    throw ValidationError(
                        collection: name, field: compiled.fieldNames[later], value: display(row[later]),
                        reason: "is before \(compiled.fieldNames[earlier]) \(display(row[earlier]))")
                }
            }
        }
    }

    /// Checks the allowed changes of fields with a transitions rule (old value → new value).
    func checkTransitions(from before: [SQLValue], to after: [SQLValue]) throws {
        for rule in compiled.rules {
            guard case .transitions(let index, let allowed) = rule,
                case .text(let old) = before[index], case .text(let new) = after[index],
                old != new, let next = allowed[old], !next.contains(new)
            else { continue }
            let options = next.isEmpty ? "nothing: it is final" : next.joined(separator: ", ")
            throw ValidationError(
                collection: name, field: compiled.fieldNames[index], value: new,
                reason: "cannot follow \(old) (after \(old) comes \(options))")
        }
    }

    /// Checks that every given reference names an existing, valid record.
    func checkReferences(_ row: [SQLValue], only changed: Set<Int>? = nil, cache: ReferenceCache? = nil) throws {
        for (index, target) in compiled.references {
            if let changed, !changed.contains(index) { continue }
            guard case .integer(let id) = row[index] else { continue }
            try checkReference(index, of: target, id: id, cache: cache)
        }
    }

    /// Checks that field `index`'s value `id` is the id of a valid record of `target` (known
    /// to `cache`, or looked up and then remembered there).
    func checkReference(_ index: Int, of target: String, id: Int64, cache: ReferenceCache?) throws {
        if let cache, cache.isKnownValid(target, id) { return }
        guard let targetCompiled = resolve(target) else { throw WorkspaceError.unknownCollection(target) }
        guard let valid = try store.fetchInt(targetCompiled.existenceSQL, [.integer(id)], reuse: true) else {
            throw ValidationError(
                collection: name, field: compiled.fieldNames[index], value: String(id),
                reason: "is not the id of a record of \(target)")
        }
        if valid == 0 {
            throw ValidationError(
                collection: name, field: compiled.fieldNames[index], value: String(id),
                reason: "refers to a removed (invalid) record of \(target)")
        }
        cache?.remember(target, id)
    }

    /// Checks unique fields against other records.
    func checkUnique(_ row: [SQLValue], id: Int64, only changed: Set<Int>? = nil) throws {
        for index in compiled.uniqueIndexes where !row[index].isNull {
            if let changed, !changed.contains(index) { continue }
            if let other = try store.fetchInt(compiled.uniqueProbeSQL(index), [row[index], .integer(id)], reuse: true) {
                throw ValidationError(
                    collection: name, field: compiled.fieldNames[index], value: display(row[index]),
                    reason: "is already used by record \(other)")
            }
        }
    }

    // MARK: Reading

    /// The stored row of record `id` in field order, or nil.
    func load(_ id: Int64) throws -> [SQLValue]? {
        // By position: looking each column up by name (case-insensitively) was most of the cost
        // of re-importing a national file, which loads every person it compares.
        let count = compiled.fieldNames.count
        return try store.fetchOne(compiled.selectFieldsByIDSQL, [.integer(id)], reuse: true) { row in
            (0..<count).map(row.value)
        }
    }

    /// Every record, by id, as `load` reads each (for a caller about to compare most of them).
    func loadAll() throws -> [Int64: [SQLValue]] {
        let count = compiled.fieldNames.count
        var records: [Int64: [SQLValue]] = [:]
        try store.query(compiled.selectIDsAndFieldsSQL) { row in
            if let id = row.integer(0) { records[id] = (0..<count).map { row.value($0 + 1) } }
            return true
        }
        return records
    }

    // MARK: Writing

    /// Validates and inserts; returns the new id.
    func insert(_ values: [String: FieldInput], storageForm: Bool = false) throws -> Int64 {
        let (given, explicitID) = try convert(values, storageForm: storageForm)
        var row = given.map { $0 ?? .null }
        var indexes: [Int] = []
        for (index, value) in given.enumerated() where value != nil { indexes.append(index) }
        for (index, value) in compiled.defaults where (given[index] ?? .null).isNull {
            row[index] = value
            if given[index] == nil { indexes.append(index) }
        }
        try RecordEngine.derive(&row, compiled: compiled)
        for (index, value) in row.enumerated() where !value.isNull && given[index] == nil && !indexes.contains(index) {
            indexes.append(index)
        }
        indexes = try writable(indexes, of: row)
        indexes.sort()
        try checkRecord(row)
        try checkReferences(row)
        try checkUnique(row, id: explicitID ?? 0)
        if let explicitID, try load(explicitID) != nil {
            throw ValidationError(
                collection: name, field: CollectionSchema.idField, value: String(explicitID),
                reason: "is already used by another record")
        }
        let statement = try store.prepare(
            compiled.insertSQL(fieldIndexes: indexes, withID: explicitID != nil), reuse: true)
        var arguments: [SQLValue] = explicitID.map { [.integer($0)] } ?? []
        arguments.reserveCapacity(indexes.count + 1)
        for index in indexes { arguments.append(row[index]) }
        let id = try mappingConstraints(row: row) { try statement.insert(arguments) }
        if let explicitID { try store.dialect.catchUpIdentity(name, past: explicitID, in: store) }
        try AuditLog.record(
            store, time: context.timestamp(), context: context, collection: name, recordID: id,
            action: .insert, before: nil,
            after: AuditJSON.object(id: id, names: compiled.fieldNames, values: row))
        return id
    }

    /// Validates and updates the given fields of record `id`; returns whether anything changed
    /// (an update that changes nothing writes nothing, not even an audit row). The writing
    /// itself, when there is any, runs through `write`: a caller that must go on after the
    /// store refuses it takes a savepoint there, and an update that changes nothing costs none.
    /// `known` is the record as stored, when the caller has read it already (`loadAll`).
    @discardableResult
    func update(
        _ id: Int64, _ values: [String: FieldInput], storageForm: Bool = false, known: [SQLValue]? = nil,
        write: (() throws -> Void) throws -> Void = { try $0() }
    ) throws -> Bool {
        guard let before = try known ?? load(id), before.count == compiled.fieldNames.count else {
            throw WorkspaceError.notFound(collection: name, id: id)
        }
        let (given, explicitID) = try convert(values, storageForm: storageForm)
        if let explicitID, explicitID != id {
            throw ValidationError(
                collection: name, field: CollectionSchema.idField, value: String(explicitID),
                reason: "cannot be changed (record \(id))")
        }
        return try update(id, before: before, given: given, write: write)
    }

    /// Like `update(_:_:)` with the values already converted by this collection's converters
    /// (`RowPreparer.convertGiven`, on another thread): `given` in field order, nil where a
    /// field is not given.
    func update(_ id: Int64, converted given: [SQLValue?]) throws -> Bool {
        guard let before = try load(id) else { throw WorkspaceError.notFound(collection: name, id: id) }
        guard given.count == before.count else {
            throw ValidationError(
                collection: name, field: compiled.fieldNames.first ?? "", value: "",
                reason: "converted row has \(given.count) values for \(before.count) fields")
        }
        return try update(id, before: before, given: given)
    }

    /// Writes `given` over `before` (record `id`): checks, writes only what changed (through
    /// `write`), audits.
    private func update(
        _ id: Int64, before: [SQLValue], given: [SQLValue?],
        write: (() throws -> Void) throws -> Void = { try $0() }
    ) throws -> Bool {
        var after = before
        var changed = Set<Int>()
        for (index, value) in given.enumerated() {
            guard let value else { continue }
            after[index] = value
            if value != before[index] { changed.insert(index) }
        }
        try checkTransitions(from: before, to: after)
        let derived = RecordEngine.clearDerivedFields(&after, given: given.map { $0 != nil }, compiled: compiled)
        try RecordEngine.derive(&after, compiled: compiled)
        for index in derived where after[index] != before[index] { changed.insert(index) }
        try checkRecord(after)
        try checkReferences(after, only: changed)
        try checkUnique(after, id: id, only: changed)
        if changed.isEmpty { return false }
        let indexes = try writable(changed.sorted(), of: after)
        var arguments = indexes.map { after[$0] }
        arguments.append(.integer(id))
        try write {
            let statement = try store.prepare(compiled.updateSQL(fieldIndexes: indexes), reuse: true)
            try mappingConstraints(row: after) { try statement.execute(arguments) }
            try AuditLog.record(
                store, time: context.timestamp(), context: context, collection: name, recordID: id,
                action: .update,
                before: AuditJSON.object(id: id, names: compiled.fieldNames, values: before),
                after: AuditJSON.object(id: id, names: compiled.fieldNames, values: after))
        }
        return true
    }

    /// `indexes` without the empty fields the role may not write (personal columns of a
    /// PostgreSQL role granted `write` without `pii`: naming one, even empty, is refused by the
    /// server); a value given for one is refused here, naming it and the grant it needs.
    private func writable(_ indexes: [Int], of row: [SQLValue]) throws -> [Int] {
        guard let withheld = (store as? PostgresStoreConnection)?.uninsertableColumns[name] else { return indexes }
        return try indexes.filter { index in
            guard withheld.contains(compiled.fieldNames[index]) else { return true }
            if row[index].isNull { return false }
            throw BulkWriter.withheldError(name, compiled.fieldNames[index])
        }
    }

    /// Marks record `id` invalid (collections with a valid flag) or deletes it; audited.
    /// Removing an already invalid record changes nothing and writes no audit row.
    func remove(_ id: Int64) throws {
        guard let before = try load(id) else { throw WorkspaceError.notFound(collection: name, id: id) }
        let beforeJSON = AuditJSON.object(id: id, names: compiled.fieldNames, values: before)
        var afterJSON: String?
        if let validIndex = compiled.validIndex {
            if before[validIndex] == Int64(0).sqlValue { return }
            var after = before
            after[validIndex] = Int64(0).sqlValue
            try store.execute(compiled.updateSQL(fieldIndexes: [validIndex]), [.integer(0), .integer(id)], reuse: true)
            afterJSON = AuditJSON.object(id: id, names: compiled.fieldNames, values: after)
        } else {
            do {
                try store.execute(compiled.deleteSQL, [.integer(id)], reuse: true)
            } catch  where StoreFailure.of(error)?.isConstraint == true {
                throw ValidationError(
                    collection: name, field: CollectionSchema.idField, value: String(id),
                    reason: "is still referenced by other records")
            }
        }
        try AuditLog.record(
            store, time: context.timestamp(), context: context, collection: name, recordID: id,
            action: .remove, before: beforeJSON, after: afterJSON)
    }

    /// Runs a write, turning constraint failures into `ValidationError`s that name the field
    /// (the checks before writing catch these first in all but racing cases).
    func mappingConstraints<T>(row: [SQLValue], _ write: () throws -> T) throws -> T {
        do {
            return try write()
        } catch {
            guard case .constraint(let kind, let table, let column)? = StoreFailure.of(error) else { throw error }
            throw constraintError(error, kind: kind, table: table, column: column, row: row)
        }
    }

    /// The `ValidationError` for a constraint the store reported on `table.column`.
    func constraintError(
        _ error: any Error, kind: StoreFailure.Constraint, table: String?, column: String?,
        row: [SQLValue]
    ) -> Error {
        if table == name, let field = column {
            if let index = compiled.schema.index(of: field) {
                let reason = kind == .unique ? "is already used by another record" : "is required"
                return ValidationError(collection: name, field: field, value: display(row[index]), reason: reason)
            }
            if field == CollectionSchema.idField {
                return ValidationError(
                    collection: name, field: field, value: "", reason: "is already used by another record")
            }
        }
        if kind == .foreignKey {
            return ValidationError(
                collection: name, field: CollectionSchema.idField, value: "",
                reason: "refers to a record that does not exist")
        }
        return error
    }

    /// Whether `a` is less than `b` (both non-null and of the same storage class).
    static func precedes(_ a: SQLValue, _ b: SQLValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y
        case (.text(let x), .text(let y)): return x < y
        case (.real(let x), .real(let y)): return x < y
        case (.integer(let x), .real(let y)): return Double(x) < y
        case (.real(let x), .integer(let y)): return x < Double(y)
        default: return false
        }
    }

    func display(_ value: SQLValue) -> String { RecordEngine.display(value) }

    static func display(_ value: SQLValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let integer): return String(integer)
        case .real(let double): return FieldInput.shortest(double)
        case .text(let string): return string
        case .blob: return "(blob)"
        }
    }
}

/// Ids known to exist and be valid, per collection, for one bulk run (only positive results
/// are remembered, so a reference inserted during the run is found on its first use).
final class ReferenceCache {
    private var known: [String: Set<Int64>] = [:]
    /// The last reference found valid (consecutive rows usually name the same household).
    private var last: (collection: String, id: Int64)?

    func isKnownValid(_ collection: String, _ id: Int64) -> Bool {
        if let last, last.id == id, last.collection == collection { return true }
        guard known[collection]?.contains(id) ?? false else { return false }
        last = (collection, id)
        return true
    }
    func remember(_ collection: String, _ id: Int64) {
        known[collection, default: []].insert(id)
        last = (collection, id)
    }
    func forget(_ collection: String, _ id: Int64) {
        known[collection]?.remove(id)
        if let last, last.id == id, last.collection == collection { self.last = nil }
    }
}
