import Testing

@testable import FupinCore

/// Decimal digits written into byte buffers (`appendDecimal`), as the bulk writes' COPY text
/// and audit JSON carry ids and numbers.
@Suite struct DecimalBytesTests {
    @Test func digitsAreStringsDigits() {
        for number: Int64 in [0, 7, -1, 10, 1_000_000, 1_234_567_890, -9_876_543_210, .max, .min] {
            var bytes: [UInt8] = Array("x".utf8)
            bytes.appendDecimal(number)
            #expect(bytes == Array("x\(number)".utf8), "\(number)")
        }
    }
}
