import FupinCore

/// How a table is written: an aligned text table, CSV or JSON (the REPL's `:mode`).
public enum RenderMode: String, Sendable, Hashable, CaseIterable {
    case table, csv, json
}

/// Renders a `TextTable` as an aligned text table whose columns line up with Chinese text
/// (widths from `DisplayWidth`, not character counts), as CSV, or as JSON.
///
/// The text table has a header row (field names, or Chinese labels with `headers = .labels`),
/// a rule of dashes, one line per row and a footer: "(6 rows)", or "(showing 20 of 1,000,000
/// rows)" when the table holds only the first rows of its source. Columns are separated by two
/// spaces; numbers are right-aligned and text left-aligned; a column is at most
/// `maxColumnWidth` columns wide and longer cells end in "…". Every line of the table (not the
/// footer) has the same display width. Control characters are shown escaped.
///
/// ```swift
/// let table = TextTable(header: ["id", "head_name"], strings: [["1", "郝九为"], ["4", "刘三"]])
/// print(TableRenderer().render(table))
/// // id  head_name
/// // --  ---------
/// //  1  郝九为
/// //  4  刘三
/// // (2 rows)
/// ```
public struct TableRenderer: Sendable {
    /// What the header row shows.
    public enum Headers: String, Sendable, Hashable {
        /// Field names (`head_name`): what scripts use.
        case names
        /// Chinese labels (`户主姓名`), falling back to the name where a column has none.
        case labels
    }

    /// The widest a column may be, in display columns (at least 2).
    public var maxColumnWidth: Int
    public var headers: Headers
    /// Whether the text table ends with the "(n rows)" line.
    public var footer: Bool
    /// The widest the text table may be (e.g. the terminal's width): columns that do not fit
    /// are left out, and the footer says so ("(6 rows, 8 of 24 columns)"). nil: no limit.
    public var maxWidth: Int?

    public init(maxColumnWidth: Int = 40, headers: Headers = .names, footer: Bool = true, maxWidth: Int? = nil) {
        self.maxColumnWidth = max(2, maxColumnWidth)
        self.headers = headers
        self.footer = footer
        self.maxWidth = maxWidth.map { max(2, $0) }
    }

    /// The table in `mode`, without a trailing line break.
    public func render(_ table: TextTable, as mode: RenderMode = .table) -> String {
        switch mode {
        case .table: return text(table)
        case .csv: return csv(table)
        case .json: return json(table)
        }
    }

    // MARK: - Text

