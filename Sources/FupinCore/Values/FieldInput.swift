/// A value as scripts and files provide it, before conversion to a field's storage form.
///
/// Conversion rules (see `FieldConverter`): money and area accept yuan / 亩 as text ("6.40") or
/// numbers (6.4 uses its shortest decimal text "6.4", never `6.4 * 100`); more than 2 decimal
/// places is an error. Dates accept "YYYY-MM-DD" text. Bools accept true/false, 1/0, "是"/"否".
/// Empty or blank text is null.
///
/// Example: `["head_name": "郝九为", "size": 3, "value": 6.4]` as `[String: FieldInput]`.
public enum FieldInput: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)

    /// Whether this is `.null` or text that is empty or only spaces.
    public var isNullOrBlank: Bool {
        switch self {
        case .null: return true
        case .text(let text): return text.isEmpty || text.trimmingSpaces().isEmpty
        default: return false
        }
    }

    /// A short rendering for error messages: text as is, numbers in shortest form.
    public var display: String {
        switch self {
        case .null: return "null"
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .double(let value): return FieldInput.shortest(value)
        case .bool(let value): return value ? "true" : "false"
        }
    }

    /// The shortest decimal text that reads back as `value` ("6.4", "0.30000000000000004", "12").
    public static func shortest(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 9.0e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension FieldInput: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
