import FupinCore
import FupinScripting
import LuaKit

/// A list of plain rows — what `fp.sql` returns, `:fields()`, a script's own rows — as an
/// aligned table, as psql shows a result, rather than a Lua constructor.
///
/// It applies when the value is a non-empty list whose every item is a table of named
/// scalar fields (strings, numbers, booleans) without a `__tostring` and that is not a
/// ledger record. The columns are the field names of all rows (`id`, `name`, then the rest
/// sorted),
/// numbers right-aligned, a missing field empty; columns beyond the terminal's width are left
/// out and the footer says so. At most `maxRows` rows are shown.
///
/// ```text
/// > fp.sql("SELECT item, SUM(quantity) AS n FROM distributions GROUP BY item")
/// item      n
/// --------  ---
/// 收音机      1
/// ...
/// (5 rows)
/// ```
struct RowTable {
    let context: ReplPrintContext
    var maxRows = 1000

    func render(_ table: LuaTable) -> String? {
        guard !LuaValueFormatter.hasToString(table, in: context.lua) else { return nil }
        let list = TableEntries(table)
        guard list.keyed.isEmpty, !list.sequence.isEmpty else { return nil }
        var rows: [[String: LuaValue]] = []
        var names: Set<String> = []
        for item in list.sequence {
            guard case .table(let row) = item, !LuaValueFormatter.hasToString(row, in: context.lua),
                context.recordLabel?(row) == nil
            else { return nil }
            let entries = TableEntries(row)
            guard entries.sequence.isEmpty, !entries.keyed.isEmpty else { return nil }
            var fields: [String: LuaValue] = [:]
            for (key, value) in entries.keyed {
                guard case .string(let s)? = key, let name = s.string, RowTable.isScalar(value) else { return nil }
                fields[name] = value
                names.insert(name)
            }
            rows.append(fields)
        }
        var columns = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for first in ["name", "id"] {
            if let index = columns.firstIndex(of: first) { columns.insert(columns.remove(at: index), at: 0) }
        }
        let shown = rows.prefix(maxRows).map { row in columns.map { RowTable.cell(row[$0]) } }
        let tableColumns = columns.enumerated().map { index, name -> TableColumn in
            let cells = shown.map { $0[index] }.filter { $0.kind != .null }
            let numeric = !cells.isEmpty && cells.allSatisfy { $0.kind == .number }
            return TableColumn(name, alignment: numeric ? .right : .left)
        }
        let text = TextTable(columns: tableColumns, rows: shown, total: rows.count > shown.count ? rows.count : nil)
        return TableRenderer(maxWidth: context.width).render(text, as: .table)
    }

    static func isScalar(_ value: LuaValue) -> Bool {
        switch value {
        case .nil, .boolean, .integer, .number, .string: return true
        default: return false
        }
    }

    static func cell(_ value: LuaValue?) -> TableCell {
        switch value {
        case .integer(let n)?: return .integer(n)
        case .number?: return .number(value?.description ?? "")
        case .boolean(let b)?: return .text(b ? "true" : "false")
        case .string(let s)?: return .text(KeyValueBlock.plain(s))
        default: return .null
        }
    }
}
