import GRDB

/// A village (行政村) with its poverty-exit plan and land situation.
///
/// Collection `villages`; field names, Chinese labels and rules come from
/// `Schema.core["villages"]` (`Village.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Village(name: "前进村", townId: 1, inPlanningZone: true, hasCollectiveLand: false); try workspace.insert(&record, context: ctx)`.
public struct Village: FupinRecord, Hashable {
    public static let collectionName = "villages"

    public var id: Int64?
    public var name: String
    public var townId: Int64
    public var unitId: Int64?
    public var plan: String?
    public var inPlanningZone: Bool?
    public var hasCollectiveLand: Bool?
    public var residentPopulation: Int64?
    public var note: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        name: String,
        townId: Int64,
        unitId: Int64? = nil,
        plan: String? = nil,
        inPlanningZone: Bool? = nil,
        hasCollectiveLand: Bool? = nil,
        residentPopulation: Int64? = nil,
        note: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.name = name
        self.townId = townId
        self.unitId = unitId
        self.plan = plan
        self.inPlanningZone = inPlanningZone
        self.hasCollectiveLand = hasCollectiveLand
        self.residentPopulation = residentPopulation
        self.note = note
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case name
        case townId = "town_id"
        case unitId = "unit_id"
        case plan
        case inPlanningZone = "in_planning_zone"
        case hasCollectiveLand = "has_collective_land"
        case residentPopulation = "resident_population"
        case note
        case valid
    }
}
