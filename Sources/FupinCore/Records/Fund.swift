import GRDB

/// Money raised (in) or spent (out) by a unit (帮扶资金), with source and purpose.
///
/// Collection `funds`; field names, Chinese labels and rules come from
/// `Schema.core["funds"]` (`Fund.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Fund(date: "2019-03-15", unitId: 1, direction: "in", amount: Money(fen: 5_000_000), source: "单位自筹"); try workspace.insert(&record, context: ctx)`.
public struct Fund: FupinRecord, Hashable {
    public static let collectionName = "funds"

    public var id: Int64?
    public var date: String
    public var unitId: Int64
    public var direction: String
    public var amount: Money
    public var source: String?
    public var purpose: String?
    public var villageId: Int64?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        date: String,
        unitId: Int64,
        direction: String,
        amount: Money,
        source: String? = nil,
        purpose: String? = nil,
        villageId: Int64? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.date = date
        self.unitId = unitId
        self.direction = direction
        self.amount = amount
        self.source = source
        self.purpose = purpose
        self.villageId = villageId
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case date
        case unitId = "unit_id"
        case direction
        case amount
        case source
        case purpose
        case villageId = "village_id"
        case valid
    }
}
