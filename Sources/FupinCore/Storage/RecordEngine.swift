import GRDB

/// The write engine shared by single writes and bulk writes: converts and validates a whole
/// record before anything is written, then writes the record and its audit row.
struct RecordEngine {
    let db: Database
    let compiled: CompiledCollection
    let resolve: (String) -> CompiledCollection?
    let context: WriteContext
    let today: CalendarDate

    private var name: String { compiled.name }

    // MARK: Validation

    /// Converts named inputs into a storage row (nil = not given). Unknown names are rejected,
    /// naming them. `id` is returned separately.
    func convert(_ values: [String: FieldInput], storageForm: Bool = false) throws -> (row: [DatabaseValue?], id: Int64?) {
        var row = [DatabaseValue?](repeating: nil, count: compiled.converters.count)
        var id: Int64?
        for (key, input) in values {
            guard let index = compiled.schema.index(of: key) else {
                if key == CollectionSchema.idField {
                    id = try convertID(input)
                    continue
                }
                throw ValidationError(collection: name, field: key, value: "",
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
        throw ValidationError(collection: name, field: CollectionSchema.idField, value: input.display, reason: "is not a record id")
    }

    /// Checks required fields and cross-field rules on a complete row.
    func checkRecord(_ row: [DatabaseValue]) throws {
        try RecordEngine.checkRecord(row, compiled: compiled)
    }

    /// The same check with no database (bulk rows prepared on another thread).
    static func checkRecord(_ row: [DatabaseValue], compiled: CompiledCollection) throws {
        let name = compiled.name
        func display(_ value: DatabaseValue) -> String { RecordEngine.display(value) }
        for index in compiled.requiredIndexes where row[index].isNull {
            throw ValidationError(collection: name, field: compiled.fieldNames[index], value: "", reason: "is required")
        }
        for rule in compiled.rules {
            switch rule {
            case .atLeastOne(let indexes):
                if indexes.allSatisfy({ row[$0].isNull }) {
                    let names = indexes.map { compiled.fieldNames[$0] }.joined(separator: " or ")
                    throw ValidationError(collection: name, field: compiled.fieldNames[indexes[0]], value: "",
                                          reason: "is missing: give \(names)")
                }
            case .product, .transitions:
                break   // applied by `derive` before the checks; transitions by `update`
            case .notBefore(let later, let earlier):
                if RecordEngine.precedes(row[later], row[earlier]) {
                    throw ValidationError(collection: name, field: compiled.fieldNames[later], value: display(row[later]),
                                          reason: "is before \(compiled.fieldNames[earlier]) \(display(row[earlier]))")
                }
            }
        }
    }

    /// Checks the allowed changes of fields with a transitions rule (old value → new value).
    func checkTransitions(from before: [DatabaseValue], to after: [DatabaseValue]) throws {
        for rule in compiled.rules {
            guard case .transitions(let index, let allowed) = rule,
                  case .string(let old) = before[index].storage, case .string(let new) = after[index].storage,
                  old != new, let next = allowed[old], !next.contains(new) else { continue }
            let options = next.isEmpty ? "nothing: it is final" : next.joined(separator: ", ")
            throw ValidationError(collection: name, field: compiled.fieldNames[index], value: new,
                                  reason: "cannot follow \(old) (after \(old) comes \(options))")
        }
    }

    /// Checks that every given reference names an existing, valid record.
    func checkReferences(_ row: [DatabaseValue], only changed: Set<Int>? = nil, cache: ReferenceCache? = nil) throws {
        for (index, target) in compiled.references {
            if let changed, !changed.contains(index) { continue }
            guard case .int64(let id) = row[index].storage else { continue }
            if let cache, cache.isKnownValid(target, id) { continue }
            guard let targetCompiled = resolve(target) else { throw WorkspaceError.unknownCollection(target) }
            let statement = try db.cachedStatement(sql: targetCompiled.existenceSQL)
            guard let valid = try SQLiteBinding.fetchInt64(statement, id.databaseValue, db: db) else {
                throw ValidationError(collection: name, field: compiled.fieldNames[index], value: String(id),
                                      reason: "is not the id of a record of \(target)")
            }
            if valid == 0 {
                throw ValidationError(collection: name, field: compiled.fieldNames[index], value: String(id),
                                      reason: "refers to a removed (invalid) record of \(target)")
            }
            cache?.remember(target, id)
        }
    }

    /// Checks unique fields against other records.
    func checkUnique(_ row: [DatabaseValue], id: Int64, only changed: Set<Int>? = nil) throws {
        for index in compiled.uniqueIndexes where !row[index].isNull {
            if let changed, !changed.contains(index) { continue }
            let statement = try db.cachedStatement(sql: compiled.uniqueProbeSQL(index))
            if let other = try Int64.fetchOne(statement, arguments: [row[index], id]) {
                throw ValidationError(collection: name, field: compiled.fieldNames[index], value: display(row[index]),
                                      reason: "is already used by record \(other)")
            }
        }
    }

    // MARK: Reading

    /// The stored row of record `id` in field order, or nil.
    func load(_ id: Int64) throws -> [DatabaseValue]? {
        // By position: looking each column up by name (case-insensitively) was most of the cost
        // of re-importing a national file, which loads every person it compares.
        let statement = try db.cachedStatement(sql: compiled.selectFieldsByIDSQL)
        return try SQLiteBinding.fetchRow(statement, id.databaseValue, count: compiled.fieldNames.count, db: db)
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
        indexes.sort()
        try checkRecord(row)
        try checkReferences(row)
        try checkUnique(row, id: explicitID ?? 0)
        if let explicitID, try load(explicitID) != nil {
            throw ValidationError(collection: name, field: CollectionSchema.idField, value: String(explicitID),
                                  reason: "is already used by another record")
        }
        let statement = try db.cachedStatement(sql: compiled.insertSQL(fieldIndexes: indexes, withID: explicitID != nil))
        var arguments: [DatabaseValue] = explicitID.map { [$0.databaseValue] } ?? []
        arguments.reserveCapacity(indexes.count + 1)
        for index in indexes { arguments.append(row[index]) }
        statement.setUncheckedArguments(StatementArguments(arguments))
        try executeMappingConstraints(statement, row: row)
        let id = db.lastInsertedRowID
        try AuditLog.record(db, time: context.timestamp(), context: context, collection: name, recordID: id,
                            action: .insert, before: nil,
                            after: AuditJSON.object(id: id, names: compiled.fieldNames, values: row))
        return id
    }

    /// Validates and updates the given fields of record `id`; returns whether anything changed
    /// (an update that changes nothing writes nothing, not even an audit row).
    @discardableResult
    func update(_ id: Int64, _ values: [String: FieldInput], storageForm: Bool = false) throws -> Bool {
        guard let before = try load(id) else { throw WorkspaceError.notFound(collection: name, id: id) }
        let (given, explicitID) = try convert(values, storageForm: storageForm)
        if let explicitID, explicitID != id {
            throw ValidationError(collection: name, field: CollectionSchema.idField, value: String(explicitID),
                                  reason: "cannot be changed (record \(id))")
        }
        return try update(id, before: before, given: given)
    }

    /// Like `update(_:_:)` with the values already converted by this collection's converters
    /// (`RowPreparer.convertGiven`, on another thread): `given` in field order, nil where a
    /// field is not given.
    func update(_ id: Int64, converted given: [DatabaseValue?]) throws -> Bool {
        guard let before = try load(id) else { throw WorkspaceError.notFound(collection: name, id: id) }
        guard given.count == before.count else {
            throw ValidationError(collection: name, field: compiled.fieldNames.first ?? "", value: "",
                                  reason: "converted row has \(given.count) values for \(before.count) fields")
        }
        return try update(id, before: before, given: given)
    }

    /// Writes `given` over `before` (record `id`): checks, writes only what changed, audits.
    private func update(_ id: Int64, before: [DatabaseValue], given: [DatabaseValue?]) throws -> Bool {
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
        let indexes = changed.sorted()
        let statement = try db.cachedStatement(sql: compiled.updateSQL(fieldIndexes: indexes))
        var arguments = indexes.map { after[$0] }
        arguments.append(id.databaseValue)
        statement.setUncheckedArguments(StatementArguments(arguments))
        try executeMappingConstraints(statement, row: after)
        try AuditLog.record(db, time: context.timestamp(), context: context, collection: name, recordID: id,
                            action: .update,
                            before: AuditJSON.object(id: id, names: compiled.fieldNames, values: before),
                            after: AuditJSON.object(id: id, names: compiled.fieldNames, values: after))
        return true
    }

    /// Marks record `id` invalid (collections with a valid flag) or deletes it; audited.
    /// Removing an already invalid record changes nothing and writes no audit row.
    func remove(_ id: Int64) throws {
        guard let before = try load(id) else { throw WorkspaceError.notFound(collection: name, id: id) }
        let beforeJSON = AuditJSON.object(id: id, names: compiled.fieldNames, values: before)
        var afterJSON: String?
        if let validIndex = compiled.validIndex {
            if before[validIndex] == Int64(0).databaseValue { return }
            var after = before
            after[validIndex] = Int64(0).databaseValue
            let statement = try db.cachedStatement(sql: compiled.updateSQL(fieldIndexes: [validIndex]))
            statement.setUncheckedArguments([Int64(0), id])
            try statement.execute()
            afterJSON = AuditJSON.object(id: id, names: compiled.fieldNames, values: after)
        } else {
            let statement = try db.cachedStatement(sql: compiled.deleteSQL)
            statement.setUncheckedArguments([id])
            do {
                try statement.execute()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw ValidationError(collection: name, field: CollectionSchema.idField, value: String(id),
                                      reason: "is still referenced by other records")
            }
        }
        try AuditLog.record(db, time: context.timestamp(), context: context, collection: name, recordID: id,
                            action: .remove, before: beforeJSON, after: afterJSON)
    }

    /// Runs a write statement, turning constraint failures into `ValidationError`s that name
    /// the field (the checks before writing catch these first in all but racing cases).
    func executeMappingConstraints(_ statement: Statement, row: [DatabaseValue]) throws {
        do {
            try statement.execute()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw constraintError(error, row: row)
        }
    }

    func constraintError(_ error: DatabaseError, row: [DatabaseValue]) -> Error {
        let message = error.message ?? ""
        // "UNIQUE constraint failed: households.number", "NOT NULL constraint failed: t.f"
        if let range = message.range(of: "\(name).") {
            let field = String(message[range.upperBound...].prefix { $0 != "," && $0 != " " })
            if let index = compiled.schema.index(of: field) {
                let reason = message.hasPrefix("UNIQUE") ? "is already used by another record" : "is required"
                return ValidationError(collection: name, field: field, value: display(row[index]), reason: reason)
            }
            if field == CollectionSchema.idField {
                return ValidationError(collection: name, field: field, value: "", reason: "is already used by another record")
            }
        }
        if message.contains("FOREIGN KEY") {
            return ValidationError(collection: name, field: CollectionSchema.idField, value: "",
                                   reason: "refers to a record that does not exist")
        }
        return error
    }

    /// Whether `a` is less than `b` (both non-null and of the same storage class).
    static func precedes(_ a: DatabaseValue, _ b: DatabaseValue) -> Bool {
        switch (a.storage, b.storage) {
        case (.int64(let x), .int64(let y)): return x < y
        case (.string(let x), .string(let y)): return x < y
        case (.double(let x), .double(let y)): return x < y
        case (.int64(let x), .double(let y)): return Double(x) < y
        case (.double(let x), .int64(let y)): return x < Double(y)
        default: return false
        }
    }

    func display(_ value: DatabaseValue) -> String { RecordEngine.display(value) }

    static func display(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let integer): return String(integer)
        case .double(let double): return FieldInput.shortest(double)
        case .string(let string): return string
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
