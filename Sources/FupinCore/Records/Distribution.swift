import GRDB

/// Material handed out (物资发放) to a household or a village: item, quantity, unit, value.
///
/// Collection `distributions`; field names, Chinese labels and rules come from
/// `Schema.core["distributions"]` (`Distribution.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Distribution(date: "2019-04-02", householdId: 1, item: "果树苗", quantity: 35, unit: "株"); try workspace.insert(&record, context: ctx)`.
public struct Distribution: FupinRecord, Hashable {
    public static let collectionName = "distributions"

    public var id: Int64?
    public var date: String
    public var householdId: Int64?
    public var villageId: Int64?
    public var item: String
    public var quantity: Double
    public var unit: String?
    public var value: Money?
    public var fundSource: String?
    public var cadreId: Int64?
    public var note: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        date: String,
        householdId: Int64? = nil,
        villageId: Int64? = nil,
        item: String,
        quantity: Double,
        unit: String? = nil,
        value: Money? = nil,
        fundSource: String? = nil,
        cadreId: Int64? = nil,
        note: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.date = date
        self.householdId = householdId
        self.villageId = villageId
        self.item = item
        self.quantity = quantity
        self.unit = unit
        self.value = value
        self.fundSource = fundSource
        self.cadreId = cadreId
        self.note = note
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case date
        case householdId = "household_id"
        case villageId = "village_id"
        case item
        case quantity
        case unit
        case value
        case fundSource = "fund_source"
        case cadreId = "cadre_id"
        case note
        case valid
    }
}
