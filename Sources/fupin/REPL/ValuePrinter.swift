import LuaKit

/// The REPL's default printer, the last one asked.
///
/// In `table` mode it prints like lua.c's `print` — values separated by tabs, each through
/// `tostring` — except that a table is pretty-printed (`LuaValueFormatter`), a single
/// table of keys only shows as aligned key/value lines (`KeyValueBlock`), and a single list
/// of plain rows as an aligned table (`RowTable`). In `json` mode
/// each value is a JSON line; in `csv` mode a list of records is CSV (anything else falls
/// back to the table form).
///
/// ```swift
/// ValuePrinter().render([1, "x", table], context: context)   // 1	x	{ a = 1 }
/// ```
struct ValuePrinter: ReplPrinter {
    var maxDepth = 3
    var maxEntries = 50

    func render(_ values: [LuaValue], context: ReplPrintContext) throws -> String? {
        switch context.mode {
        case .json:
            let json = JSONRenderer(context: context)
            return values.map { json.render($0) }.joined(separator: "\n")
        case .csv:
            if let csv = CSVRenderer(context: context).render(values) { return csv }
        case .table:
            break
        }
        let formatter = LuaValueFormatter(context: context, maxDepth: maxDepth, maxEntries: maxEntries)
        if values.count == 1, case .table(let table) = values[0] {
            if let block = KeyValueBlock(context: context, formatter: formatter).render(table) { return block }
            if let rows = RowTable(context: context).render(table) { return rows }
        }
        return values.map { value -> String in
            if case .table = value { return formatter.format(value) }
            return context.describe(value)
        }.joined(separator: "\t")
    }
}
