import GRDB

/// A cadre paired (结对) with a household from a date to a date.
///
/// Collection `pairings`; field names, Chinese labels and rules come from
/// `Schema.core["pairings"]` (`Pairing.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Pairing(cadreId: 1, householdId: 1, startDate: "2019-01-01"); try workspace.insert(&record, context: ctx)`.
public struct Pairing: FupinRecord, Hashable {
    public static let collectionName = "pairings"

    public var id: Int64?
    public var cadreId: Int64
    public var householdId: Int64
    public var startDate: String?
    public var endDate: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        cadreId: Int64,
        householdId: Int64,
        startDate: String? = nil,
        endDate: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.cadreId = cadreId
        self.householdId = householdId
        self.startDate = startDate
        self.endDate = endDate
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case cadreId = "cadre_id"
        case householdId = "household_id"
        case startDate = "start_date"
        case endDate = "end_date"
        case valid
    }
}
