/// An exact amount of money in integer fen (分), presented as yuan (元) or 万元.
///
/// Example: `try Money(yuan: "6.40").fen == 640`, `Money(fen: 123450).formatted == "1,234.50"`,
/// `Money(fen: 1_380_000).wanYuan == "1.38"`.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }

    /// Parses yuan text such as "6.40", "12", "1,234.5"; more than 2 decimals is an error.
    public init(yuan text: String) throws(MoneyError) {
        do { fen = try FixedPoint2.parse(text) } catch { throw MoneyError(input: text, failure: error) }
    }

    /// Converts yuan given as a Double through its shortest decimal text: 6.4 → 640 fen exactly;
    /// 0.1 + 0.2 is rejected (17 decimal places).
    public init(yuan value: Double) throws(MoneyError) {
        do { fen = try FixedPoint2.parse(value) } catch {
            throw MoneyError(input: FieldInput.shortest(value), failure: error)
        }
    }

    /// Whole yuan.
    public init(yuan value: Int64) throws(MoneyError) {
        do { fen = try FixedPoint2.parse(value) } catch { throw MoneyError(input: String(value), failure: error) }
    }

    public static let zero = Money(fen: 0)

    /// "1234.50": plain yuan with two decimals (CSV, JSON).
    public var yuanText: String { FixedPoint2.format(fen, grouped: false) }
    /// "1,234.50": yuan with thousands separators (reports).
    public var formatted: String { FixedPoint2.format(fen, grouped: true) }
    /// Yuan as a Double (for Lua numbers): exact to the fen for amounts below 2^53 fen.
    public var yuan: Double { Double(fen) / 100 }
    /// 万元 with two decimals, rounded half away from zero: 13,800 yuan → "1.38".
    public var wanYuan: String { Money.wanYuan(fen: fen, decimals: 2) }

    /// 万元 with `decimals` places (0...4), rounded half away from zero.
    public static func wanYuan(fen: Int64, decimals: Int) -> String {
        let places = max(0, min(4, decimals))
        var divisor: Int64 = 1_000_000  // fen per 万元
        for _ in 0..<places { divisor /= 10 }
        let magnitude = fen.magnitude
        let units = (magnitude + UInt64(divisor / 2)) / UInt64(divisor)
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let whole = units / scale
        var text = (fen < 0 && units != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let fraction = String(units % scale)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }

    public var description: String { yuanText }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen &+ rhs.fen) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen &- rhs.fen) }

    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }
}

/// Why text or a number is not an amount of money (or area).
public struct MoneyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    let failure: FixedPoint2.Failure

    public var reason: String {
        switch failure {
        case .notANumber: return "is not a number"
        case .tooManyDecimals: return "has more than 2 decimal places"
        case .outOfRange: return "is out of range"
        }
    }

    public var description: String { "\(input) \(reason)" }
}
