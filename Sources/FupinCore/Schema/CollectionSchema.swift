/// The description of one collection (one table): its fields, labels and rules. This one value
/// drives table creation, validation, the Lua API (`fp.<name>:fields()`), CSV headers and stubs.
///
/// Every record has an integer `id` (not listed in `fields`). When `keepsValidFlag` is true the
/// collection has a `valid` field (有效标识, bool, default true), appended to `fields`
/// automatically, and removal marks a record invalid instead of deleting it.
///
/// Example: `Schema.core["households"]?.field("head_id_number")?.label == "户主证件号码"`.
public struct CollectionSchema: Sendable, Hashable {
    /// Table name and `fp.<name>`.
    public let name: String
    /// Chinese label, e.g. "贫困户".
    public let label: String
    /// Fields in display order (the `valid` field last when `keepsValidFlag`).
    public let fields: [FieldSpec]
    /// Removal marks invalid (true) or deletes (false). Either way the removal is audited.
    public let keepsValidFlag: Bool
    /// The date field that `year = 2019` filters apply to, if any.
    public let dateField: String?
    /// The integer year field that `year = 2019` filters apply to, if any.
    public let yearField: String?
    /// Rules that involve more than one field.
    public let rules: [CollectionRule]
    /// One line saying what a record is, for `fp.schema()` and stubs.
    public let summary: String
    private let indexByName: [String: Int]

    public init(
        name: String, label: String, summary: String = "", fields: [FieldSpec],
        keepsValidFlag: Bool, dateField: String? = nil, yearField: String? = nil,
        rules: [CollectionRule] = []
    ) {
        var all = fields
        if keepsValidFlag && !fields.contains(where: { $0.name == CollectionSchema.validField }) {
            all.append(
                FieldSpec(
                    CollectionSchema.validField, .bool, "有效标识", required: true, defaultValue: .integer(1),
                    help: "false once the record is removed (marked invalid)"))
        }
        self.name = name
        self.label = label
        self.summary = summary
        self.fields = all
        self.keepsValidFlag = keepsValidFlag
        self.dateField = dateField
        self.yearField = yearField
        self.rules = rules
        var index: [String: Int] = [:]
        for (offset, field) in all.enumerated() { index[field.name] = offset }
        self.indexByName = index
    }

    /// The name of the record id column.
    public static let idField = "id"
    /// The name of the valid flag column.
    public static let validField = "valid"

    /// The field called `name`, or nil.
    public func field(_ name: String) -> FieldSpec? {
        indexByName[name].map { fields[$0] }
    }

    /// The position of field `name` in `fields`, or nil.
    public func index(of name: String) -> Int? { indexByName[name] }

    /// The field whose name or Chinese label is `nameOrLabel` (for CSV headers), or nil.
    public func field(matching nameOrLabel: String) -> FieldSpec? {
        if let field = field(nameOrLabel) { return field }
        return fields.first { $0.label == nameOrLabel }
    }

    /// All column names in table order: `id`, then every field.
    public var columnNames: [String] { [CollectionSchema.idField] + fields.map(\.name) }

    /// Fields that reference other collections.
    public var referenceFields: [FieldSpec] { fields.filter { $0.referencedCollection != nil } }

    /// Fields holding personal data, masked in outputs.
    public var piiFields: [FieldSpec] { fields.filter(\.pii) }

    public static func == (lhs: CollectionSchema, rhs: CollectionSchema) -> Bool {
        lhs.name == rhs.name && lhs.label == rhs.label && lhs.fields == rhs.fields
            && lhs.keepsValidFlag == rhs.keepsValidFlag && lhs.dateField == rhs.dateField
            && lhs.yearField == rhs.yearField && lhs.rules == rhs.rules
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(fields)
    }
}

/// A rule over several fields of one record, checked after the single-field rules.
///
/// Example: `.notBefore("end_date", "start_date")` — an end date may not precede the start.
public enum CollectionRule: Sendable, Hashable {
    /// At least one of these fields must have a value.
    case atLeastOne([String])
    /// When both have values, the first (a date or integer) must not be less than the second.
    case notBefore(String, String)
    /// `result = factors.0 × factors.1` (e.g. amount = quantity × unit_price), in presentation
    /// units (yuan, 亩): any two give the third; when all three are given they must agree.
    case product(String, factors: [String])
    /// When a record's value of the field changes, the new value must be one listed for the old
    /// one (e.g. a project's status: 洽谈 → 协调中 → 实施中 → 已完成). A value with no entry may
    /// change to anything; setting the first value is free.
    case transitions(String, allowed: [String: [String]])

    /// The fields the rule names.
    public var fieldNames: [String] {
        switch self {
        case .atLeastOne(let names): return names
        case .notBefore(let later, let earlier): return [later, earlier]
        case .product(let result, let factors): return [result] + factors
        case .transitions(let field, _): return [field]
        }
    }
}

/// A set of collections: the core ones (`Schema.core`) plus, at run time, plugin ledgers.
///
/// Example: `Schema.core["members"]?.label == "家庭成员"`.
public struct Schema: Sendable, Hashable {
    /// Collections in dependency order (a collection comes after those it references).
    public private(set) var collections: [CollectionSchema]
    private var indexByName: [String: Int]

    public init(_ collections: [CollectionSchema]) {
        self.collections = []
        self.indexByName = [:]
        for collection in collections { upsert(collection) }
    }

    /// The collection called `name`, or nil.
    public subscript(name: String) -> CollectionSchema? {
        indexByName[name].map { collections[$0] }
    }

    /// Collection names in order.
    public var names: [String] { collections.map(\.name) }

    /// Adds `collection`, or replaces the one of the same name.
    public mutating func upsert(_ collection: CollectionSchema) {
        if let index = indexByName[collection.name] {
            collections[index] = collection
        } else {
            indexByName[collection.name] = collections.count
            collections.append(collection)
        }
    }

    /// Problems in the description itself: duplicate fields, references to unknown collections,
    /// rules, date/year fields naming unknown fields, bad names. Empty when consistent.
    public func problems() -> [String] {
        var problems: [String] = []
        for collection in collections {
            if !SQLIdentifier.isPlain(collection.name) { problems.append("\(collection.name): bad collection name") }
            var seen = Set<String>()
            for field in collection.fields {
                if !seen.insert(field.name).inserted {
                    problems.append("\(collection.name).\(field.name): duplicate field")
                }
                if !SQLIdentifier.isPlain(field.name) || field.name == CollectionSchema.idField {
                    problems.append("\(collection.name).\(field.name): bad field name")
                }
                if let target = field.referencedCollection, self[target] == nil {
                    problems.append("\(collection.name).\(field.name): references unknown collection \(target)")
                }
            }
            for name in collection.rules.flatMap(\.fieldNames)
                + [collection.dateField, collection.yearField].compactMap({ $0 })
            where collection.field(name) == nil {
                problems.append("\(collection.name): rule names unknown field \(name)")
            }
        }
        return problems
    }

    public static func == (lhs: Schema, rhs: Schema) -> Bool { lhs.collections == rhs.collections }
    public func hash(into hasher: inout Hasher) { hasher.combine(collections) }
}

/// Plain SQL identifiers: ASCII letters, digits and `_`, not starting with a digit.
///
/// Example: `SQLIdentifier.isPlain("unit_price") == true`, `SQLIdentifier.isPlain("2x") == false`.
public enum SQLIdentifier {
    public static func isPlain(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy {
            ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95
        }
    }
}
