import FupinScripting
import LuaKit

/// How results are shown, chosen with `:mode table|csv|json`.
enum ReplOutputMode: String, CaseIterable {
    /// Aligned tables for records and queries; other tables pretty-printed.
    case table
    /// Comma-separated values for lists of records.
    case csv
    /// One JSON value per result.
    case json
}

/// What a printer knows about where its text goes.
struct ReplPrintContext {
    let lua: LuaState
    /// The session's `:mode`.
    var mode: ReplOutputMode
    var style: ReplStyle
    /// Terminal columns (80 when unknown).
    var width: Int
    /// Whether the text goes to the pager (`less -S` scrolls sideways), so a ledger table
    /// may keep every column instead of fitting `width`.
    var paging = false
    /// Lua's `tostring`, captured before user code ran; call it only through `describe`.
    let tostring: LuaFunction?
    /// A short label for a ledger record met inside another table (`<households #1>`), or
    /// nil for any other table. Its fields are not printed there: they may hold personal
    /// data, which only the ledger table display masks.
    var recordLabel: ((LuaTable) -> String?)? = nil

    /// `tostring(value)` as lua.c's `print` does it (running `__tostring`, under protection);
    /// a failing `__tostring` gives its error text instead of raising. Control characters from
    /// data or plugins are escaped on a terminal (`SafeTerminalText`).
    func describe(_ value: LuaValue) -> String {
        switch value {
        case .string(let s): return SafeTerminalText.forStandardOutput(s.description)
        case .nil, .boolean, .integer, .number: return value.description
        default:
            do {
                if let tostring, let text = try tostring.call(value).first {
                    return SafeTerminalText.forStandardOutput(text.description)
                }
            } catch let error as LuaError {
                return "<\(value.typeName): __tostring failed: \(error.message)>"
            } catch {}
            return value.typeName
        }
    }
}

/// Turns the values an input returned into text for the terminal.
///
/// The session asks `session.printers` in order and then the default `ValuePrinter`; the
/// first that returns text wins. The fp layer puts its own printer in front to show
/// records, lists and queries as aligned tables (honouring `context.mode`), and returns nil
/// for anything else:
///
/// ```swift
/// session.printers.insert(ClosurePrinter { values, context in
///     guard values.count == 1, isQuery(values[0]) else { return nil }
///     return try show(values[0], mode: context.mode, width: context.width)
/// }, at: 0)
/// ```
///
/// Printers run while Ctrl-C interrupts Lua code, so one that calls Lua (a query's `:list()`)
/// can be stopped; a thrown error is reported like any error of the input.
protocol ReplPrinter {
    /// The text for `values` (no final newline; "" prints nothing), or nil to pass them on.
    func render(_ values: [LuaValue], context: ReplPrintContext) throws -> String?
}

/// A printer made of a closure.
struct ClosurePrinter: ReplPrinter {
    let body: ([LuaValue], ReplPrintContext) throws -> String?

    init(_ body: @escaping ([LuaValue], ReplPrintContext) throws -> String?) { self.body = body }

    func render(_ values: [LuaValue], context: ReplPrintContext) throws -> String? {
        try body(values, context)
    }
}
