/// Decimal digits written straight into a byte buffer, without making a `String`: the ids and
/// numbers of a bulk write's COPY text and audit JSON, a million of them in a county's import.
///
/// Example: `var bytes: [UInt8] = []; bytes.appendDecimal(-42)` leaves `Array("-42".utf8)`.
extension Array where Element == UInt8 {
    /// Appends `number` in decimal, a minus sign first when it is negative.
    mutating func appendDecimal(_ number: Int64) {
        if number < 0 { append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        // The digits come out last first: made in a buffer on the stack, appended in one go.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { space in
            var start = space.count
            repeat {
                start -= 1
                space[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: space[start...]))
        }
    }
}
