import CXlsxWriter
import Foundation

/// A table to be written as one sheet of an XLSX workbook, laid out to print on A4.
///
/// Example: `XlsxSheet(name: "镇有册", title: "城郊镇帮扶册", columns: [.init(label: "村")],
/// rows: [[.text("东梁村")]], landscape: true)`.
public struct XlsxSheet: Sendable {
    /// How a column's cells are written and shown.
    public enum Kind: String, Sendable {
        /// Text, wrapped in its cell.
        case text
        /// A whole number, `#,##0`.
        case integer
        /// Yuan with two decimals, `#,##0.00`.
        case money
        /// A number with up to two decimals.
        case number
        /// An ISO date written as an Excel date, `yyyy-mm-dd`.
        case date
    }

    /// One column: its header and how its cells are written.
    public struct Column: Sendable {
        public var label: String
        public var kind: Kind
        /// Width in characters (nil: from the longest cell, within 6…40).
        public var width: Double?
        public init(label: String, kind: Kind = .text, width: Double? = nil) {
            self.label = label
            self.kind = kind
            self.width = width
        }
    }

    /// One cell.
    public enum Cell: Sendable, Equatable {
        case empty
        case text(String)
        case number(Double)
    }

    public var name: String
    /// A title printed above the table on the first row (nil: none).
    public var title: String?
    public var columns: [Column]
    public var rows: [[Cell]]
    /// Rows set in bold after the body (totals).
    public var totals: [[Cell]]
    /// Print across the page (wide tables); every sheet is fitted to the page width.
    public var landscape: Bool

    public init(
        name: String, title: String? = nil, columns: [Column], rows: [[Cell]], totals: [[Cell]] = [],
        landscape: Bool = false
    ) {
        self.name = name
        self.title = title
        self.columns = columns
        self.rows = rows
        self.totals = totals
        self.landscape = landscape
    }
}

