import GRDB

/// The poverty line of a year in yuan per person per year (editable data; removal deletes).
///
/// Collection `poverty_lines`; field names, Chinese labels and rules come from
/// `Schema.core["poverty_lines"]` (`PovertyLine.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// This collection keeps no valid flag: removal deletes the row (audited with its before).
///
/// Example: `var record = PovertyLine(year: 2016, amount: Money(fen: 295_200)); try workspace.insert(&record, context: ctx)`.
public struct PovertyLine: FupinRecord, Hashable {
    public static let collectionName = "poverty_lines"

    public var id: Int64?
    public var year: Int64
    public var amount: Money
    public var note: String?

    public init(
        id: Int64? = nil,
        year: Int64,
        amount: Money,
        note: String? = nil
    ) {
        self.id = id
        self.year = year
        self.amount = amount
        self.note = note
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case year
        case amount
        case note
    }
}
