import FupinCore

/// One cell of a `TextTable`: the text a table shows, the plain text CSV writes, and its kind
/// (which decides alignment and the JSON type).
///
/// ```swift
/// let cells: [TableCell] = ["郝九为", .number("1,234.50", plain: "1234.50"), .bool(true), .null]
/// cells[1].display   // "1,234.50" (tables)
/// cells[1].plain     // "1234.50"  (CSV; a JSON number)
/// ```
public struct TableCell: Sendable, Hashable, ExpressibleByStringLiteral {
    /// What a cell holds, for alignment and JSON.
    public enum Kind: String, Sendable, Hashable {
        /// No value: an empty cell, JSON `null`.
        case null
        /// Text: left-aligned, a JSON string.
        case text
        /// A number (`plain` is a decimal such as "1234.50"): right-aligned, a JSON number.
        case number
        /// Yes/no, shown 是/否: a JSON boolean.
        case bool
    }

    public var kind: Kind
    /// The text a table shows (e.g. money with thousands separators: "1,234.50").
    public var display: String
    /// The text CSV writes, and the source of JSON numbers (e.g. "1234.50").
    public var plain: String

    public init(kind: Kind, display: String, plain: String) {
        self.kind = kind
        self.display = display
        self.plain = plain
    }

    public init(stringLiteral value: String) { self = .text(value) }

    /// An empty cell (JSON `null`).
    public static let null = TableCell(kind: .null, display: "", plain: "")

    /// A text cell.
    public static func text(_ text: String) -> TableCell { TableCell(kind: .text, display: text, plain: text) }

    /// A number shown as `display` (e.g. "1,234.50") and written as `plain` (default: `display`).
    public static func number(_ display: String, plain: String? = nil) -> TableCell {
        TableCell(kind: .number, display: display, plain: plain ?? display)
    }

    /// An integer, shown without separators (ids and years read better plain).
    public static func integer(_ value: Int64) -> TableCell { .number(String(value)) }

    /// A yes/no cell: 是/否 in tables and CSV, `true`/`false` in JSON.
    public static func bool(_ value: Bool) -> TableCell {
        TableCell(kind: .bool, display: value ? "是" : "否", plain: value ? "是" : "否")
    }
}

/// One column of a `TextTable`: its field name, an optional Chinese label for the header, and
/// how its cells align (numbers right, text left).
///
/// Example: `TableColumn("amount", label: "金额（元）", alignment: .right)`.
public struct TableColumn: Sendable, Hashable {
    public var name: String
    public var label: String?
    public var alignment: DisplayWidth.Alignment

    public init(_ name: String, label: String? = nil, alignment: DisplayWidth.Alignment = .left) {
        self.name = name
        self.label = label
        self.alignment = alignment
    }
}

/// Rows of cells under named columns, with the number of rows the source had (when the rows
/// shown are only the first of them). What `TableRenderer` renders as text, CSV or JSON.
///
/// ```swift
/// let table = TextTable(columns: [TableColumn("item"), TableColumn("n", alignment: .right)],
///                       rows: [["果树苗", .integer(211)], ["雏鸡", .integer(60)]])
/// print(TableRenderer().render(table))
/// ```
public struct TextTable: Sendable, Hashable {
    public var columns: [TableColumn]
    /// Rows of cells in column order; a short row is padded with nulls, extra cells are ignored.
    public var rows: [[TableCell]]
    /// How many rows the source holds, when more than `rows.count` (footer "showing n of total").
    public var total: Int?

    public init(columns: [TableColumn], rows: [[TableCell]], total: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.total = total
    }

    /// A table of plain strings: cells that read as decimal numbers are numbers, and a column
    /// whose non-empty cells are all numbers is right-aligned.
    ///
    /// Example: `TextTable(header: ["item", "n"], strings: [["果树苗", "211"]])`.
    public init(header: [String], strings: [[String]], total: Int? = nil) {
        let rows: [[TableCell]] = strings.map { row in
            row.map { text in
                if text.isEmpty { return .null }
                return TextTable.looksNumeric(text)
                    ? .number(text, plain: String(text.filter { $0 != "," })) : .text(text)
            }
        }
        let columns = header.enumerated().map { index, name in
            let cells = rows.compactMap { index < $0.count ? $0[index] : nil }.filter { $0.kind != .null }
            let numeric = !cells.isEmpty && cells.allSatisfy { $0.kind == .number }
            return TableColumn(name, alignment: numeric ? .right : .left)
        }
        self.init(columns: columns, rows: rows, total: total)
    }

    /// The cell at `row`, `column` (null when the row is short).
    public func cell(_ row: Int, _ column: Int) -> TableCell {
        let cells = rows[row]
        return column < cells.count ? cells[column] : .null
    }

    /// Whether `text` is a plain decimal: optional "-", digits (thousands commas allowed), optional fraction.
    static func looksNumeric(_ text: String) -> Bool {
        var digits = 0
        var seenPoint = false
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "-") where offset == 0: continue
            case UInt8(ascii: ",") where !seenPoint && digits > 0: continue
            case UInt8(ascii: ".") where !seenPoint && digits > 0: seenPoint = true
            default: return false
            }
        }
        return digits > 0 && text.utf8.last.map { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: ",") } == true
    }
}
