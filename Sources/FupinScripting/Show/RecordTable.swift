import FupinCore

/// Records of one collection as a table, the way `fp.show(query)` prints them: `id` first, then
/// the fields in schema order (or `options.fields`), money and areas with thousands separators
/// and two decimals, bools 是/否, null empty, personal data masked unless `options.unmask`.
/// The `valid` column is hidden unless `options.showValid` or some record shown is invalid.
///
/// Give the first `limit` records and the query's total count, so a million-row query is never
/// loaded to print twenty rows; records beyond `options.limit` are dropped here too.
///
/// ```swift
/// let records = try ws.query("households").limit(20).list()
/// let shown = try RecordTable(schema: households, records: records, total: 6, options: ShowOptions())
/// print(shown.render())
/// // id  number         head_name  head_id_number      phone        village_id  ...
/// // --  -------------  ---------  ------------------  -----------  ----------  ...
/// //  1  1506020010101  郝九为     1506**********0118  138****0101           1  ...
/// // (6 rows)
/// ```
public struct RecordTable: Sendable {
    public let schema: CollectionSchema
    public let options: ShowOptions
    /// The table: columns, cells and the total.
    public let table: TextTable

    /// Builds the table. Throws `ShowError.unknownField` when `options.fields` names a field
    /// the collection does not have.
    public init(
        schema: CollectionSchema, records: [StoredRecord], total: Int? = nil, options: ShowOptions = ShowOptions()
    ) throws(ShowError) {
        self.schema = schema
        self.options = options
        var shown = records
        if let limit = options.limit, shown.count > max(0, limit) { shown = Array(shown.prefix(max(0, limit))) }
        let specs = try RecordTable.columns(schema: schema, records: shown, options: options)
        let columns = specs.map { spec -> TableColumn in
            guard let field = spec else { return TableColumn(CollectionSchema.idField, alignment: .right) }
            return TableColumn(field.name, label: field.label, alignment: FieldCells.alignment(of: field.type))
        }
        let indexes = specs.map { $0.flatMap { schema.index(of: $0.name) } }
        let rows = shown.map { record in
            zip(specs, indexes).map { spec, index -> TableCell in
                guard let field = spec, let index else { return FieldCells.id(record.id) }
                let value = index < record.values.count ? record.fieldValue(at: index) : .null
                return FieldCells.cell(value, field: field, options: options)
            }
        }
        let known = max(total ?? records.count, records.count)
        self.table = TextTable(columns: columns, rows: rows, total: known > rows.count ? known : nil)
    }

    /// The table as text, CSV or JSON (default: `options.mode`), without a trailing line break.
    public func render(_ mode: RenderMode? = nil) -> String {
        options.renderer.render(table, as: mode ?? options.mode)
    }

    /// The fields to show in order; nil stands for `id`.
    static func columns(schema: CollectionSchema, records: [StoredRecord], options: ShowOptions) throws(ShowError)
        -> [FieldSpec?]
    {
        if let names = options.fields {
            var result: [FieldSpec?] = []
            for name in names {
                if name == CollectionSchema.idField { result.append(nil); continue }
                guard let field = schema.field(name) else { throw .unknownField(collection: schema.name, field: name) }
                result.append(field)
            }
            return result
        }
        let showValid = options.showValid || records.contains { !$0.isValid }
        return [nil]
            + schema.fields.filter { $0.name != CollectionSchema.validField || (schema.keepsValidFlag && showValid) }
    }
}

/// One record shown vertically, the way `fp.show(record)` prints it: a title line, then one
/// line per field with its Chinese label, field name and value, aligned. Values are not cut;
/// personal data is masked unless `options.unmask`. CSV and JSON modes give a one-row table.
///
/// ```swift
/// print(RecordCard(record: try ws.get("households", id: 4)!, options: ShowOptions()).render())
/// // households #4 贫困户
/// // 户编号          number          1506020010201
/// // 户主姓名        head_name       刘三
/// // 户主证件号码    head_id_number  1506**********0371
/// // ...
/// ```
public struct RecordCard: Sendable {
    public let record: StoredRecord
    public let options: ShowOptions

    public init(record: StoredRecord, options: ShowOptions = ShowOptions()) {
        self.record = record
        self.options = options
    }

    /// The record in `mode` (default: `options.mode`), without a trailing line break.
    public func render(_ mode: RenderMode? = nil) -> String {
        switch mode ?? options.mode {
        case .table:
            return vertical()
        case .csv, .json:
            var one = options
            one.limit = nil
            one.fields = options.fields?.filter { $0 == CollectionSchema.idField || record.schema.field($0) != nil }
            guard let table = try? RecordTable(schema: record.schema, records: [record], options: one) else {
                return ""
            }
            return table.render(mode ?? options.mode)
        }
    }

    /// "households #4 贫困户" then label / name / value lines.
    public func vertical() -> String {
        let schema = record.schema
        var title = "\(schema.name) #\(record.id) \(schema.label)"
        if !record.isValid { title += " (invalid: removed)" }
        var rows: [(label: String, name: String, value: String)] = []
        for (index, field) in schema.fields.enumerated() {
            if let only = options.fields, !only.contains(field.name) { continue }
            if field.name == CollectionSchema.validField && schema.keepsValidFlag && !options.showValid
                && record.isValid
            {
                continue
            }
            let value = index < record.values.count ? record.fieldValue(at: index) : .null
            let cell = FieldCells.cell(value, field: field, options: options)
            rows.append((field.label, field.name, cell.display))
        }
        let labelWidth = rows.map { DisplayWidth.width($0.label) }.max() ?? 0
        let nameWidth = rows.map { DisplayWidth.width($0.name) }.max() ?? 0
        var lines = [title]
        for row in rows {
            let value = DisplayWidth.visible(row.value)
            let head = DisplayWidth.pad(DisplayWidth.visible(row.label), to: labelWidth) + TableRenderer.gap
            lines.append(
                value.isEmpty
                    ? head + row.name : head + DisplayWidth.pad(row.name, to: nameWidth) + TableRenderer.gap + value)
        }
        return lines.joined(separator: "\n")
    }
}
