import FupinCore

/// How the schema's field types read in LuaLS annotations: the type a record holds, the types
/// `add`/`update` accept, and the words that document a field.
///
/// ```swift
/// StubTypes.recordType(FieldSpec("amount", .money, "金额（元）"))   // "number"
/// StubTypes.doc(FieldSpec("amount", .money, "金额（元）"))          // "金额（元） (money, yuan)"
/// StubTypes.className("poverty_lines")                              // "PovertyLines"
/// ```
enum StubTypes {
    /// `households` → `Households`, `poverty_lines` → `PovertyLines`, `audit_log` → `AuditLog`.
    static func className(_ collection: String) -> String {
        collection.split(separator: "_").map { part in
            part.prefix(1).uppercased() + part.dropFirst()
        }.joined()
    }

    /// The LuaLS type of a field's value in a record (without the nil marker).
    static func recordType(_ field: FieldSpec) -> String {
        switch field.type {
        case .text, .date, .idNumber, .phone, .creditCode: return "string"
        case .integer, .ref: return "integer"
        case .number, .money, .area: return "number"
        case .bool: return "boolean"
        case .enum(let vocabulary): return literalUnion(vocabulary.values) ?? "string"
        }
    }

    /// The LuaLS type `add`, `update` and filters accept for a field (input is converted: money
    /// as "6.40" or 6.4, bools as true or 是, enums by value, alias or label).
    static func inputType(_ field: FieldSpec) -> String {
        switch field.type {
        case .text: return "string|number"
        case .integer: return "integer|string"
        case .number, .money, .area: return "number|string"
        case .date, .idNumber, .creditCode: return "string"
        case .phone: return "string|integer"
        case .bool: return "boolean|string|integer"
        case .ref: return "integer"
        case .enum(let vocabulary): return (literalUnion(vocabulary.values) ?? "string") + "|string"
        }
    }

    /// The description of a field: its Chinese label, then notes on its type and rules.
    static func doc(_ field: FieldSpec) -> String {
        var notes: [String] = []
        switch field.type {
        case .money: notes.append("money, yuan")
        case .area: notes.append("area, 亩")
        case .date: notes.append("date \"YYYY-MM-DD\"")
        case .ref(let target): notes.append("id of fp.\(target)")
        case .idNumber: notes.append("18-character ID number")
        case .phone: notes.append("phone number")
        case .creditCode: notes.append("unified social credit code, 18 characters")
        case .enum(let vocabulary):
            if !vocabulary.labels.isEmpty {
                notes.append(vocabulary.values.map { "\($0)=\(vocabulary.label(of: $0))" }.joined(separator: ", "))
            }
        default: break
        }
        if field.required { notes.append("required") }
        if field.unique { notes.append("unique") }
        if let min = field.min, let max = field.max {
            notes.append("\(number(min))–\(number(max))")
        } else if let min = field.min {
            notes.append("≥ \(number(min))")
        } else if let max = field.max {
            notes.append("≤ \(number(max))")
        }
        if field.pii { notes.append("personal data: masked unless permitted") }
        var text = oneLine(field.label)
        if !notes.isEmpty { text += " (" + notes.joined(separator: "; ") + ")" }
        if let help = field.help, !help.isEmpty { text += " — " + oneLine(help) }
        return text
    }

    /// `"国家"|"省定"|"市定"`; nil when there are no values or a value cannot be written as a
    /// LuaLS literal (it holds a quote, backslash, `|` or control character).
    static func literalUnion(_ values: [String]) -> String? {
        guard !values.isEmpty else { return nil }
        let unsafe = values.contains { value in
            value.unicodeScalars.contains {
                $0 == "\"" || $0 == "\\" || $0 == "|" || $0.value < 0x20 || $0.value == 0x7F
            }
        }
        return unsafe ? nil : values.map { "\"" + $0 + "\"" }.joined(separator: "|")
    }

    /// Text on one line (line breaks and control characters become spaces), for comments.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// A parameter name Lua accepts (keywords get a trailing underscore).
    static func parameterName(_ name: String) -> String {
        luaKeywords.contains(name) ? name + "_" : name
    }

    /// Whether `name` can follow `fp.` in Lua code (a plain identifier, not a keyword).
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !luaKeywords.contains(name) else { return false }
        let isStart: (Unicode.Scalar) -> Bool = { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || $0 == "_" }
        return isStart(first) && name.unicodeScalars.allSatisfy { isStart($0) || ($0 >= "0" && $0 <= "9") }
    }

    static let luaKeywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