    /// The aligned text table (see the type's documentation).
    public func text(_ table: TextTable) -> String {
        var lines: [String] = []
        var kept = table.columns.count
        if !table.columns.isEmpty {
            let titles = table.columns.map(headerText)
            var widths = titles.map { min(maxColumnWidth, max(1, DisplayWidth.width($0))) }
            for row in table.rows.indices {
                for column in table.columns.indices {
                    let w = DisplayWidth.width(table.cell(row, column).display)
                    if w > widths[column] { widths[column] = min(maxColumnWidth, w) }
                }
            }
            kept = fittingColumns(&widths)
            let alignments = Array(table.columns.map(\.alignment).prefix(kept))
            lines.append(line(Array(titles.prefix(kept)), widths: widths, alignments: alignments))
            lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: TableRenderer.gap))
            for row in table.rows.indices {
                let cells = (0..<kept).map { table.cell(row, $0).display }
                lines.append(line(cells, widths: widths, alignments: alignments))
            }
        }
        // Without the footer asked for, a cut table still says what it leaves out.
        let cut = kept < table.columns.count || (table.total.map { $0 > table.rows.count } ?? false)
        if footer || cut {
            var note = TableRenderer.footer(shown: table.rows.count, total: table.total)
            if kept < table.columns.count {
                note = String(note.dropLast()) + ", \(kept) of \(table.columns.count) columns)"
            }
            lines.append(note)
        }
        return lines.joined(separator: "\n")
    }

    /// How many leading columns fit in `maxWidth`; drops the others from `widths` and narrows
    /// a lone first column that is wider than the limit.
    private func fittingColumns(_ widths: inout [Int]) -> Int {
        guard let maxWidth else { return widths.count }
        var used = 0
        for (index, width) in widths.enumerated() {
            let needed = used + (index > 0 ? TableRenderer.gap.count : 0) + width
            if needed > maxWidth {
                if index == 0 {
                    widths = [maxWidth]
                    return 1
                }
                widths = Array(widths.prefix(index))
                return index
            }
            used = needed
        }
        return widths.count
    }

    /// "(1 row)", "(6 rows)", "(showing 20 of 1,000,000 rows)".
    public static func footer(shown: Int, total: Int?) -> String {
        if let total, total > shown {
            return "(showing \(grouped(shown)) of \(grouped(total)) \(total == 1 ? "row" : "rows"))"
        }
        return "(\(grouped(shown)) \(shown == 1 ? "row" : "rows"))"
    }

    /// The gap between columns.
    static let gap = "  "

    private func headerText(_ column: TableColumn) -> String {
        switch headers {
        case .names: return column.name
        case .labels: return column.label.flatMap { $0.isEmpty ? nil : $0 } ?? column.name
        }
    }

    private func line(_ cells: [String], widths: [Int], alignments: [DisplayWidth.Alignment]) -> String {
        var parts: [String] = []
        parts.reserveCapacity(cells.count)
        for (index, cell) in cells.enumerated() {
            parts.append(DisplayWidth.fit(cell, to: widths[index], alignment: alignments[index]))
        }
        return parts.joined(separator: TableRenderer.gap)
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    // MARK: - CSV

    /// RFC 4180 CSV: a header line (names, or labels with `headers = .labels`), then one line
    /// per row of plain values (money "1234.50", 是/否, empty for null); text beginning with a
    /// formula character gets a leading `'` (`CSVWriter.neutralised`). Fields holding a comma,
    /// quote or line break are quoted. Lines end in "\n"; no footer, no byte-order mark.
    public func csv(_ table: TextTable) -> String {
        var lines = [
            table.columns.map { TableRenderer.csvField(CSVWriter.neutralised(headerText($0))) }.joined(separator: ",")
        ]
        for row in table.rows.indices {
            lines.append(
                table.columns.indices.map { column in
                    let cell = table.cell(row, column)
                    // Text is neutralised against spreadsheet formulas; numbers stay numbers.
                    return TableRenderer.csvField(cell.kind == .number ? cell.plain : CSVWriter.neutralised(cell.plain))
                }.joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 })
        else { return text }
        var out = "\""
        for character in text {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        return out + "\""
    }

    // MARK: - JSON

    /// A JSON array with one object per row, keyed by field name in column order: numbers as
    /// JSON numbers (money 1234.50), 是/否 as true/false, null as null, the rest as strings.
    /// One row per line.
    public func json(_ table: TextTable) -> String {
        guard !table.rows.isEmpty else { return "[]" }
        let keys = table.columns.map { TableRenderer.jsonString($0.name) + ": " }
        var lines: [String] = []
        for row in table.rows.indices {
            let members = table.columns.indices.map { keys[$0] + TableRenderer.jsonValue(table.cell(row, $0)) }
            lines.append("  {" + members.joined(separator: ", ") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]"
    }

    static func jsonValue(_ cell: TableCell) -> String {
        switch cell.kind {
        case .null: return "null"
        case .bool: return cell.plain == "是" ? "true" : "false"
        case .number: return isJSONNumber(cell.plain) ? cell.plain : jsonString(cell.plain)
        case .text: return jsonString(cell.plain)
        }
    }

    /// A JSON string literal (control characters escaped; other text as it is).
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Whether `text` is a JSON number: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let b = bytes.first, b >= 48 && b <= 57 { bytes = bytes.dropFirst(); n += 1 }
            return n
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let leadingZero = bytes.first == UInt8(ascii: "0")
        let whole = digits()
        guard whole > 0, !(leadingZero && whole > 1) else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if let b = bytes.first, b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                bytes = bytes.dropFirst()
            }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
