import GRDB

/// A helping unit (帮扶单位, e.g. the forestry bureau) and its leading group (head and deputy).
///
/// Collection `units`; field names, Chinese labels and rules come from
/// `Schema.core["units"]` (`HelpUnit.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = HelpUnit(name: "区林业局", kind: "党政机关", groupHead: "局长", groupDeputy: "分管副局长"); try workspace.insert(&record, context: ctx)`.
public struct HelpUnit: FupinRecord, Hashable {
    public static let collectionName = "units"

    public var id: Int64?
    public var name: String
    public var kind: String?
    public var groupHead: String?
    public var groupHeadPost: String?
    public var groupDeputy: String?
    public var groupDeputyPost: String?
    public var supervisionPhone: String?
    public var contact: String?
    public var creditCode: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        name: String,
        kind: String? = nil,
        groupHead: String? = nil,
        groupHeadPost: String? = nil,
        groupDeputy: String? = nil,
        groupDeputyPost: String? = nil,
        supervisionPhone: String? = nil,
        contact: String? = nil,
        creditCode: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.groupHead = groupHead
        self.groupHeadPost = groupHeadPost
        self.groupDeputy = groupDeputy
        self.groupDeputyPost = groupDeputyPost
        self.supervisionPhone = supervisionPhone
        self.contact = contact
        self.creditCode = creditCode
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case name
        case kind
        case groupHead = "group_head"
        case groupHeadPost = "group_head_post"
        case groupDeputy = "group_deputy"
        case groupDeputyPost = "group_deputy_post"
        case supervisionPhone = "supervision_phone"
        case contact
        case creditCode = "credit_code"
        case valid
    }
}
