import GRDB

/// One income line of a household for a year, by category, with production costs.
///
/// Collection `incomes`; field names, Chinese labels and rules come from
/// `Schema.core["incomes"]` (`Income.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Income(householdId: 1, year: 2019, category: "工资性", subcategory: "护林员工资", amount: Money(fen: 1_380_000)); try workspace.insert(&record, context: ctx)`.
public struct Income: FupinRecord, Hashable {
    public static let collectionName = "incomes"

    public var id: Int64?
    public var householdId: Int64
    public var year: Int64
    public var category: String
    public var subcategory: String?
    public var amount: Money
    public var cost: Money?
    public var note: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        householdId: Int64,
        year: Int64,
        category: String,
        subcategory: String? = nil,
        amount: Money,
        cost: Money? = nil,
        note: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.householdId = householdId
        self.year = year
        self.category = category
        self.subcategory = subcategory
        self.amount = amount
        self.cost = cost
        self.note = note
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case householdId = "household_id"
        case year
        case category
        case subcategory
        case amount
        case cost
        case note
        case valid
    }
}
