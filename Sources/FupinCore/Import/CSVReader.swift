#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fast RFC 4180 CSV reader over a UTF-8 byte buffer.
///
/// Why hand-written: the import target is a million 26-column rows within 3× of sqlite3's own
/// `.import`. General CSV libraries (e.g. yaslab/CSV.swift) iterate Unicode scalars and build a
/// `String` for every field, which alone takes longer than the whole budget. This reader scans
/// bytes (`,` `"` CR LF are ASCII and never occur inside a multi-byte UTF-8 character), keeps
/// only the byte ranges of a row's fields in a reused array, and makes a `String` only when a
/// caller asks for a field's text.
///
/// What it accepts: fields separated by `,`; records ended by CRLF, LF or a lone CR; quoted
/// fields (`"a,b"`), doubled quotes inside them (`"say ""hi"""`), line breaks inside them; a
/// last record without a line break. Blank lines are skipped (they still count as rows, so row
/// numbers match a spreadsheet's). Problems do not stop reading: a quote inside an unquoted
/// field, text after a closing quote, or a quoted field never closed is reported on the row as
/// `problem` (with its 0-based column) and the text is kept as written.
///
/// Rows are numbered from 1 like a spreadsheet's (the header is row 1); `line` is the physical
/// line where the row starts (they differ after line breaks inside quotes).
///
/// Example:
/// ```swift
/// var reader = CSVReader(Array("name,size\r\n\"郝, 九为\",3\r\n".utf8))
/// var row = CSVRow()
/// while reader.read(into: &row) { print(row.number, row.string(0)) }   // 1 name, 2 郝, 九为
/// ```
public struct CSVReader: Sendable {
    /// The UTF-8 text read (a leading BOM is skipped).
    public let bytes: [UInt8]
    private var position: Int
    private var line = 1
    private var rowNumber = 0

    /// A reader over UTF-8 `bytes` (a leading byte-order mark is skipped).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// Reads the next non-blank row into `row` (its storage is reused); false at the end.
    public mutating func read(into row: inout CSVRow) -> Bool {
        while position < bytes.count {
            rowNumber += 1
            row.reset(number: rowNumber, line: line, offset: position)
            let (next, endLine) = bytes.withUnsafeBufferPointer { buffer in
                CSVReader.scanRecord(buffer, from: position, line: line, into: &row)
            }
            position = next
            line = endLine
            if !row.isBlankLine { return true }
        }
        return false
    }

    /// Reads again the row that `read(into:)` once gave as `row` (by its `offset`, `number` and
    /// `line`), without moving this reader: for a second look at a row met earlier.
    public func reread(offset: Int, number: Int, line: Int, into row: inout CSVRow) {
        row.reset(number: number, line: line, offset: offset)
        guard offset < bytes.count else { return }
        _ = bytes.withUnsafeBufferPointer { buffer in
            CSVReader.scanRecord(buffer, from: offset, line: line, into: &row)
        }
    }

