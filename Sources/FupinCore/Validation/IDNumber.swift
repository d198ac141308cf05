/// The 18-character resident ID number (公民身份号码, GB 11643-1999): 6-digit area code,
/// 8-digit birth date, 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character.
///
/// Example: `IDNumber.checkCharacter(for: "15270119800101123") == "X"` is what decides whether
/// `152701198001011234` passes.
public enum IDNumber {
    /// Weights of the first 17 digits.
    static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check characters by remainder 0...10.
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)

    /// The check character for the first 17 digits, or nil if they are not 17 ASCII digits.
    public static func checkCharacter(for first17: String) -> Character? {
        let bytes = Array(first17.utf8)
        guard bytes.count == 17, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Character(Unicode.Scalar(checkByte(bytes)))
    }

    static func checkByte<C: Collection>(_ digits: C) -> UInt8 where C.Element == UInt8 {
        var sum = 0
        for (weight, digit) in zip(weights, digits) { sum += weight * Int(digit - 48) }
        return checkCharacters[sum % 11]
    }

    /// Why `text` is not a valid ID number (the reason of a `ValidationError`), or nil when valid.
    /// A lower-case x is accepted (and stored upper-case by `normalized`).
    public static func problem(_ text: String, today: CalendarDate) -> String? {
        var copy = text
        return copy.withUTF8 { problem($0, today: today) }
    }

    /// The same check over UTF-8 bytes (no array is made: imports check a million of these).
    static func problem(_ bytes: UnsafeBufferPointer<UInt8>, today: CalendarDate) -> String? {
        guard bytes.count == 18 else { return "is not 18 characters long" }
        for byte in bytes.prefix(17) where !(byte >= 48 && byte <= 57) {
            return "has a character other than a digit in its first 17"
        }
        let last = bytes[17]
        guard (last >= 48 && last <= 57) || last == UInt8(ascii: "X") || last == UInt8(ascii: "x") else {
            return "ends in a character other than a digit or X"
        }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        let year = number(6..<10)
        let month = number(10..<12)
        let day = number(12..<14)
        guard let birth = CalendarDate(year: year, month: month, day: day) else {
            return "has an impossible birth date \(year)-\(pad(month))-\(pad(day))"
        }
        if year < 1900 { return "has a birth date before 1900" }
        if birth > today { return "has a birth date in the future" }
        let expected = checkByte(bytes.prefix(17))
        let given = last == UInt8(ascii: "x") ? UInt8(ascii: "X") : last
        if given != expected { return "fails the ID check digit" }
        return nil
    }

    /// The stored form: upper-case X, surrounding spaces removed.
    public static func normalized(_ text: String) -> String {
        let trimmed = text.trimmingSpaces()
        return trimmed.hasSuffix("x") ? String(trimmed.dropLast()) + "X" : trimmed
    }

    /// The birth date encoded in a valid ID number.
    public static func birthDate(_ text: String) -> CalendarDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 18, bytes.prefix(14).allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        return CalendarDate(year: number(6..<10), month: number(10..<12), day: number(12..<14))
    }

    /// 男 when the 17th digit is odd, 女 when even.
    public static func sex(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 18, bytes[16] >= 48 && bytes[16] <= 57 else { return nil }
        return (bytes[16] - 48) % 2 == 1 ? "男" : "女"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
