import GRDB

/// A measure of a household's plan (一户一策): category, quarter, funds, expected income gain.
///
/// Collection `measures`; field names, Chinese labels and rules come from
/// `Schema.core["measures"]` (`Measure.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Measure(householdId: 1, year: 2019, category: "产业", description: "养鸡30只", plannedQuarter: 2); try workspace.insert(&record, context: ctx)`.
public struct Measure: FupinRecord, Hashable {
    public static let collectionName = "measures"

    public var id: Int64?
    public var householdId: Int64
    public var year: Int64
    public var category: String
    public var description: String?
    public var plannedQuarter: Int64?
    public var funds: Money?
    public var expectedIncomeGain: Money?
    public var done: Bool?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        householdId: Int64,
        year: Int64,
        category: String,
        description: String? = nil,
        plannedQuarter: Int64? = nil,
        funds: Money? = nil,
        expectedIncomeGain: Money? = nil,
        done: Bool? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.householdId = householdId
        self.year = year
        self.category = category
        self.description = description
        self.plannedQuarter = plannedQuarter
        self.funds = funds
        self.expectedIncomeGain = expectedIncomeGain
        self.done = done
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case householdId = "household_id"
        case year
        case category
        case description
        case plannedQuarter = "planned_quarter"
        case funds
        case expectedIncomeGain = "expected_income_gain"
        case done
        case valid
    }
}