/// Writes XLSX workbooks with libxlsxwriter (loaded when the first is written): per sheet a frozen header row repeated on every
/// printed page, A4, landscape where asked, fitted to the page width, page numbers "— 1 —" in
/// the footer, number and date formats by column.
///
/// Example: `try XlsxWorkbook.write([sheet], to: "/ws/exports/register.xlsx")`.
public enum XlsxWorkbook {
    /// Writes `sheets` to `path` (replacing a file there); throws naming the file on failure.
    public static func write(_ sheets: [XlsxSheet], to path: String) throws {
        guard !sheets.isEmpty else { throw StorageFailure("\(path): a workbook needs at least one sheet") }
        // The library is loaded now, on first use (CXlsxWriter/shim.h).
        if let missing = fx_xlsx_load() {
            throw StorageFailure("\(path): cannot write XLSX: \(String(cString: missing))")
        }
        let temporary = path + ".partial"
        guard let workbook = fx_workbook_new(temporary) else {
            throw StorageFailure("\(path): cannot create the workbook")
        }
        let formats = Formats(workbook)
        var used = Set<String>()
        for sheet in sheets {
            let name = uniqueName(sheet.name, &used)
            guard let worksheet = fx_workbook_add_worksheet(workbook, name) else {
                fx_workbook_close(workbook)
                try? FileManager.default.removeItem(atPath: temporary)
                throw StorageFailure("\(path): cannot add the sheet \(name)")
            }
            fill(worksheet, sheet, formats)
        }
        let status = fx_workbook_close(workbook)
        guard status == LXW_NO_ERROR else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StorageFailure("\(path): writing the workbook failed (\(String(cString: fx_lxw_strerror(status))))")
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// The workbook's cell formats, made once.
    struct Formats {
        let title, header, text, integer, money, number, date, totalText, totalNumber, totalMoney: OpaquePointer?
        init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
            func make(_ body: (UnsafeMutablePointer<lxw_format>) -> Void) -> OpaquePointer? {
                guard let f = fx_workbook_add_format(workbook) else { return nil }
                fx_format_set_font_name(f, "宋体")
                fx_format_set_font_size(f, 10)
                body(f)
                return OpaquePointer(f)
            }
            func bordered(_ f: UnsafeMutablePointer<lxw_format>) {
                fx_format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue))
                fx_format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
            }
            title = make { f in
                fx_format_set_bold(f); fx_format_set_font_size(f, 14)
            }
            header = make { f in
                bordered(f); fx_format_set_bold(f); fx_format_set_text_wrap(f)
                fx_format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue))
            }
            text = make { f in
                bordered(f); fx_format_set_text_wrap(f)
            }
            integer = make { f in
                bordered(f); fx_format_set_num_format(f, "#,##0")
            }
            money = make { f in
                bordered(f); fx_format_set_num_format(f, "#,##0.00")
            }
            number = make { f in
                bordered(f); fx_format_set_num_format(f, "#,##0.##")
            }
            date = make { f in
                bordered(f); fx_format_set_num_format(f, "yyyy-mm-dd")
            }
            totalText = make { f in
                bordered(f); fx_format_set_bold(f)
            }
            totalNumber = make { f in
                bordered(f); fx_format_set_bold(f); fx_format_set_num_format(f, "#,##0.##")
            }
            totalMoney = make { f in
                bordered(f); fx_format_set_bold(f); fx_format_set_num_format(f, "#,##0.00")
            }
        }

        func cell(_ kind: XlsxSheet.Kind) -> OpaquePointer? {
            switch kind {
            case .text: return text
            case .integer: return integer
            case .money: return money
            case .number: return number
            case .date: return date
            }
        }
    }

    static func fill(_ ws: UnsafeMutablePointer<lxw_worksheet>, _ sheet: XlsxSheet, _ formats: Formats) {
        func fmt(_ p: OpaquePointer?) -> UnsafeMutablePointer<lxw_format>? { p.map { UnsafeMutablePointer($0) } }
        var row: lxw_row_t = 0
        if let title = sheet.title {
            fx_worksheet_write_string(ws, row, 0, title, fmt(formats.title))
            row += 1
        }
        let headerRow = row
        for (i, column) in sheet.columns.enumerated() {
            fx_worksheet_write_string(ws, row, lxw_col_t(i), column.label, fmt(formats.header))
        }
        row += 1
        var widths = sheet.columns.map { DisplayWidth.width($0.label) }
        func put(_ cells: [XlsxSheet.Cell], bold: Bool) {
            for (i, column) in sheet.columns.enumerated() {
                let cell = i < cells.count ? cells[i] : .empty
                let col = lxw_col_t(i)
                switch cell {
                case .empty:
                    fx_worksheet_write_blank(ws, row, col, fmt(bold ? formats.totalText : formats.cell(.text)))
                case .number(let value):
                    let total = column.kind == .money ? formats.totalMoney : formats.totalNumber
                    let format =
                        bold
                        ? total : formats.cell(column.kind == .text || column.kind == .date ? .number : column.kind)
                    fx_worksheet_write_number(ws, row, col, value, fmt(format))
                    widths[i] = max(widths[i], 10)
                case .text(let text):
                    if column.kind == .date, !bold, let day = CalendarDate(parsing: text) {
                        var when = lxw_datetime(
                            year: Int32(day.year), month: Int32(day.month), day: Int32(day.day),
                            hour: 0, min: 0, sec: 0)
                        fx_worksheet_write_datetime(ws, row, col, &when, fmt(formats.date))
                        widths[i] = max(widths[i], 10)
                    } else {
                        fx_worksheet_write_string(
                            ws, row, col, text, fmt(bold ? formats.totalText : formats.cell(.text)))
                        widths[i] = max(widths[i], DisplayWidth.width(text))
                    }
                }
            }
            row += 1
        }
        for cells in sheet.rows { put(cells, bold: false) }
        for cells in sheet.totals { put(cells, bold: true) }
        for (i, column) in sheet.columns.enumerated() {
            let width = column.width ?? Double(min(40, max(6, widths[i] + 2)))
            fx_worksheet_set_column(ws, lxw_col_t(i), lxw_col_t(i), width, nil)
        }
        fx_worksheet_freeze_panes(ws, headerRow + 1, 0)
        fx_worksheet_repeat_rows(ws, headerRow, headerRow)
        fx_worksheet_set_paper(ws, 9)  // A4
        if sheet.landscape { fx_worksheet_set_landscape(ws) }
        fx_worksheet_fit_to_pages(ws, 1, 0)
        fx_worksheet_center_horizontally(ws)
        fx_worksheet_set_footer(ws, "&C— &P —")
    }

    /// A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique.
    static func uniqueName(_ wanted: String, _ used: inout Set<String>) -> String {
        var base = String(wanted.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(28))
        if base.isEmpty { base = "Sheet" }
        var name = base
        var n = 2
        while used.contains(name) {
            name = "\(base)(\(n))"
            n += 1
        }
        used.insert(name)
        return name
    }
}
