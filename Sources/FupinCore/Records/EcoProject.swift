import GRDB

/// An afforestation project's planned and completed area (亩) in a year.
///
/// Collection `eco_projects`; field names, Chinese labels and rules come from
/// `Schema.core["eco_projects"]` (`EcoProject.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = EcoProject(unitId: 1, name: "森林植被恢复", year: 2019, completedArea: Area(hundredths: 1_005_000)); try workspace.insert(&record, context: ctx)`.
public struct EcoProject: FupinRecord, Hashable {
    public static let collectionName = "eco_projects"

    public var id: Int64?
    public var unitId: Int64?
    public var name: String
    public var year: Int64
    public var plannedArea: Area?
    public var completedArea: Area?
    public var note: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        unitId: Int64? = nil,
        name: String,
        year: Int64,
        plannedArea: Area? = nil,
        completedArea: Area? = nil,
        note: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.unitId = unitId
        self.name = name
        self.year = year
        self.plannedArea = plannedArea
        self.completedArea = completedArea
        self.note = note
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case unitId = "unit_id"
        case name
        case year
        case plannedArea = "planned_area"
        case completedArea = "completed_area"
        case note
        case valid
    }
}
