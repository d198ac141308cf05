/// Writes RFC 4180 CSV as UTF-8 with a byte-order mark (so Excel on Chinese Windows opens it
/// as UTF-8 instead of GB18030), CRLF line ends, and quotes only where needed: a field holding
/// a comma, a quote (doubled), a line break, or leading/trailing spaces.
///
/// Example:
/// ```swift
/// var csv = CSVWriter()
/// csv.writeRow(["户主姓名", "备注"])
/// csv.writeRow(["郝九为", "说 \"好\", 行"])
/// // csv.bytes: BOM, 户主姓名,备注\r\n郝九为,"说 ""好"", 行"\r\n
/// ```
public struct CSVWriter: Sendable {
    /// What has been written so far (take it and `removeAll` to stream in chunks).
    public var bytes: [UInt8] = []

    /// A writer that starts with the UTF-8 BOM when `byteOrderMark` (the default).
    public init(byteOrderMark: Bool = true) {
        bytes.reserveCapacity(1 << 16)
        if byteOrderMark { bytes.append(contentsOf: TextDecoding.bom) }
    }

    /// Appends one record.
    public mutating func writeRow(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            writeField(field)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// Appends one field, quoted when needed.
    public mutating func writeField(_ field: String) {
        var copy = field
        copy.withUTF8 { utf8 in
            if !CSVWriter.needsQuotes(utf8) {
                bytes.append(contentsOf: utf8)
                return
            }
            bytes.append(0x22)
            for byte in utf8 {
                bytes.append(byte)
                if byte == 0x22 { bytes.append(0x22) }
            }
            bytes.append(0x22)
        }
    }

    /// `text` made safe to open in a spreadsheet: a cell beginning with `=`, `+`, `-`, `@`, tab
    /// or carriage return would be read as a formula (OWASP "CSV injection"), so it gets a
    /// leading `'`, which spreadsheets show as text and do not display. Only for text cells:
    /// a numeric column keeps its negative numbers numeric.
    ///
    /// Example: `CSVWriter.neutralised("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"`.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + text
        default: return text
        }
    }

    static func needsQuotes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        if first == 0x20 || last == 0x20 || first == 0x09 || last == 0x09 { return true }
        for byte in utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
        return false
    }

    /// The CSV text of `rows` (tests, small exports).
    public static func text(_ rows: [[String]], byteOrderMark: Bool = false) -> String {
        var writer = CSVWriter(byteOrderMark: byteOrderMark)
        for row in rows { writer.writeRow(row) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
