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

/// Integers read back from COPY text (`Int64(copyText:)`), as the bulk writer reads a copied
/// row's references.
@Suite struct DecimalBytesReadingTests {
    func read(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBufferPointer { Int64(copyText: $0) }
    }

    @Test func writtenDigitsReadBackAsTheirNumber() {
        for number: Int64 in [0, 7, -1, 10, 1_234_567_890, -9_876_543_210, .max, .min] {
            var bytes: [UInt8] = []
            bytes.appendDecimal(number)
            #expect(bytes.withUnsafeBufferPointer { Int64(copyText: $0) } == number, "\(number)")
        }
    }

    @Test func anythingButDigitsIsNoNumber() {
        for text in ["", "-", "\\N", "1a", " 1", "1 ", "+1", "1.0", "9223372036854775808", "-9223372036854775809"] {
            #expect(read(text) == nil, "\(text)")
        }
    }
}
