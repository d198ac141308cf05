/// Mainland China phone numbers: an 11-digit mobile starting 1[3-9], or a landline with its
/// area code (0 + 2–3 digits, then 7–8 digits), written `0477-8888888`, `(0477)8888888` or
/// `04778888888`; an extension `-123` may follow a landline.
///
/// Example: `PhoneNumber.normalized("138 0013 8000") == "13800138000"`.
public enum PhoneNumber {
    /// The stored form (mobile: 11 digits; landline: `0AAA-NNNNNNN[-EXT]`), or nil if invalid.
    public static func normalized(_ text: String) -> String? {
        var digits: [UInt8] = []
        var groups: [[UInt8]] = [[]]
        for byte in text.utf8 {
            switch byte {
            case 48...57:
                digits.append(byte)
                groups[groups.count - 1].append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"):
                if !(groups.last?.isEmpty ?? true) { groups.append([]) }
            default:
                return nil
            }
        }
        if groups.last?.isEmpty ?? false { groups.removeLast() }
        // Mobile: exactly 11 digits starting 1[3-9], however spaced.
        if digits.count == 11, digits[0] == UInt8(ascii: "1"), digits[1] >= UInt8(ascii: "3") {
            return String(decoding: digits, as: UTF8.self)
        }
        guard digits.first == UInt8(ascii: "0") else { return nil }
        var area: [UInt8]
        var local: [UInt8]
        var ext: [UInt8] = []
        if groups.count >= 2, let first = groups.first, first.first == UInt8(ascii: "0") {
            area = first
            local = groups[1]
            if groups.count == 3 { ext = groups[2] } else if groups.count > 3 { return nil }
        } else if groups.count == 1 {
            // Unseparated: try 3-digit (010, 020-029) then 4-digit area codes.
            let all = digits
            let threeDigit = all.count >= 2 && (all[1] == UInt8(ascii: "1") || all[1] == UInt8(ascii: "2"))
            let split = threeDigit ? 3 : 4
            guard all.count > split else { return nil }
            area = Array(all.prefix(split))
            local = Array(all.dropFirst(split))
        } else {
            return nil
        }
        guard (3...4).contains(area.count), area[0] == UInt8(ascii: "0"), area[1] != UInt8(ascii: "0"),
            (7...8).contains(local.count), local[0] >= UInt8(ascii: "2"),
            ext.count <= 6
        else { return nil }
        var result = String(decoding: area, as: UTF8.self) + "-" + String(decoding: local, as: UTF8.self)
        if !ext.isEmpty { result += "-" + String(decoding: ext, as: UTF8.self) }
        return result
    }

    /// Whether `text` is a valid mainland phone number.
    public static func isValid(_ text: String) -> Bool { normalized(text) != nil }
}
