import GRDB

/// A household under relapse monitoring (防返贫监测): risk type, dates identified and removed.
///
/// Collection `monitoring`; field names, Chinese labels and rules come from
/// `Schema.core["monitoring"]` (`MonitoringRecord.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = MonitoringRecord(householdId: 1, year: 2021, riskType: "边缘易致贫户", identifiedDate: "2021-03-01"); try workspace.insert(&record, context: ctx)`.
public struct MonitoringRecord: FupinRecord, Hashable {
    public static let collectionName = "monitoring"

    public var id: Int64?
    public var householdId: Int64
    public var year: Int64?
    public var riskType: String
    public var identifiedDate: String
    public var removedDate: String?
    public var reason: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        householdId: Int64,
        year: Int64? = nil,
        riskType: String,
        identifiedDate: String,
        removedDate: String? = nil,
        reason: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.householdId = householdId
        self.year = year
        self.riskType = riskType
        self.identifiedDate = identifiedDate
        self.removedDate = removedDate
        self.reason = reason
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case householdId = "household_id"
        case year
        case riskType = "risk_type"
        case identifiedDate = "identified_date"
        case removedDate = "removed_date"
        case reason
        case valid
    }
}
