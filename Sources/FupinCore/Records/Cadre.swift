import GRDB

/// A cadre (帮扶责任人) of a unit, paired with households.
///
/// Collection `cadres`; field names, Chinese labels and rules come from
/// `Schema.core["cadres"]` (`Cadre.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Cadre(name: "王明刚", sex: "男", unitId: 1, post: "科长", phone: "13800138000"); try workspace.insert(&record, context: ctx)`.
public struct Cadre: FupinRecord, Hashable {
    public static let collectionName = "cadres"

    public var id: Int64?
    public var name: String
    public var sex: String?
    public var unitId: Int64
    public var post: String?
    public var phone: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        name: String,
        sex: String? = nil,
        unitId: Int64,
        post: String? = nil,
        phone: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.name = name
        self.sex = sex
        self.unitId = unitId
        self.post = post
        self.phone = phone
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case name
        case sex
        case unitId = "unit_id"
        case post
        case phone
        case valid
    }
}
