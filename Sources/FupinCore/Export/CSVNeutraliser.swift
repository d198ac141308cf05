/// Neutralises spreadsheet formulas in CSV text someone else wrote (a plugin's file): every
/// cell whose content begins with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`
/// (`CSVWriter.neutralised`), except a plain negative number (`-12.50`), which stays a number.
/// Everything else — byte-order mark, quoting, line ends — is kept byte for byte.
///
/// Example: `CSVNeutraliser.neutralise(Array("a,=1+1,-3\r\n\"@x\",b".utf8))` →
/// `a,'=1+1,-3\r\n"'@x",b`.
public enum CSVNeutraliser {
    public static func neutralise(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        if bytes.starts(with: TextDecoding.bom) {
            out.append(contentsOf: TextDecoding.bom)
            i = TextDecoding.bom.count
        }
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let cr: UInt8 = 0x0D
        let lf: UInt8 = 0x0A
        while i <= bytes.count {
            // One cell starts at i.
            let quoted = i < bytes.count && bytes[i] == quote
            let contentStart = quoted ? i + 1 : i
            var j = contentStart
            if quoted {
                while j < bytes.count {
                    if bytes[j] == quote {
                        if j + 1 < bytes.count && bytes[j + 1] == quote { j += 2; continue }
                        break
                    }
                    j += 1
                }
                // j is at the closing quote (or the end); the cell runs on to the separator.
                var k = j
                while k < bytes.count && bytes[k] != comma && bytes[k] != lf && bytes[k] != cr { k += 1 }
                emit(bytes, from: i, contentStart: contentStart, contentEnd: j, end: k, into: &out)
                j = k
            } else {
                while j < bytes.count && bytes[j] != comma && bytes[j] != lf && bytes[j] != cr { j += 1 }
                emit(bytes, from: i, contentStart: contentStart, contentEnd: j, end: j, into: &out)
            }
            guard j < bytes.count else { break }
            // The separator: a comma, or a line end (CRLF, LF or CR).
            out.append(bytes[j])
            if bytes[j] == cr && j + 1 < bytes.count && bytes[j + 1] == lf {
                out.append(lf)
                j += 1
            }
            i = j + 1
            if i == bytes.count { break }
        }
        return out
    }

    /// Copies one cell, with `'` before its content when it would be read as a formula.
    static func emit(
        _ bytes: [UInt8], from start: Int, contentStart: Int, contentEnd: Int, end: Int, into out: inout [UInt8]
    ) {
        let content = bytes[contentStart..<contentEnd]
        let risky: Bool
        switch content.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), 0x09, 0x0D: risky = true
        case UInt8(ascii: "-"): risky = !isNegativeNumber(content)
        default: risky = false
        }
        out.append(contentsOf: bytes[start..<contentStart])
        if risky { out.append(UInt8(ascii: "'")) }
        out.append(contentsOf: bytes[contentStart..<end])
    }

    /// `-12`, `-12.50`, `-1,234.5`: a number a spreadsheet reads as such.
    static func isNegativeNumber(_ content: ArraySlice<UInt8>) -> Bool {
        let digits = content.dropFirst()
        guard let first = digits.first, first >= 0x30 && first <= 0x39 else { return false }
        var seenPoint = false
        for byte in digits {
            if byte >= 0x30 && byte <= 0x39 || byte == UInt8(ascii: ",") { continue }
            if byte == UInt8(ascii: ".") && !seenPoint { seenPoint = true; continue }
            return false
        }
        return true
    }
}
