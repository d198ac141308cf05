/// Masks personal data for lists, printouts and exports (unless the user asks for full values):
/// ID numbers keep the first 4 and last 4 characters, phones the first 3 and last 4 digits.
///
/// Example: `Masking.idNumber("152701198001011234") == "1527**********1234"`,
/// `Masking.phone("13800135678") == "138****5678"`.
public enum Masking {
    /// `1527**********1234`; text of 8 characters or fewer is masked whole.
    public static func idNumber(_ value: String) -> String {
        keep(value, first: 4, last: 4)
    }

    /// `138****5678` for mobiles; landlines keep the area code and last 4 (`0477-***8888`).
    public static func phone(_ value: String) -> String {
        if let dash = value.firstIndex(of: "-"), value.hasPrefix("0") {
            let area = value[..<dash]
            let rest = String(value[value.index(after: dash)...])
            return area + "-" + keep(rest, first: 0, last: 4)
        }
        return keep(value, first: 3, last: 4)
    }

    /// Any other personal text (health status, bank account): every character but the first.
    public static func other(_ value: String) -> String {
        keep(value, first: value.count > 8 ? 4 : 1, last: value.count > 8 ? 4 : 0)
    }

    /// The masked form of a value of `field` (unchanged when the field is not personal data).
    /// `personal` names the personal fields the audit log's `before`/`after` JSON may hold
    /// (`AuditMasking`); by default those of the core collections.
    public static func mask(_ value: String, for field: FieldSpec, personal: [String: FieldSpec]? = nil) -> String {
        guard field.pii, !value.isEmpty else { return value }
        if AuditMasking.isChangeField(field) {
            return AuditMasking.mask(value, personal: personal ?? AuditMasking.corePersonalFields)
        }
        switch field.type {
        case .idNumber: return idNumber(value)
        case .phone: return phone(value)
        default: return other(value)
        }
    }

    static func keep(_ value: String, first: Int, last: Int) -> String {
        // ID numbers and phones are printable ASCII, one character per byte: mask the bytes
        // (splitting into Characters is most of the cost of reading masked records).
        var text = value
        if let masked = text.withUTF8({ bytes -> String? in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            let count = bytes.count
            guard count > first + last else { return String(repeating: "*", count: count) }
            return String(unsafeUninitializedCapacity: count) { out in
                for i in 0..<count { out[i] = i < first || i >= count - last ? bytes[i] : UInt8(ascii: "*") }
                return count
            }
        }) {
            return masked
        }
        let characters = Array(value)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last)
            + String(characters.suffix(last))
    }
}
