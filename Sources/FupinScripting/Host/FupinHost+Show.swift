import FupinCore
import LuaKit

/// `fp.format(x [, opts])` (and `fp.show`, which prints it): a query, a collection, a record
/// or a list of records as an aligned table through `RecordTable` / `RecordCard`.
extension FupinHost {
    /// format(x, opts) → text.
    func nativeFormat(_ f: LuaCallFrame) throws -> Int32 {
        let options = try showOptions(f.value(2))
        f.push(try format(f.value(1), options: options))
        return 1
    }

    /// The text `fp.show` prints for `value`, or an error saying what it accepts.
    public func format(_ value: LuaValue, options: ShowOptions) throws -> String {
        let unit = try requireUnit()
        guard case .table(let t) = value else {
            throw LuaScriptError("fp.show expects a record, a list of records or a query")
        }
        if let name = t.rawGet("_c").stringValue, let schema = collectionSchema(name) {
            // A query or collection: its first rows and its count, as one SQL statement each.
            let query = try queryFromSpec(t, schema: schema)
            // The query's own :limit (and :offset) hold; the display's limit only shortens it.
            let limit = min(options.limit ?? Int.max, query.limitCount ?? Int.max)
            let records = try unit.list(limit == Int.max ? query : query.limit(limit))
            let total = try unit.count(query)
            return try RecordTable(schema: schema, records: records, total: total, options: options).render()
        }
        if let name = recordCollection(t), collectionSchema(name) != nil {
            guard let id = t.rawGet("id").intValue, let record = try unit.get(name, id: id) else {
                throw LuaScriptError("fp.show: this \(name) record has no stored id")
            }
            return RecordCard(record: record, options: options).render()
        }
        let items = t.toArray()
        if let fields = options.fields, case .table(let first)? = items.first, recordCollection(first) == nil {
            return try plainTable(items, fields: fields, options: options)
        }
        guard case .table(let first)? = items.first, let name = recordCollection(first),
            let schema = collectionSchema(name)
        else {
            if items.isEmpty { return "(0 rows)" }
            throw LuaScriptError("fp.show expects a record, a list of records or a query")
        }
        var records: [StoredRecord] = []
        for case .table(let item) in items {
            guard recordCollection(item) == name, let id = item.rawGet("id").intValue,
                let record = try unit.get(name, id: id)
            else {
                throw LuaScriptError("fp.show: a list must hold records of one collection")
            }
            records.append(record)
        }
        return try RecordTable(schema: schema, records: records, total: records.count, options: options).render()
    }

    /// Rows a script computed (plain tables, not records) under the columns `fields` names, in
    /// that order: e.g. a plugin's summary. Strings show as given (a decimal such as "1,234.50"
    /// is a number and right-aligned), numbers as Lua writes them, booleans as 是/否.
    func plainTable(_ items: [LuaValue], fields: [String], options: ShowOptions) throws -> String {
        var rows: [[TableCell]] = []
        for item in items.prefix(options.limit ?? Int.max) {
            guard case .table(let row) = item, recordCollection(row) == nil else {
                throw LuaScriptError("fp.show: a list of rows must hold plain tables (not records) only")
            }
            rows.append(
                fields.map { name in
                    switch row.rawGet(.string(LuaString(name))) {
                    case .nil: return .null
                    case .boolean(let b): return .bool(b)
                    case .integer(let n): return .integer(n)
                    case .number(let d): return .number(FieldInput.shortest(d))
                    case .string(let s):
                        let text = s.description
                        return TextTable.looksNumeric(text)
                            ? .number(text, plain: String(text.filter { $0 != "," })) : .text(text)
                    case let other: return .text(other.description)
                    }
                })
        }
        let columns = fields.enumerated().map { index, name in
            let cells = rows.map { $0[index] }.filter { $0.kind != .null }
            let numeric = !cells.isEmpty && cells.allSatisfy { $0.kind == .number }
            return TableColumn(name, alignment: numeric ? .right : .left)
        }
        let table = TextTable(columns: columns, rows: rows, total: items.count > rows.count ? items.count : nil)
        return options.renderer.render(table, as: options.mode)
    }

    /// The collection a record table is marked with, if any. Read raw: the metatable is the
    /// caller's, and its own metatable may raise, yield or loop (issue 14's attack).
    public func recordCollection(_ table: LuaTable) -> String? {
        table.metafieldString("__fp_collection")
    }

    /// Options from a Lua table `{ limit, unmask, labels, fields, mode, footer }`; unmasking needs a
    /// view that may see personal data.
    func showOptions(_ value: LuaValue) throws -> ShowOptions {
        var options = ShowOptions()
        guard case .table(let t) = value else { return options }
        if let n = t.rawGet("limit").intValue { options.limit = Int(clamping: n) }
        if t.rawGet("unmask").boolValue == true {
            guard !view.masksPersonalData else { throw LuaScriptError("fp.show: unmasking needs the 'pii' permission") }
            options.unmask = true
        }
        if t.rawGet("labels").boolValue == true { options.labels = true }
        if t.rawGet("footer").boolValue == false { options.footer = false }
        if case .table(let fields) = t.rawGet("fields") { options.fields = fields.toArray().compactMap(\.stringValue) }
        if let mode = t.rawGet("mode").stringValue {
            guard let m = RenderMode(rawValue: mode) else {
                throw LuaScriptError("fp.show: mode must be table, csv or json")
            }
            options.mode = m
        }
        if view.masksPersonalData { options.unmask = false }
        return options
    }
}
