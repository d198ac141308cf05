/// An exact area in 亩, stored as integer hundredths of a 亩.
///
/// Example: `try Area(mu: "10050").hundredths == 1_005_000`, `Area(hundredths: 1250).muText == "12.50"`.
public struct Area: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var hundredths: Int64

    public init(hundredths: Int64) { self.hundredths = hundredths }

    /// Parses 亩 text such as "200", "12.5"; more than 2 decimals is an error.
    public init(mu text: String) throws(MoneyError) {
        do { hundredths = try FixedPoint2.parse(text) } catch { throw MoneyError(input: text, failure: error) }
    }

    /// Converts 亩 given as a Double through its shortest decimal text.
    public init(mu value: Double) throws(MoneyError) {
        do { hundredths = try FixedPoint2.parse(value) } catch {
            throw MoneyError(input: FieldInput.shortest(value), failure: error)
        }
    }

    /// "12.50".
    public var muText: String { FixedPoint2.format(hundredths, grouped: false) }
    /// "10,050.00".
    public var formatted: String { FixedPoint2.format(hundredths, grouped: true) }
    /// 亩 as a Double (for Lua numbers).
    public var mu: Double { Double(hundredths) / 100 }

    public var description: String { muText }
    public static func < (lhs: Area, rhs: Area) -> Bool { lhs.hundredths < rhs.hundredths }

    public init(from decoder: any Decoder) throws {
        hundredths = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hundredths)
    }
}
