/// A stored row's two texts made in one pass over its values: its COPY text (each field after
/// a tab, as `PostgresBulkCopy.append` writes a value) and its audit JSON (each value after a
/// comma, as `AuditJSONBuffer.append` writes one). Most values are text with nothing to
/// escape in either form — a scan of their bytes says so once, and they are copied into both;
/// the rest are written by those two functions, the reference for every form.
///
/// Example:
/// ```swift
/// let copy = ByteBuffer(), audit = ByteBuffer()
/// StoredRowText.append(["户主", 3], copy: copy, audit: audit)   // "\t户主\t3", ",\"户主\",3"
/// ```
enum StoredRowText {
    /// Appends every value of `row`: a tab and its COPY text to `copy`, a comma and its JSON
    /// to `audit`.
    static func append(_ row: [SQLValue], copy: ByteBuffer, audit: ByteBuffer) {
        for value in row {
            switch value {
            case .text(let text):
                var text = text
                text.withUTF8 { utf8 in
                    guard isPlain(utf8) else { return appendEscaped(value, copy: copy, audit: audit) }
                    copy.reserve(utf8.count + 1)
                    copy.put(9)
                    copy.put(utf8)
                    putQuoted(utf8, to: audit)
                }
            case .integer(let number):
                number.withDecimalDigits { digits in
                    copy.reserve(digits.count + 1)
                    copy.put(9)
                    copy.put(digits)
                    audit.reserve(digits.count + 1)
                    audit.put(UInt8(ascii: ","))
                    audit.put(digits)
                }
            case .null:
                copy.reserve(3)
                copy.put(9)
                copy.put(92)
                copy.put(UInt8(ascii: "N"))
                appendAudit(value, to: audit)
            case .real, .blob:
                appendEscaped(value, copy: copy, audit: audit)
            }
        }
    }

    /// Appends a comma and the JSON of each value of `row` to `audit` (no COPY text: the values
    /// are bound, not copied).
    static func appendAudit(_ row: [SQLValue], to audit: ByteBuffer) {
        for value in row {
            if case .text(let text) = value {
                var text = text
                let plain = text.withUTF8 { utf8 in
                    guard isPlain(utf8) else { return false }
                    putQuoted(utf8, to: audit)
                    return true
                }
                if plain { continue }
            }
            appendAudit(value, to: audit)
        }
    }

    /// Whether text is the same in COPY text, inside JSON quotes and as it is: no control
    /// character (tab and line breaks among them), quote or backslash.
    @inline(__always)
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
        return true
    }

    /// A value written by the reference functions, through an array.
    private static func appendEscaped(_ value: SQLValue, copy: ByteBuffer, audit: ByteBuffer) {
        var text: [UInt8] = [9]
        PostgresBulkCopy.append(value, to: &text)
        copy.append(contentsOf: text)
        appendAudit(value, to: audit)
    }

    /// A comma and a value's JSON, written by the reference function, through an array.
    private static func appendAudit(_ value: SQLValue, to audit: ByteBuffer) {
        var json: [UInt8] = [UInt8(ascii: ",")]
        AuditJSONBuffer.append(value, to: &json)
        audit.append(contentsOf: json)
    }

    /// Writes a comma and `utf8` in JSON quotes (text `isPlain` says needs no escape).
    @inline(__always)
    private static func putQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to audit: ByteBuffer) {
        audit.reserve(utf8.count + 3)
        audit.put(UInt8(ascii: ","))
        audit.put(UInt8(ascii: "\""))
        audit.put(utf8)
        audit.put(UInt8(ascii: "\""))
    }
}
