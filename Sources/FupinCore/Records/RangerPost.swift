import GRDB

/// A forest-ranger post (护林员) held by a person for a year, with its wage.
///
/// Collection `ranger_posts`; field names, Chinese labels and rules come from
/// `Schema.core["ranger_posts"]` (`RangerPost.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = RangerPost(memberId: 4, year: 2019, wage: Money(fen: 1_380_000)); try workspace.insert(&record, context: ctx)`.
public struct RangerPost: FupinRecord, Hashable {
    public static let collectionName = "ranger_posts"

    public var id: Int64?
    public var memberId: Int64
    public var unitId: Int64?
    public var year: Int64
    public var wage: Money
    public var startDate: String?
    public var endDate: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        memberId: Int64,
        unitId: Int64? = nil,
        year: Int64,
        wage: Money,
        startDate: String? = nil,
        endDate: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.memberId = memberId
        self.unitId = unitId
        self.year = year
        self.wage = wage
        self.startDate = startDate
        self.endDate = endDate
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case memberId = "member_id"
        case unitId = "unit_id"
        case year
        case wage
        case startDate = "start_date"
        case endDate = "end_date"
        case valid
    }
}
