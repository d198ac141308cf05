/// Exact parsing of decimal text with at most two decimal places into hundredths (Int64):
/// "6.40" → 640, "12" → 1200, "-0.5" → -50, "1,234.5" → 123450. Never uses floating point.
enum FixedPoint2 {
    enum Failure: Error, Equatable {
        case notANumber
        case tooManyDecimals
        case outOfRange
    }

    /// Parses `text` (ASCII digits, optional sign, optional '.', optional thousands commas,
    /// surrounding spaces ignored; also a trailing 'e'-free plain form only).
    static func parse(_ text: String) throws(Failure) -> Int64 {
        var utf8 = Substring(text).utf8[...]
        while let first = utf8.first, first == 32 || first == 9 { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 32 || last == 9 { utf8 = utf8.dropLast() }
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenDigit = false
        var seenPoint = false
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                seenDigit = true
                if seenPoint {
                    if fractionDigits == 2 {
                        if digit != 0 { throw .tooManyDecimals }
                        continue  // trailing zeros beyond two places ("6.400") are exact
                    }
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                } else {
                    let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(digit)
                    if o1 || o2 { throw .outOfRange }
                    whole = sum
                }
            case UInt8(ascii: "."):
                if seenPoint { throw .notANumber }
                seenPoint = true
            case UInt8(ascii: ","):
                if seenPoint { throw .notANumber }
            default:
                throw .notANumber
            }
        }
        if !seenDigit { throw .notANumber }
        if fractionDigits == 1 { fraction *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: 100)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        if o1 || o2 || total > maxMagnitude { throw .outOfRange }
        return negative ? -total : total
    }

    /// Hundredths from a Double through its shortest decimal representation, so 6.4 → 640 and
    /// 0.1 + 0.2 (0.30000000000000004) → tooManyDecimals.
    static func parse(_ value: Double) throws(Failure) -> Int64 {
        guard value.isFinite else { throw .notANumber }
        guard abs(value) < Double(maxMagnitude / 100) else { throw .outOfRange }
        let text = FieldInput.shortest(value)
        if text.contains("e") || text.contains("E") {
            // Tiny magnitudes print in exponent form; only zero is exact at two places.
            if value == 0 { return 0 }
            throw .tooManyDecimals
        }
        return try parse(text)
    }

    /// Hundredths from an integer of whole units.
    static func parse(_ value: Int64) throws(Failure) -> Int64 {
        let (scaled, overflow) = value.multipliedReportingOverflow(by: 100)
        if overflow || abs(scaled) > maxMagnitude { throw .outOfRange }
        return scaled
    }

    /// Largest magnitude accepted (about 9.0e15 hundredths, 90 trillion units).
    static let maxMagnitude: Int64 = 9_000_000_000_000_000

    /// "1234.50" (plain) or "1,234.50" (grouped) from hundredths.
    static func format(_ hundredths: Int64, grouped: Bool, decimals: Int = 2) -> String {
        let negative = hundredths < 0
        let magnitude = hundredths.magnitude
        let whole = magnitude / 100
        let fraction = Int(magnitude % 100)
        var wholeText = String(whole)
        if grouped && wholeText.count > 3 {
            var grouped = ""
            for (offset, character) in wholeText.enumerated() {
                if offset > 0 && (wholeText.count - offset) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            wholeText = grouped
        }
        let fractionText = fraction < 10 ? "0\(fraction)" : "\(fraction)"
        return (negative ? "-" : "") + wholeText + "." + fractionText
    }
}
