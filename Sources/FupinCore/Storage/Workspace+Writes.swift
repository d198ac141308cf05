/// Generic, validated and audited writes by collection name — what the Lua API and the CSV
/// importer use. Each method exists twice: one opens its own transaction, the other
/// (`in store:`) runs inside a transaction the caller controls (one unit of work). Every input is
/// converted and validated before anything is written; a failed write writes nothing.
///
/// Example:
/// ```swift
/// let ctx = WriteContext(operator: "王明刚", source: "repl")
/// let id = try ws.insert("distributions", ["date": "2019-04-02", "household_id": 1,
///     "item": "果树苗", "quantity": 35, "unit": "株", "value": 6.4], context: ctx)
/// try ws.update("distributions", id: id, ["quantity": 40], context: ctx)
/// try ws.remove("distributions", id: id, context: ctx)  // marks it invalid
/// ```
extension Workspace {
    /// Inserts one record; returns its id. Values are by field name (plus an optional `id`).
    @discardableResult
    public func insert(_ collection: String, _ values: [String: FieldInput], context: WriteContext) throws -> Int64 {
        try store.transaction(rollback: false) { c in try insert(collection, values, context: context, in: c) }
    }

    /// Inserts one record inside the caller's transaction; returns its id.
    @discardableResult
    public func insert(
        _ collection: String, _ values: [String: FieldInput], context: WriteContext, in store: any StoreConnection
    ) throws -> Int64 {
        let engine = try engine(collection, store, context)
        var id: Int64 = 0
        try store.inSavepoint {
            id = try engine.insert(values)
        }
        return id
    }

    /// Inserts many records in one transaction, all or nothing; returns their ids in order.
    /// A `ValidationError` from row n is rethrown as is (rows are 0-based in `RowError`).
    @discardableResult
    public func insertAll(_ collection: String, _ rows: [[String: FieldInput]], context: WriteContext) throws -> [Int64]
    {
        try store.transaction(rollback: false) { c in
            let engine = try engine(collection, c, context)
            var ids: [Int64] = []
            ids.reserveCapacity(rows.count)
            for (index, values) in rows.enumerated() {
                do {
                    ids.append(try engine.insert(values))
                } catch let error as ValidationError {
                    throw RowError(row: index, error: error)
                }
            }
            return ids
        }
    }

    /// Changes the given fields of record `id` (others keep their values).
    public func update(_ collection: String, id: Int64, _ values: [String: FieldInput], context: WriteContext) throws {
        try store.transaction(rollback: false) { c in try update(collection, id: id, values, context: context, in: c) }
    }

    /// Changes the given fields of record `id` inside the caller's transaction.
    public func update(
        _ collection: String, id: Int64, _ values: [String: FieldInput], context: WriteContext,
        in store: any StoreConnection
    ) throws {
        let engine = try engine(collection, store, context)
        try store.inSavepoint {
            try engine.update(id, values)
        }
    }

    /// Removes record `id`: marks it invalid where the collection keeps a valid flag, else
    /// deletes it. Audited either way; removing an already invalid record changes nothing.
    public func remove(_ collection: String, id: Int64, context: WriteContext) throws {
        try store.transaction(rollback: false) { c in try remove(collection, id: id, context: context, in: c) }
    }

    /// Removes record `id` inside the caller's transaction.
    public func remove(_ collection: String, id: Int64, context: WriteContext, in store: any StoreConnection) throws {
        let engine = try engine(collection, store, context)
        try store.inSavepoint {
            try engine.remove(id)
        }
    }

    /// Record `id` of `collection` (valid or not), or nil.
    public func get(_ collection: String, id: Int64) throws -> StoredRecord? {
        try store.read { c in try get(collection, id: id, in: c) }
    }

    /// Record `id` of `collection` (valid or not) read with `store`, or nil.
    public func get(_ collection: String, id: Int64, in store: any StoreConnection) throws -> StoredRecord? {
        let compiled = try requireCompiled(collection)
        return try store.fetchOne(compiled.selectByIDSQL, [.integer(id)], reuse: true) { row in
            StoredRecord.Reader(schema: compiled.schema, columns: row).record(row)
        }
    }

    /// The id of the record whose `field` equals `value` (converted like an input: yuan,
    /// aliases, normalised IDs), preferring a valid one; nil if none. For "create or update
    /// by 户编号 / 人编号" imports.
    public func findID(_ collection: String, where field: String, is value: FieldInput, in store: any StoreConnection)
        throws -> Int64?
    {
        let compiled = try requireCompiled(collection)
        guard let index = compiled.schema.index(of: field) else {
            throw ValidationError(
                collection: collection, field: field, value: "", reason: "is not a field of \(collection)")
        }
        let stored = try compiled.converters[index].convert(value, today: CalendarDate.today())
        if stored.isNull { return nil }
        let order = compiled.validIndex != nil ? " ORDER BY \(dialect.quote(CollectionSchema.validField)) DESC" : ""
        let sql =
            "SELECT \(dialect.quote(CollectionSchema.idField)) FROM \(compiled.quotedTable) WHERE \(dialect.quote(field)) = \(dialect.placeholder(1))\(order) LIMIT 1"
        return try store.fetchInt(sql, [stored], reuse: true)
    }

    /// Converts and validates `values` as an insert into `collection` would (references
    /// included), writing nothing. Throws the first problem.
    public func validate(_ collection: String, _ values: [String: FieldInput], in store: any StoreConnection) throws {
        let engine = try engine(collection, store, WriteContext(operator: "", source: "validate"))
        let (given, explicitID) = try engine.convert(values)
        var row = given.map { $0 ?? .null }
        for (index, value) in engine.compiled.defaults where (given[index] ?? .null).isNull { row[index] = value }
        try engine.checkRecord(row)
        try engine.checkReferences(row)
        try engine.checkUnique(row, id: explicitID ?? 0)
    }

    /// Number of records in `collection` (all, or only valid ones).
    public func count(_ collection: String, validOnly: Bool = false, in store: any StoreConnection) throws -> Int {
        let compiled = try requireCompiled(collection)
        var sql = "SELECT COUNT(*) FROM \(compiled.quotedTable)"
        if validOnly && compiled.validIndex != nil { sql += " WHERE \(dialect.quote(CollectionSchema.validField)) = 1" }
        return Int(try store.fetchInt(sql) ?? 0)
    }
}

/// A validation error in the `row`-th (0-based) record of a multi-record write.
public struct RowError: Error, Sendable, CustomStringConvertible {
    public let row: Int
    public let error: ValidationError
    public var description: String { "row \(row + 1): \(error.description)" }
}
