import Foundation
import FupinCore
import LuaKit

/// `ctx.write_xlsx(path, sheets)`: tables of a plugin as an XLSX workbook under `exports/`
/// (FupinCore's `XlsxWorkbook`, libxlsxwriter). Needs `export`. Each sheet is a table:
/// `{ name = "镇有册", title = "…", landscape = true, columns = { "村", { label = "户数", kind =
/// "integer" }, … }, rows = { { "东梁村", 3 }, … }, totals = { { "合计", 6 } } }`; kinds are
/// text, integer, money, number and date (an ISO date string becomes an Excel date).
extension PluginRuntime {
    func writeXlsxFunction(_ plugin: Plugin, granted: Set<String> = []) -> LuaFunction {
        let pluginName = plugin.name
        return host.lua.function { [weak self, weak plugin] frame in
            guard let self, let plugin else { throw PluginRuntime.replaced(pluginName) }
            let path = try frame.string(1)
            guard let list = frame.value(2).tableValue else {
                throw frame.argumentError(2, expected: "table of sheets")
            }
            frame.push(.text(try self.writeXlsx(plugin, path: path, sheets: list.toArray(), granted: granted)))
            return 1
        }
    }

    /// Writes `sheets` (Lua tables as `ctx.write_xlsx` takes them) as a workbook at `path`
    /// (where the user named it if granted, else under `exports/`). Returns the full path.
    func writeXlsx(_ plugin: Plugin, path: String, sheets list: [LuaValue], granted: Set<String>) throws -> String {
        let sheets = try list.enumerated().map { try Self.sheet($0.element, index: $0.offset + 1) }
        // the file is written by libxlsxwriter; writeNamed checks the place and makes the folders
        let target = try writeNamed(plugin, path: path, bytes: [], granted: granted)
        do {
            try XlsxWorkbook.write(sheets, to: target)
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw LuaScriptError("ctx.write_xlsx: \(error)")
        }
        return target
    }

    static func sheet(_ value: LuaValue, index: Int) throws -> XlsxSheet {
        guard let t = value.tableValue else { throw LuaScriptError("ctx.write_xlsx: sheet \(index) is not a table") }
        let name = t.rawGet("name").stringValue ?? "Sheet\(index)"
        guard let columnList = t.rawGet("columns").tableValue, columnList.rawLength > 0 else {
            throw LuaScriptError("ctx.write_xlsx: sheet \(name) has no columns")
        }
        let columns = try columnList.toArray().enumerated().map { i, c -> XlsxSheet.Column in
            if let label = c.stringValue { return XlsxSheet.Column(label: label) }
            guard let spec = c.tableValue, let label = spec.rawGet("label").stringValue else {
                throw LuaScriptError("ctx.write_xlsx: sheet \(name), column \(i + 1) needs a label")
            }
            let kindName = spec.rawGet("kind").stringValue ?? "text"
            guard let kind = XlsxSheet.Kind(rawValue: kindName) else {
                throw LuaScriptError(
                    "ctx.write_xlsx: sheet \(name), column \(label): kind \(kindName) is not text, integer, money, number or date"
                )
            }
            return XlsxSheet.Column(label: label, kind: kind, width: spec.rawGet("width").doubleValue)
        }
        func rows(_ key: String) throws -> [[XlsxSheet.Cell]] {
            guard let list = t.rawGet(.string(LuaString(key))).tableValue else { return [] }
            return try list.toArray().enumerated().map { r, row in
                guard let cells = row.tableValue else {
                    throw LuaScriptError("ctx.write_xlsx: sheet \(name), \(key) \(r + 1) is not a table")
                }
                return (1...columns.count).map { i in
                    let v = cells.rawGet(.integer(Int64(i)))
                    if let d = v.doubleValue { return .number(d) }
                    if let s = v.stringValue { return s.isEmpty ? .empty : .text(s) }
                    if let b = v.boolValue { return .text(b ? "是" : "否") }
                    return .empty
                }
            }
        }
        return XlsxSheet(
            name: name, title: t.rawGet("title").stringValue, columns: columns, rows: try rows("rows"),
            totals: try rows("totals"), landscape: t.rawGet("landscape").boolValue ?? false)
    }
}