    private static let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    /// Scans one record starting at `start`; returns the offset after its line break and the
    /// line number there.
    private static func scanRecord(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, line startLine: Int, into row: inout CSVRow
    ) -> (Int, Int) {
        let count = buffer.count
        var i = start
        var line = startLine
        // A record that is only a line break is a blank line.
        if buffer[i] == lf || buffer[i] == cr {
            row.isBlankLine = true
            return (skipLineBreak(buffer, i), line + 1)
        }
        while true {
            let column = row.fields.count
            if i < count && buffer[i] == quote {
                // Quoted field: up to the quote not followed by another quote.
                let openLine = line
                var j = i + 1
                var escaped = false
                var closed = false
                while true {
                    j = firstByte(buffer, from: j, where: quotedStops)
                    guard j < count else { break }
                    let byte = buffer[j]
                    if byte == quote {
                        if j + 1 < count && buffer[j + 1] == quote {
                            escaped = true
                            j += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if byte == lf || (byte == cr && (j + 1 >= count || buffer[j + 1] != lf)) { line += 1 }
                    j += 1
                }
                if !closed {
                    row.fields.append(CSVField(start: i + 1, end: count, quoted: true, escaped: escaped))
                    row.note(.unclosedQuote(openedAtLine: openLine), column: column)
                    return (count, line)
                }
                var end = j  // the closing quote
                j += 1
                if j < count && !isDelimiter(buffer[j]) {
                    // Text after the closing quote: keep it (quote included) up to the delimiter.
                    row.note(.textAfterClosingQuote, column: column)
                    while j < count && !isDelimiter(buffer[j]) { j += 1 }
                    end = j
                    row.fields.append(CSVField(start: i + 1, end: end, quoted: true, escaped: escaped, raw: true))
                } else {
                    row.fields.append(CSVField(start: i + 1, end: end, quoted: true, escaped: escaped))
                }
                i = j
            } else {
                var j = i
                while true {
                    j = firstByte(buffer, from: j, where: unquotedStops)
                    guard j < count else { break }
                    let byte = buffer[j]
                    if byte == comma || byte == lf || byte == cr { break }
                    if byte == quote { row.note(.quoteInUnquotedField, column: column) }
                    j += 1
                }
                row.fields.append(CSVField(start: i, end: j, quoted: false, escaped: false))
                i = j
            }
            if i >= count { return (count, line) }
            if buffer[i] == comma {
                i += 1
                if i >= count {  // a trailing comma at the very end: one more empty field
                    row.fields.append(CSVField(start: i, end: i, quoted: false, escaped: false))
                    return (count, line)
                }
                continue
            }
            return (skipLineBreak(buffer, i), line + 1)
        }
    }

    /// The bytes an unquoted field's scan stops at, as a mask of eight bytes' top bits: every
    /// byte up to `"` (the delimiters, a stray quote, and controls and spaces the byte loop
    /// passes over) and `,`. Found eight at a time, the top bits are exact from the lowest byte
    /// up to the first one set (a subtraction borrows only past a byte it flags), which is the
    /// only one used.
    @inline(__always)
    private static func unquotedStops(_ word: UInt64) -> UInt64 {
        bytesBelow(word, quote + 1) | bytesEqual(word, comma)
    }

    /// The bytes a quoted field's scan stops at: `"` and the controls up to CR (its line breaks,
    /// counted for line numbers); see `unquotedStops`.
    @inline(__always)
    private static func quotedStops(_ word: UInt64) -> UInt64 {
        bytesBelow(word, cr + 1) | bytesEqual(word, quote)
    }

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Top bit of each byte of `word` below `limit` (≤ 0x80).
    @inline(__always)
    private static func bytesBelow(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- lowBits &* UInt64(limit)) & ~word & highBits
    }

    /// Top bit of each byte of `word` equal to `byte`.
    @inline(__always)
    private static func bytesEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        bytesBelow(word ^ (lowBits &* UInt64(byte)), 1)
    }

    /// The offset of the first byte from `start` that `stops` flags, or `buffer.count`: eight
    /// bytes at a time (fields of a national file are mostly several multi-byte characters
    /// long, and the first pass scans every byte of the file with the server idle), then one by
    /// one in the last few.
    @inline(__always)
    private static func firstByte(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, where stops: (UInt64) -> UInt64
    ) -> Int {
        let count = buffer.count
        guard let base = buffer.baseAddress else { return count }
        let raw = UnsafeRawPointer(base)
        var j = start
        while j + 8 <= count {
            let flagged = stops(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)))
            if flagged != 0 { return j + flagged.trailingZeroBitCount / 8 }
            j += 8
        }
        while j < count {
            var word = UInt64(buffer[j])
            word |= 0xFFFF_FFFF_FFFF_FF00  // the other bytes flag nothing: 0xFF is above every stop
            if stops(word) & 0x80 != 0 { return j }
            j += 1
        }
        return count
    }

    @inline(__always)
    private static func isDelimiter(_ byte: UInt8) -> Bool { byte == comma || byte == lf || byte == cr }

    @inline(__always)
    private static func skipLineBreak(_ buffer: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        if buffer[i] == cr && i + 1 < buffer.count && buffer[i + 1] == lf { return i + 2 }
        return i + 1
    }
}

/// Where one field's text lies in the reader's buffer.
public struct CSVField: Sendable, Hashable {
    /// Byte range of the text (inside the quotes for a quoted field).
    public var start: Int
    public var end: Int
    /// Whether the field was quoted.
    public var quoted: Bool
    /// Whether a quoted field holds doubled quotes (`""`) to undouble.
    public var escaped: Bool
    /// Text after a closing quote was kept as written (no undoubling).
    public var raw: Bool = false
}

/// A structural problem of one CSV row.
public enum CSVProblem: Sendable, Hashable, CustomStringConvertible {
    case quoteInUnquotedField
    case textAfterClosingQuote
    case unclosedQuote(openedAtLine: Int)

    public var description: String {
        switch self {
        case .quoteInUnquotedField:
            return "has a quote (\") inside an unquoted field; quote the whole field and double the quote"
        case .textAfterClosingQuote: return "has text after the closing quote of a quoted field"
        case .unclosedQuote(let line): return "opens a quoted field at line \(line) that is never closed"
        }
    }
}

