import GRDB

/// A visit or call by a cadre to a household (帮扶记录): what was done, result, problems, follow-up.
///
/// Collection `visits`; field names, Chinese labels and rules come from
/// `Schema.core["visits"]` (`Visit.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Visit(date: "2019-06-01", cadreId: 1, householdId: 1, mode: "入户", content: "送去鸡仔30只"); try workspace.insert(&record, context: ctx)`.
public struct Visit: FupinRecord, Hashable {
    public static let collectionName = "visits"

    public var id: Int64?
    public var date: String
    public var cadreId: Int64
    public var householdId: Int64
    public var mode: String
    public var content: String?
    public var result: String?
    public var problems: String?
    public var followUp: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        date: String,
        cadreId: Int64,
        householdId: Int64,
        mode: String,
        content: String? = nil,
        result: String? = nil,
        problems: String? = nil,
        followUp: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.date = date
        self.cadreId = cadreId
        self.householdId = householdId
        self.mode = mode
        self.content = content
        self.result = result
        self.problems = problems
        self.followUp = followUp
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case date
        case cadreId = "cadre_id"
        case householdId = "household_id"
        case mode
        case content
        case result
        case problems
        case followUp = "follow_up"
        case valid
    }
}
