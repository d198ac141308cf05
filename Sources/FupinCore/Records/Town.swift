import GRDB

/// A town (镇/乡) of the district.
///
/// Collection `towns`; field names, Chinese labels and rules come from
/// `Schema.core["towns"]` (`Town.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Town(name: "乌兰木伦镇", district: "康巴什区"); try workspace.insert(&record, context: ctx)`.
public struct Town: FupinRecord, Hashable {
    public static let collectionName = "towns"

    public var id: Int64?
    public var name: String
    public var district: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        name: String,
        district: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.name = name
        self.district = district
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case name
        case district
        case valid
    }
}
