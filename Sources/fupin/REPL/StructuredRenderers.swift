import FupinREPL
import FupinScripting
import LuaKit

/// Lua values as JSON, for `:mode json`.
///
/// A table whose keys are exactly 1...n becomes an array, any other table an object (keys
/// written as text, sorted); `nil` is `null`, NaN and infinities are `null`, a table that
/// contains itself is the string "<cycle>", and functions and userdata are their
/// `tostring` text. Tables are read raw.
///
/// ```swift
/// JSONRenderer(context: context).render(value)   // {"name": "新村", "ids": [1, 2]}
/// ```
struct JSONRenderer {
    let context: ReplPrintContext
    var maxDepth = 64

    func render(_ value: LuaValue) -> String {
        node(value, depth: 1, ancestors: []).layout(width: context.width)
    }

    private func node(_ value: LuaValue, depth: Int, ancestors: [LuaTable]) -> LayoutNode {
        switch value {
        case .nil: return .atom("null")
        case .boolean(let b): return .atom(b ? "true" : "false")
        case .integer(let i): return .atom(String(i))
        case .number(let d): return .atom(d.isFinite ? value.description : "null")
        case .string(let s): return .atom(JSONRenderer.quote(s.description))
        case .table(let table):
            if ancestors.contains(where: { $0.isSame(as: table) }) { return .atom("\"<cycle>\"") }
            if LuaValueFormatter.hasToString(table, in: context.lua) || depth > maxDepth {
                return .atom(JSONRenderer.quote(context.describe(value)))
            }
            if let label = context.recordLabel?(table) { return .atom(JSONRenderer.quote(label)) }
            let entries = TableEntries(table)
            let inner = ancestors + [table]
            if entries.keyed.isEmpty && !entries.sequence.isEmpty {
                return .group(
                    open: "[", close: "]", padded: false,
                    items: entries.sequence.map { LayoutItem("", node($0, depth: depth + 1, ancestors: inner)) })
            }
            var items: [LayoutItem] = []
            for (i, v) in entries.sequence.enumerated() {
                items.append(
                    LayoutItem(JSONRenderer.quote(String(i + 1)) + ": ", node(v, depth: depth + 1, ancestors: inner)))
            }
            for (key, v) in entries.keyed {
                guard let key else { continue }
                items.append(
                    LayoutItem(JSONRenderer.quote(key.description) + ": ", node(v, depth: depth + 1, ancestors: inner)))
            }
            return .group(open: "{", close: "}", padded: false, items: items)
        default:
            return .atom(JSONRenderer.quote(context.describe(value)))
        }
    }

    /// A JSON string literal (the same quoting as fp.format's JSON mode).
    static func quote(_ text: String) -> String { TableRenderer.jsonString(text) }
}

/// Lua values as CSV, for `:mode csv`: a list of records (tables with named fields) is one
/// row per record under a header of every field name; a single table of keys (a `group_by`
/// result, a summary) is one `key,value` row per key, nested tables written as Lua text.
/// Anything else is not tabular, and `render` returns nil so it is pretty-printed instead.
///
/// ```swift
/// CSVRenderer(context: context).render([list])   // "id,name\n1,新村\n2,\"A, B\""
/// ```
struct CSVRenderer {
    let context: ReplPrintContext

    func render(_ values: [LuaValue]) -> String? {
        guard values.count == 1, case .table(let table) = values[0],
            !LuaValueFormatter.hasToString(table, in: context.lua)
        else { return nil }
        let entries = TableEntries(table)
        var rows: [TableEntries] = []
        if entries.keyed.isEmpty && !entries.sequence.isEmpty {
            for item in entries.sequence {
                guard case .table(let row) = item, !LuaValueFormatter.hasToString(row, in: context.lua) else {
                    return nil
                }
                rows.append(TableEntries(row))
            }
        } else if entries.sequence.isEmpty && !entries.keyed.isEmpty {
            let formatter = LuaValueFormatter(context: context, maxDepth: 3, maxEntries: Int.max)
            var lines = ["key,value"]
            for (key, value) in entries.keyed {
                let text: String
                switch value {
                case .string(let s): text = s.description
                case .table:
                    text = formatter.format(entry: value, of: table, indent: 0).replacingOccurrences(
                        of: "\n", with: " ")
                default: text = context.describe(value)
                }
                lines.append(CSVRenderer.field(KeyValueBlock.keyText(key)) + "," + CSVRenderer.field(text))
            }
            return lines.joined(separator: "\n")
        } else {
            return nil
        }
        var columns: [String] = []
        var seen: Set<String> = []
        for row in rows {
            for (key, _) in row.keyed {
                guard case .string(let s)? = key, seen.insert(s.description).inserted else { continue }
                columns.append(s.description)
            }
        }
        guard !columns.isEmpty else { return nil }
        // `id` first, as a ledger's key; the rest in the sorted order the rows gave them.
        if let idIndex = columns.firstIndex(of: "id") { columns.insert(columns.remove(at: idIndex), at: 0) }
        var lines = [columns.map(CSVRenderer.field).joined(separator: ",")]
        for row in rows {
            var cells: [String: LuaValue] = [:]
            for (key, value) in row.keyed { if case .string(let s)? = key { cells[s.description] = value } }
            lines.append(
                columns.map { name -> String in
                    guard let value = cells[name] else { return "" }
                    return CSVRenderer.field(context.describe(value))
                }.joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
