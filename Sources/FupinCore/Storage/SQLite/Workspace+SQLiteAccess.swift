import GRDB

/// The generic reads over a GRDB `Database` the caller already holds (tests, SQLite-only
/// code): each wraps `db` in a `SQLiteConnection` and runs the store-neutral version.
///
/// Example: `try ws.read { db in try ws.count(ws.query("households"), in: db) }`.
extension Workspace {
    /// `db` as this workspace's store connection.
    public func connection(_ db: Database) -> SQLiteConnection {
        SQLiteConnection(db, sqlGuard: sqlGuard, dialect: dialect)
    }

    public func count(_ query: Query, in db: Database) throws -> Int { try count(query, in: connection(db)) }

    public func aggregate(_ function: Query.Aggregate, _ field: String, of query: Query, in db: Database) throws
        -> FieldValue
    {
        try aggregate(function, field, of: query, in: connection(db))
    }

    public func list(_ query: Query, in db: Database) throws -> [StoredRecord] { try list(query, in: connection(db)) }

    public func first(_ query: Query, in db: Database) throws -> StoredRecord? { try first(query, in: connection(db)) }

    public func forEach(_ query: Query, in db: Database, _ body: (StoredRecord) throws -> Bool) throws {
        try forEach(query, in: connection(db), body)
    }

    public func rows(_ query: Query, in db: Database) throws -> RecordRows { try rows(query, in: connection(db)) }

    public func grouped(
        _ query: Query, by field: String, _ function: Query.Aggregate? = nil, _ valueField: String? = nil,
        in db: Database
    ) throws -> [(key: FieldValue, value: FieldValue)] {
        try grouped(query, by: field, function, valueField, in: connection(db))
    }

    public func measures(_ query: Query, _ measures: [Measure], groupedBy group: String?, in db: Database)
        throws -> [(key: FieldValue, values: [FieldValue])]
    {
        try self.measures(query, measures, groupedBy: group, in: connection(db))
    }

    // MARK: Writes

    @discardableResult
    public func insert(_ collection: String, _ values: [String: FieldInput], context: WriteContext, in db: Database)
        throws -> Int64
    {
        try insert(collection, values, context: context, in: connection(db))
    }

    public func update(
        _ collection: String, id: Int64, _ values: [String: FieldInput], context: WriteContext, in db: Database
    ) throws {
        try update(collection, id: id, values, context: context, in: connection(db))
    }

    public func remove(_ collection: String, id: Int64, context: WriteContext, in db: Database) throws {
        try remove(collection, id: id, context: context, in: connection(db))
    }

    public func get(_ collection: String, id: Int64, in db: Database) throws -> StoredRecord? {
        try get(collection, id: id, in: connection(db))
    }

    public func findID(_ collection: String, where field: String, is value: FieldInput, in db: Database) throws
        -> Int64?
    {
        try findID(collection, where: field, is: value, in: connection(db))
    }

    public func validate(_ collection: String, _ values: [String: FieldInput], in db: Database) throws {
        try validate(collection, values, in: connection(db))
    }

    public func count(_ collection: String, validOnly: Bool = false, in db: Database) throws -> Int {
        try count(collection, validOnly: validOnly, in: connection(db))
    }
}

extension AuditLog {
    /// `entries` read with a GRDB `Database` (SQLite-only callers and tests).
    public static func entries(
        _ db: Database, since: String? = nil, collection: String? = nil, recordID: Int64? = nil, limit: Int? = nil
    ) throws -> [AuditEntry] {
        try entries(
            SQLiteConnection(db, sqlGuard: SQLGuard()), since: since, collection: collection, recordID: recordID,
            limit: limit)
    }

    /// `count` read with a GRDB `Database`.
    public static func count(_ db: Database) throws -> Int { try count(SQLiteConnection(db, sqlGuard: SQLGuard())) }
}
