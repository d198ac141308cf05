import FupinCore

/// How `fp.show` / `fp.format` present records: masking, headers, how many rows, column width,
/// which columns, and the output mode.
///
/// Personal data (ID numbers, phones, health) is masked unless `unmask` is set on purpose; the
/// plugin host forces masking for plugins without the "pii" permission whatever they ask.
///
/// ```swift
/// var options = ShowOptions()          // masked, field names, first 20 rows, 40 columns max
/// options.labels = true                // Chinese labels in the header
/// options.fields = ["head_name", "standard"]
/// ```
public struct ShowOptions: Sendable, Hashable {
    /// Rows shown when no limit is given.
    public static let defaultLimit = 20

    /// Show personal data in full (default false: masked with FupinCore's `Masking`).
    public var unmask: Bool
    /// Chinese labels in the header (and coded values such as `in` shown as 收入).
    public var labels: Bool
    /// At most this many rows (nil: all of them).
    public var limit: Int?
    /// The widest a column may be, in display columns; longer text ends in "…".
    public var maxColumnWidth: Int
    /// Show the `valid` column even when every record is valid.
    public var showValid: Bool
    /// The columns to show, in this order (field names, `id` allowed); nil: `id` then every field.
    public var fields: [String]?
    /// Text table, CSV or JSON.
    public var mode: RenderMode
    /// The widest a text table may be (e.g. the terminal's width); columns beyond it are left
    /// out and the footer says how many are shown. nil: no limit.
    public var width: Int?
    /// End a text table with its "(6 rows)" line (false: for a caller that prints its own
    /// count line; a table cut to fewer rows or columns than it has still says so).
    public var footer: Bool

    public init(
        unmask: Bool = false, labels: Bool = false, limit: Int? = ShowOptions.defaultLimit,
        maxColumnWidth: Int = 40, showValid: Bool = false, fields: [String]? = nil, mode: RenderMode = .table,
        width: Int? = nil, footer: Bool = true
    ) {
        self.unmask = unmask
        self.labels = labels
        self.limit = limit
        self.maxColumnWidth = maxColumnWidth
        self.showValid = showValid
        self.fields = fields
        self.mode = mode
        self.width = width
        self.footer = footer
    }

    /// The renderer these options ask for.
    public var renderer: TableRenderer {
        TableRenderer(
            maxColumnWidth: maxColumnWidth, headers: labels ? .labels : .names, footer: footer, maxWidth: width)
    }
}

/// A problem with what `fp.show` was asked to show.
///
/// Example: `ShowError.unknownField(collection: "households", field: "nmae")` reads
/// "households: no field named nmae".
public enum ShowError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownField(collection: String, field: String)

    public var description: String {
        switch self {
        case .unknownField(let collection, let field): return "\(collection): no field named \(field)"
        }
    }
}

/// Cells for stored values: money and areas with thousands separators and two decimals,
/// bools 是/否, null empty, personal data masked unless asked.
///
/// Example: `FieldCells.cell(.money(Money(fen: 123450)), field: amount, options: ShowOptions()).display == "1,234.50"`.
public enum FieldCells {
    /// The cell for `value` of `field`.
    public static func cell(_ value: FieldValue, field: FieldSpec, options: ShowOptions) -> TableCell {
        if field.pii && !options.unmask && !value.isNull {
            // Personal data of any type is masked as text.
            return .text(Masking.mask(value.plainText, for: field))
        }
        switch value {
        case .null:
            return .null
        case .integer(let integer):
            return .integer(integer)
        case .number:
            return .number(value.plainText)
        case .money(let money):
            return .number(money.formatted, plain: money.yuanText)
        case .area(let area):
            return .number(area.formatted, plain: area.muText)
        case .bool(let bool):
            return .bool(bool)
        case .text(let text), .date(let text):
            if options.labels, let vocabulary = field.type.vocabulary { return .text(vocabulary.label(of: text)) }
            return .text(text)
        }
    }

    /// The cell for a record's id.
    public static func id(_ id: Int64) -> TableCell { .integer(id) }

    /// How a column of `type` aligns: quantities, ids and references right, the rest left.
    public static func alignment(of type: FieldType) -> DisplayWidth.Alignment {
        switch type {
        case .integer, .number, .money, .area, .ref: return .right
        default: return .left
        }
    }
}
