import GRDB

/// What every typed record of a core collection shares: GRDB fetching and persistence with
/// snake_case columns, an optional `id` filled on insert, and Chinese labels from the schema.
///
/// Write typed records through the workspace (`workspace.insert(&record, context:)`) so they are
/// validated and audited like any other write; GRDB's own `insert(db)` bypasses both.
///
/// Example: `Household.label(.headIdNumber) == "户主证件号码"`.
public protocol FupinRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord
where Columns: ColumnExpression & RawRepresentable & CaseIterable, Columns.RawValue == String {
    /// The collection (table) name.
    static var collectionName: String { get }
    /// The record id, nil before insertion.
    var id: Int64? { get set }
}

extension FupinRecord {
    public static var databaseTableName: String { collectionName }
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }

    /// The collection's description in `Schema.core`.
    public static var collectionSchema: CollectionSchema? { Schema.core[collectionName] }

    /// The Chinese label of a column ("编号" for `id`; the column name if the schema lacks it).
    public static func label(_ column: Columns) -> String {
        if column.rawValue == CollectionSchema.idField { return "编号" }
        return collectionSchema?.field(column.rawValue)?.label ?? column.rawValue
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
