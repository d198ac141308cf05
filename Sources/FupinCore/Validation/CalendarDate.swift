import Foundation

/// A real calendar date (proleptic Gregorian), stored as TEXT `YYYY-MM-DD`.
///
/// Example: `CalendarDate(parsing: "2019-02-30") == nil`, `CalendarDate(parsing: "2019/3/5")?.text == "2019-03-05"`.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// nil unless year 1...9999, month 1...12 and the day exists in that month.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, also `YYYY/M/D`, `YYYY.M.D` and `YYYYMMDD`; nil if not a real date.
    public init?(parsing text: String) {
        // Fast path: exactly `YYYY-MM-DD` (what files and this type write), read from the bytes.
        switch CalendarDate.isoParts(text) {
        case .date(let year, let month, let day):
            guard year >= 1000 else { return nil }
            self.init(year: year, month: month, day: day)
            return
        case .malformed:
            return nil
        case .otherForm:
            break
        }
        var parts: [Int] = []
        var current = 0
        var digits = 0
        var total = 0
        var separator: UInt8 = 0
        for byte in text.utf8 {
            if byte >= 48 && byte <= 57 {
                current = current * 10 + Int(byte - 48)
                digits += 1
                total += 1
                if digits > 8 { return nil }
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") {
                if separator == 0 { separator = byte } else if separator != byte { return nil }
                guard digits > 0 else { return nil }
                parts.append(current)
                current = 0
                digits = 0
            } else if byte == 32 && parts.isEmpty && digits == 0 {
                continue  // leading space
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        parts.append(current)
        if parts.count == 1 && total == 8 {
            let value = parts[0]
            self.init(year: value / 10000, month: value / 100 % 100, day: value % 100)
            return
        }
        guard parts.count == 3, parts[0] >= 1000 else { return nil }
        if separator == UInt8(ascii: "-"), !(text.utf8.count == 10) { return nil }  // ISO form is strict
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    private enum ISOParts { case date(Int, Int, Int), malformed, otherForm }

    /// The numbers of a 10-character `YYYY-MM-DD`; `otherForm` when the text is not shaped so.
    private static func isoParts(_ text: String) -> ISOParts {
        var copy = text
        return copy.withUTF8 { bytes -> ISOParts in
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return .otherForm }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for k in range {
                    guard bytes[k] >= 48 && bytes[k] <= 57 else { return nil }
                    value = value * 10 + Int(bytes[k] - 48)
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else {
                return .malformed
            }
            return .date(year, month, day)
        }
    }

    /// Today in the local time zone.
    public static func today() -> CalendarDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        return CalendarDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDate.fallback
    }

    private static let fallback = CalendarDate(unchecked: 2000, 1, 1)
    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var text: String {
        // Ten ASCII bytes: a small string, built without interpolation.
        let digits: [UInt8] = [
            UInt8(48 + year / 1000 % 10), UInt8(48 + year / 100 % 10), UInt8(48 + year / 10 % 10),
            UInt8(48 + year % 10),
            0x2D, UInt8(48 + month / 10), UInt8(48 + month % 10), 0x2D, UInt8(48 + day / 10), UInt8(48 + day % 10),
        ]
        return String(decoding: digits, as: UTF8.self)
    }

    public var description: String { text }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