/// One row of a CSV file as byte ranges into the reader's buffer; reused from row to row.
///
/// Example: `row.string(0)` is the first field's text; `row.count` the number of fields.
public struct CSVRow: Sendable {
    /// 1-based row number (the header is row 1; blank lines count).
    public private(set) var number = 0
    /// 1-based physical line where the row starts.
    public private(set) var line = 1
    /// Byte offset in the reader's buffer where the row starts (for `CSVReader.reread`).
    public private(set) var offset = 0
    /// The fields' byte ranges.
    public internal(set) var fields: [CSVField] = []
    /// The first structural problem of the row and its 0-based column, if any.
    public private(set) var problem: (column: Int, problem: CSVProblem)?
    var isBlankLine = false

    public init() { fields.reserveCapacity(32) }

    mutating func reset(number: Int, line: Int, offset: Int) {
        self.number = number
        self.line = line
        self.offset = offset
        fields.removeAll(keepingCapacity: true)
        problem = nil
        isBlankLine = false
    }

    mutating func note(_ problem: CSVProblem, column: Int) {
        if self.problem == nil { self.problem = (column, problem) }
    }

    /// Number of fields.
    public var count: Int { fields.count }

    /// Field `index`'s place, or an empty field when the row has fewer.
    public func field(_ index: Int) -> CSVField {
        index < fields.count ? fields[index] : CSVField(start: offset, end: offset, quoted: false, escaped: false)
    }

    /// Whether every field is empty (a row of only commas, as spreadsheets leave behind).
    public var isEmpty: Bool { fields.allSatisfy { $0.start == $0.end } }
}

extension CSVReader {
    /// The text of field `index` of `row` ("" when the row has fewer fields), quotes undoubled.
    public func string(_ row: CSVRow, _ index: Int) -> String {
        guard index < row.fields.count else { return "" }
        return string(row.fields[index])
    }

    /// The text of `field`, a field of a row this reader read, quotes undoubled.
    public func string(_ field: CSVField) -> String {
        if field.start >= field.end { return "" }
        return bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
            guard field.escaped && !field.raw else { return String(decoding: slice, as: UTF8.self) }
            var text: [UInt8] = []
            text.reserveCapacity(slice.count)
            var k = 0
            while k < slice.count {
                text.append(slice[k])
                k += slice[k] == 0x22 && k + 1 < slice.count && slice[k + 1] == 0x22 ? 2 : 1
            }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// The raw bytes of field `index` (quotes not undoubled), for byte-level comparisons.
    public func withBytes<T>(_ row: CSVRow, _ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows
        -> T
    {
        try bytes.withUnsafeBufferPointer { buffer in
            guard index < row.fields.count else { return try body(UnsafeBufferPointer(rebasing: buffer[0..<0])) }
            let field = row.fields[index]
            return try body(UnsafeBufferPointer(rebasing: buffer[field.start..<max(field.start, field.end)]))
        }
    }

    /// The raw bytes of `field`, a field of a row this reader read (quotes not undoubled). Takes
    /// the field, not its row: a row handed to a closure is copied, its array retained.
    public func withBytes<T>(_ field: CSVField, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[field.start..<max(field.start, field.end)]))
        }
    }

    /// Every row's fields as strings (tests and small files).
    public static func parse(_ text: String) -> [[String]] {
        var reader = CSVReader(Array(text.utf8))
        var row = CSVRow()
        var rows: [[String]] = []
        while reader.read(into: &row) { rows.append((0..<row.count).map { reader.string(row, $0) }) }
        return rows
    }
}

extension CSVReader {
    /// Whether field `i` of row `a` and field `j` of row `b` hold the same bytes as written.
    @inline(__always)
    public func sameField(_ a: CSVRow, _ i: Int, _ b: CSVRow, _ j: Int) -> Bool {
        guard i < a.fields.count, j < b.fields.count else { return i >= a.fields.count && j >= b.fields.count }
        let x = a.fields[i]
        let y = b.fields[j]
        let length = x.end - x.start
        guard length == y.end - y.start, x.quoted == y.quoted else { return false }
        if length <= 0 { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            return memcmp(base + x.start, base + y.start, length) == 0
        }
    }

    /// Whether field `index` of `row` is exactly `literal` (UTF-8 bytes, unquoted form).
    @inline(__always)
    public func field(_ row: CSVRow, _ index: Int, equals literal: [UInt8]) -> Bool {
        guard index < row.fields.count else { return literal.isEmpty }
        let field = row.fields[index]
        guard field.end - field.start == literal.count else { return false }
        if literal.isEmpty { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            literal.withUnsafeBufferPointer { wanted in
                guard let base = buffer.baseAddress, let other = wanted.baseAddress else { return false }
                return memcmp(base + field.start, other, literal.count) == 0
            }
        }
    }
}
