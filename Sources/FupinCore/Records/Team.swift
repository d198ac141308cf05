import GRDB

/// A unit's village work team (驻村工作队) stationed in a village.
///
/// Collection `teams`; field names, Chinese labels and rules come from
/// `Schema.core["teams"]` (`Team.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Team(unitId: 1, villageId: 1, name: "区林业局驻前进村工作队", startDate: "2019-03-01"); try workspace.insert(&record, context: ctx)`.
public struct Team: FupinRecord, Hashable {
    public static let collectionName = "teams"

    public var id: Int64?
    public var unitId: Int64
    public var villageId: Int64
    public var name: String?
    public var startDate: String?
    public var endDate: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        unitId: Int64,
        villageId: Int64,
        name: String? = nil,
        startDate: String? = nil,
        endDate: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.unitId = unitId
        self.villageId = villageId
        self.name = name
        self.startDate = startDate
        self.endDate = endDate
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case unitId = "unit_id"
        case villageId = "village_id"
        case name
        case startDate = "start_date"
        case endDate = "end_date"
        case valid
    }
}
