import FupinREPL
import LuaKit

/// Pretty-prints Lua values as Lua-like text: `{ 1, 2, name = "x", nested = { ... } }`.
///
/// Limits keep a huge or deep table readable: below `maxDepth` levels a table shows as
/// `{...}`, after `maxEntries` entries comes `... (N more)`, and a table that contains
/// itself shows `<cycle>`. Strings inside tables are quoted; a table whose metatable has a
/// `__tostring` shows that text. Entries are read raw, so no `__index` or `__pairs` runs.
///
/// ```swift
/// let f = LuaValueFormatter(context: context)
/// f.format(value)     // {
///                     //   households = { 1, 2, 3, ... (997 more) },
///                     //   name = "新村",
///                     // }
/// ```
struct LuaValueFormatter {
    let context: ReplPrintContext
    var maxDepth = 3
    var maxEntries = 50

    func format(_ value: LuaValue) -> String {
        node(value, depth: 1, ancestors: []).layout(width: context.width)
    }

    /// `value` as an entry of `parent` shown at the top level: one level deeper, and
    /// indented by `indent` columns when it breaks over lines.
    func format(entry value: LuaValue, of parent: LuaTable, indent: Int) -> String {
        node(value, depth: 2, ancestors: [parent]).layout(indent: indent, width: context.width)
    }

    private func node(_ value: LuaValue, depth: Int, ancestors: [LuaTable]) -> LayoutNode {
        switch value {
        case .string(let s):
            return .atom(LuaValueFormatter.quote(s))
        case .table(let table):
            return tableNode(table, depth: depth, ancestors: ancestors)
        default:
            return .atom(context.describe(value))
        }
    }

    private func tableNode(_ table: LuaTable, depth: Int, ancestors: [LuaTable]) -> LayoutNode {
        if ancestors.contains(where: { $0.isSame(as: table) }) { return .atom("<cycle>") }
        if LuaValueFormatter.hasToString(table, in: context.lua) { return .atom(context.describe(.table(table))) }
        if let label = context.recordLabel?(table) { return .atom(label) }
        if depth > maxDepth { return .atom("{...}") }
        let entries = TableEntries(table)
        let inner = ancestors + [table]
        var items: [LayoutItem] = []
        for value in entries.sequence.prefix(maxEntries) {
            items.append(LayoutItem("", node(value, depth: depth + 1, ancestors: inner)))
        }
        for (key, value) in entries.keyed.prefix(max(0, maxEntries - items.count)) {
            items.append(
                LayoutItem(LuaValueFormatter.keyText(key) + " = ", node(value, depth: depth + 1, ancestors: inner)))
        }
        if entries.count > items.count {
            items.append(LayoutItem("", .atom("... (\(entries.count - items.count) more)")))
        }
        return .group(open: "{", close: "}", padded: true, items: items)
    }

    /// Whether a table's metatable (read raw) defines `__tostring`.
    static func hasToString(_ table: LuaTable, in lua: LuaState) -> Bool {
        guard let meta = lua.rawMetatable(of: .table(table)) else { return false }
        return !meta.rawGet("__tostring").isNil
    }

    /// How a key is written inside a table constructor.
    static func keyText(_ key: LuaKey?) -> String {
        switch key {
        case .string(let s)?:
            if let name = s.string, TableEntries.isIdentifier(name) { return name }
            return "[" + quote(s) + "]"
        case .integer(let i)?: return "[\(i)]"
        case .number?, .boolean?: return "[\(LuaValue(key: key).description)]"
        case nil: return "[?]"
        }
    }

    /// A Lua string literal for `s`: printable text as is (Chinese included), escapes for
    /// control characters, quotes and backslashes, `\ddd` for bytes that are not UTF-8.
    static func quote(_ s: LuaString) -> String {
        var out = "\""
        func escape(_ byte: UInt8) {
            switch byte {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            default:
                let digits = String(byte)
                out += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
        if let text = s.string {
            for scalar in text.unicodeScalars {
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\" {
                    escape(UInt8(scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        } else {
            for byte in s.bytes {
                if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    escape(byte)
                }
            }
        }
        return out + "\""
    }
}

extension LuaValue {
    fileprivate init(key: LuaKey?) { self = key?.value ?? .nil }
}
