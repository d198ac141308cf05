/// Decimal digits written straight into a byte buffer, without making a `String`: the ids and
/// numbers of a bulk write's COPY text and audit JSON, a million of them in a county's import.
///
/// Example: `var bytes: [UInt8] = []; bytes.appendDecimal(-42)` leaves `Array("-42".utf8)`.
extension Array where Element == UInt8 {
    /// Appends `number` in decimal, a minus sign first when it is negative.
    mutating func appendDecimal(_ number: Int64) {
        number.withDecimalDigits { append(contentsOf: $0) }
    }
}

extension Int64 {
    /// Calls `body` with this number's decimal text (a minus sign first when it is negative) as
    /// bytes on the stack: the digits come out last first, so they are made in a buffer of their
    /// own and handed over in one go.
    ///
    /// Example: `(-42).withDecimalDigits { Array($0) }` is `Array("-42".utf8)`.
    @inline(__always)
    func withDecimalDigits<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        // 19 digits and a sign at most (Int64.min).
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { space in
            var magnitude = self.magnitude
            var start = space.count
            repeat {
                start -= 1
                space[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if self < 0 {
                start -= 1
                space[start] = UInt8(ascii: "-")
            }
            return try body(UnsafeBufferPointer(rebasing: space[start...]))
        }
    }
}

extension Int64 {
    /// The integer whose decimal text (a minus sign first when negative, as `appendDecimal`
    /// writes it) is `bytes`; nil for anything else, `\N` (COPY's NULL) included, or a number
    /// past Int64's range.
    ///
    /// Example: `Int64(copyText: bytes)` is 42 for the bytes of "42".
    init?(copyText bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(Int64(digit)) : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow && !overflow2 else { return nil }
            value = next
            index += 1
        }
        self = value
    }
}
