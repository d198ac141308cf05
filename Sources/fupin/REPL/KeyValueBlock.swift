import FupinCore
import LuaKit

/// A table with keys and no sequence part — a `group_by` result, an income summary, a
/// `{ a = 1 }` typed at the prompt — as aligned `key  value` lines, the way a person reads
/// a record, rather than as a Lua constructor.
///
/// Keys are sorted as `TableEntries` sorts them and padded to the widest (Chinese keys count
/// two columns each); when every value is a number the values are right-aligned. Strings
/// show without quotes; nested tables are pretty-printed by `LuaValueFormatter` one level
/// down, so its depth and entry limits and `<cycle>` apply, and a nested table that breaks
/// over lines stays in the value column. After `maxEntries` keys comes `... (N more)`.
///
/// ```text
/// > fp.distributions:group_by("item"):sum("quantity")
/// 果树苗  35
/// 猪仔     2
/// 雏鸡    60
/// ```
struct KeyValueBlock {
    let context: ReplPrintContext
    let formatter: LuaValueFormatter

    /// The lines for `table`, or nil when it is not keys only (empty, has a sequence part,
    /// or has a `__tostring`).
    func render(_ table: LuaTable) -> String? {
        guard !LuaValueFormatter.hasToString(table, in: context.lua) else { return nil }
        let entries = TableEntries(table)
        guard entries.sequence.isEmpty, !entries.keyed.isEmpty else { return nil }
        let shown = Array(entries.keyed.prefix(formatter.maxEntries))
        let keys = shown.map { KeyValueBlock.keyText($0.key) }
        let keyWidth = keys.map(DisplayWidth.width).max() ?? 0
        let indent = keyWidth + 2
        let values = shown.map { entry -> String in
            switch entry.value {
            case .string(let s): return KeyValueBlock.plain(s)
            case .table: return formatter.format(entry: entry.value, of: table, indent: indent)
            default: return context.describe(entry.value)
            }
        }
        let numeric = shown.allSatisfy {
            if case .integer = $0.value { return true }
            if case .number = $0.value { return true }
            return false
        }
        let valueWidth = numeric ? values.map(DisplayWidth.width).max() ?? 0 : 0
        var lines = zip(keys, values).map { key, value in
            let padded = DisplayWidth.pad(key, to: keyWidth)
            return padded + "  " + (numeric ? DisplayWidth.pad(value, to: valueWidth, alignment: .right) : value)
        }
        if entries.keyed.count > shown.count { lines.append("... (\(entries.keyed.count - shown.count) more)") }
        return lines.map { $0.trailingSpacesRemoved }.joined(separator: "\n")
    }

    /// A key as shown in the key column: text as it is (escaped when it holds control
    /// characters or is empty), numbers and booleans as Lua writes them.
    static func keyText(_ key: LuaKey?) -> String {
        switch key {
        case .string(let s)?:
            return s.string.map { $0.isEmpty ? "\"\"" : plain(s) } ?? LuaValueFormatter.quote(s)
        case .integer(let i)?: return String(i)
        case .number(let d)?: return LuaValue.number(d).description
        case .boolean(let b)?: return String(b)
        case nil: return "[?]"
        }
    }

    /// Text shown unquoted, unless it holds control characters or invalid UTF-8 (then as
    /// a Lua literal, so nothing reaches the terminal raw).
    static func plain(_ s: LuaString) -> String {
        guard let text = s.string, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return LuaValueFormatter.quote(s) }
        return text
    }
}

extension String {
    fileprivate var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
