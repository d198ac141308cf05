/// The formats of `Workspace.export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// UTF-8 with BOM, CRLF, Chinese labels in the header (Excel opens it as is).
    case csv
    /// An array of objects keyed by field name; money and areas as exact decimal numbers.
    case json
    /// A Markdown table with Chinese labels in the header.
    case md

    /// The format for a file name's extension (`.csv`, `.json`, `.md`/`.markdown`), or nil.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        case "md", "markdown": self = .md
        default: return nil
        }
    }
}

/// What and how to export.
///
/// Example: `ExportOptions(format: .csv, filters: [.compare("standard", .equal, "国家")])`.
public struct ExportOptions: Sendable, Hashable {
    public var format: ExportFormat
    /// Conditions every exported record meets (see `ExportFilter.parse` for `field=value` text).
    public var filters: [Query.Filter]
    /// Show personal data (ID numbers, phones, health) in full instead of masked.
    public var unmask: Bool

    public init(format: ExportFormat = .csv, filters: [Query.Filter] = [], unmask: Bool = false) {
        self.format = format
        self.filters = filters
        self.unmask = unmask
    }
}

/// Export of one collection's valid records (all of them when a filter names `valid`), ordered
/// by id, as CSV, JSON or Markdown, streamed in chunks to `sink`.
///
/// Header choice: CSV and Markdown carry the Chinese labels (`户编号`, `户主姓名`, ...) because
/// people open them; JSON carries field names because programs read it. The first column is
/// always `id`. The importer accepts labels and names alike, so `export --unmask` then
/// `import` gives equal records (ids included; import in dependency order). Personal data is
/// masked unless `unmask` — a masked file does not import back (a masked ID fails its check).
///
/// Cells: money and areas with two decimals (`13800.00`), bools `是`/`否` (JSON true/false),
/// dates `YYYY-MM-DD`, coded vocabulary values as stored (`in`, `problem`), references as ids.
///
/// Example:
/// ```swift
/// var out: [UInt8] = []
/// let n = try ws.export("households", options: ExportOptions(format: .md)) { out += $0 }
/// ```
extension Workspace {
    /// Writes the export to `sink` in chunks; returns the number of records written.
    @discardableResult
    public func export(_ collection: String, options: ExportOptions, to sink: ([UInt8]) throws -> Void) throws -> Int {
        guard let schema = schema[collection] else { throw WorkspaceError.unknownCollection(collection) }
        var query = Query(schema).orderBy(CollectionSchema.idField)
        for filter in options.filters { query = query.where(filter) }
        return try withoutActuallyEscaping(sink) { sink in
            var output = ExportOutput(schema: schema, options: options, sink: sink)
            try output.begin()
            var count = 0
            var failure: Error?
            try store.read { c in
                try forEach(query, in: c) { record in
                    do {
                        try output.write(record)
                        count += 1
                        return true
                    } catch {
                        failure = error
                        return false
                    }
                }
            }
            if let failure { throw failure }
            try output.end()
            return count
        }
    }

    /// The export as one byte array (tests, small collections).
    public func exportBytes(_ collection: String, options: ExportOptions) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try export(collection, options: options) { bytes += $0 }
        return bytes
    }
}

/// Renders records in one format into a buffer flushed to the sink every 64 KiB.
struct ExportOutput {
    let schema: CollectionSchema
    let options: ExportOptions
    let sink: ([UInt8]) throws -> Void
    var csv = CSVWriter()
    var buffer: [UInt8] = []
    var first = true

    init(schema: CollectionSchema, options: ExportOptions, sink: @escaping ([UInt8]) throws -> Void) {
        self.schema = schema
        self.options = options
        self.sink = sink
        buffer.reserveCapacity(1 << 16)
    }

    /// The header cells of CSV and Markdown: `id`, then each field's Chinese label.
    static func labels(_ schema: CollectionSchema) -> [String] {
        [CollectionSchema.idField] + schema.fields.map(\.label)
    }

    /// A field's value as cell text, masked when it is personal data and not unmasked.
    func text(_ value: FieldValue, _ field: FieldSpec) -> String {
        let plain = value.plainText
        return options.unmask ? plain : Masking.mask(plain, for: field)
    }

    /// A CSV cell: text neutralised against spreadsheet formulas (`CSVWriter.neutralised`),
    /// numbers as they are so a negative amount stays a number.
    static func csvCell(_ text: String, _ value: FieldValue, _ field: FieldSpec) -> String {
        switch value {
        case .text, .date: return CSVWriter.neutralised(text)
        default: return field.pii ? CSVWriter.neutralised(text) : text
        }
    }

    mutating func begin() throws {
        switch options.format {
        case .csv: csv.writeRow(ExportOutput.labels(schema).map(CSVWriter.neutralised))
        case .json: buffer.append(UInt8(ascii: "["))
        case .md:
            let labels = ExportOutput.labels(schema)
            append("| " + labels.map(ExportOutput.markdownCell).joined(separator: " | ") + " |\n")
            append("|" + String(repeating: " --- |", count: labels.count) + "\n")
        }
    }

    mutating func write(_ record: StoredRecord) throws {
        switch options.format {
        case .csv:
            var cells = [String(record.id)]
            for (field, value) in record.fieldValues {
                cells.append(ExportOutput.csvCell(text(value, field), value, field))
            }
            csv.writeRow(cells)
            if csv.bytes.count >= 1 << 16 {
                try sink(csv.bytes)
                csv.bytes.removeAll(keepingCapacity: true)
            }
        case .json:
            append(first ? "\n  {\"id\": " : ",\n  {\"id\": ")
            first = false
            append(String(record.id))
            for (field, value) in record.fieldValues {
                append(", ")
                appendJSONString(field.name)
                append(": ")
                appendJSON(value, field)
            }
            append("}")
        case .md:
            var cells = [String(record.id)]
            for (field, value) in record.fieldValues { cells.append(text(value, field)) }
            append("| " + cells.map(ExportOutput.markdownCell).joined(separator: " | ") + " |\n")
        }
        if buffer.count >= 1 << 16 {
            try sink(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func end() throws {
        switch options.format {
        case .csv:
            if !csv.bytes.isEmpty { try sink(csv.bytes) }
            csv.bytes.removeAll()
        case .json:
            append(first ? "]\n" : "\n]\n")
            try sink(buffer)
        case .md:
            if !buffer.isEmpty { try sink(buffer) }
        }
        buffer.removeAll()
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    mutating func appendJSON(_ value: FieldValue, _ field: FieldSpec) {
        if field.pii && !options.unmask && !value.isNull {
            appendJSONString(text(value, field))
            return
        }
        switch value {
        case .null: append("null")
        case .integer(let integer): append(String(integer))
        case .number(let number): append(number.isFinite ? FieldInput.shortest(number) : "null")
        case .money(let money): append(money.yuanText)  // an exact decimal literal
        case .area(let area): append(area.muText)
        case .bool(let bool): append(bool ? "true" : "false")
        case .text(let text), .date(let text): appendJSONString(text)
        }
    }

    mutating func appendJSONString(_ text: String) {
        var json = ""
        AuditJSON.appendString(text, to: &json)
        append(json)
    }

    /// A Markdown table cell: `|` escaped, line breaks as `<br>`.
    static func markdownCell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\n", "\r\n": out += "<br>"
            case "\r": continue
            default: out.append(character)
            }
        }
        return out
    }
}
