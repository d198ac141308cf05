/// The type of one field of a collection: how it is stored, how input is converted, how it is checked.
///
/// Storage is exact: `money` is integer fen (Int64) and presented as yuan; `area` is integer
/// hundredths of a 亩 and presented as 亩 with two decimals; `date` is TEXT `YYYY-MM-DD`.
///
/// Example: `FieldType.money` for `distributions.value`, `.ref("households")` for `members.household_id`.
public enum FieldType: Sendable, Hashable {
    /// Free text.
    case text
    /// A whole number (Int64), e.g. a year or a household size.
    case integer
    /// A real number (Double), e.g. a quantity of seedlings or kilograms.
    case number
    /// Money: input and output in yuan, stored as integer fen; at most 2 decimal places.
    case money
    /// Area in 亩: stored as integer hundredths of a 亩; at most 2 decimal places.
    case area
    /// A calendar date, stored as TEXT `YYYY-MM-DD`; must be a real date.
    case date
    /// Yes/no, stored as 0/1.
    case bool
    /// One value of a closed vocabulary (e.g. 致贫原因), stored as TEXT.
    case `enum`(Vocabulary)
    /// The id of a record of another collection (by collection name), stored as INTEGER.
    case ref(String)
    /// An 18-character resident ID (GB 11643 check digit, plausible birth date). Personal data.
    case idNumber
    /// A mainland phone number: 11-digit mobile `1[3-9]…` or landline `0477-8888888`.
    case phone
    /// An organisation's unified social credit code (统一社会信用代码, GB 32100-2015 check character).
    case creditCode

    /// The name used in manifests, `fp.schema()` and type stubs: "text", "integer", "number",
    /// "money", "area", "date", "bool", "enum", "ref", "id_number", "phone", "credit_code".
    public var name: String {
        switch self {
        case .text: return "text"
        case .integer: return "integer"
        case .number: return "number"
        case .money: return "money"
        case .area: return "area"
        case .date: return "date"
        case .bool: return "bool"
        case .enum: return "enum"
        case .ref: return "ref"
        case .idNumber: return "id_number"
        case .phone: return "phone"
        case .creditCode: return "credit_code"
        }
    }

    /// The referenced collection for `.ref`, else nil.
    public var referencedCollection: String? {
        if case .ref(let target) = self { return target }
        return nil
    }

    /// The vocabulary for `.enum`, else nil.
    public var vocabulary: Vocabulary? {
        if case .enum(let vocabulary) = self { return vocabulary }
        return nil
    }

    /// How the value is stored in the database.
    public var storage: StorageClass {
        switch self {
        case .text, .date, .enum, .idNumber, .phone, .creditCode: return .text
        case .integer, .money, .area, .bool, .ref: return .integer
        case .number: return .real
        }
    }

    /// Whether min/max bounds and the non-negative rule apply (numbers, money, area).
    public var isQuantity: Bool {
        switch self {
        case .integer, .number, .money, .area: return true
        default: return false
        }
    }

    /// The storage class of a field's column.
    public enum StorageClass: String, Sendable, Hashable {
        case text = "TEXT", integer = "INTEGER", real = "REAL"
    }
}

/// One field of a collection: name (the column), type, Chinese label and the rules it obeys.
///
/// `min`/`max` are in presentation units (yuan for money, 亩 for area). Quantities (`number`,
/// `money`, `area`) are non-negative unless `allowsNegative` is set. `pii` marks personal data
/// that outputs mask unless the user asks for full values. `unique` is enforced by the database
/// and checked before writing.
///
/// Example: `FieldSpec("head_id_number", .idNumber, "户主证件号码", pii: true)`.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var label: String
    public var required: Bool
    public var min: Double?
    public var max: Double?
    public var pii: Bool
    public var unique: Bool
    public var allowsNegative: Bool
    /// Value stored when an insert does not give the field (storage form, e.g. `1` for bool true).
    public var defaultValue: DefaultValue?
    /// A one-line explanation for `fp.schema()`, stubs and `--help`.
    public var help: String?

    public init(
        _ name: String, _ type: FieldType, _ label: String,
        required: Bool = false, min: Double? = nil, max: Double? = nil,
        pii: Bool = false, unique: Bool = false, allowsNegative: Bool = false,
        defaultValue: DefaultValue? = nil, help: String? = nil
    ) {
        self.name = name
        self.type = type
        self.label = label
        self.required = required
        self.min = min
        self.max = max
        self.pii = pii
        self.unique = unique
        self.allowsNegative = allowsNegative
        self.defaultValue = defaultValue
        self.help = help
    }

    /// The referenced collection when this field is a reference.
    public var referencedCollection: String? { type.referencedCollection }

    /// A default in storage form.
    public enum DefaultValue: Sendable, Hashable {
        case integer(Int64)
        case text(String)
    }
}
