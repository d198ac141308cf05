import LuaKit

/// How the REPL words an error: the message (a table raised with `error{ code = 1 }` shows
/// as that table, not `table: 0x…`) and a traceback of the user's own frames.
///
/// The `fp` prelude, `fp.report` and the plugin host's helpers are Lua too; their frames (and
/// the Swift functions they call, which show as `[C]`) say nothing to the person at the
/// prompt, so `userFrames` leaves them out. A plugin's own files stay: they are code a
/// person wrote.
///
/// ```swift
/// ReplErrorText.userFrames("stack traceback:\n\t[C]: in field 'run'\n\tfp:60: in function <fp:60>\n\tstdin:1: in main chunk")
/// // "stack traceback:\n\tstdin:1: in main chunk"
/// ```
enum ReplErrorText {
    /// Chunk names of Lua that ships inside the binary.
    static let internalSources: Set<String> = ["fp", "fp.report", "fupin.plugins", "fupin.spec"]

    /// The message to show for `error`.
    static func message(_ error: LuaError, context: ReplPrintContext) -> String {
        guard case .table(let table)? = error.value else { return error.message }
        if case .string(let text) = table.rawGet("fupin_fail") { return text.description }  // ctx.fail
        if LuaValueFormatter.hasToString(table, in: context.lua) { return context.describe(.table(table)) }
        return "error object: " + LuaValueFormatter(context: context).format(.table(table))
    }

    /// The traceback without the frames of built-in Lua, or nil when nothing of the user's
    /// is left.
    static func userFrames(_ traceback: String) -> String? {
        var lines = traceback.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == "stack traceback:" else { return traceback }
        lines.removeFirst()
        var kept: [String] = []
        for (index, line) in lines.enumerated() {
            if isInternal(line) { continue }
            // A Swift function called by built-in Lua is part of it.
            if isSwift(line), index + 1 < lines.count, isInternal(lines[index + 1]) { continue }
            if line.contains("(...tail calls...)"), kept.last?.contains("(...tail calls...)") == true { continue }
            kept.append(line)
        }
        guard kept.contains(where: { !$0.contains("(...tail calls...)") && !isSwift($0) }) else { return nil }
        return (["stack traceback:"] + kept).joined(separator: "\n")
    }

    private static func source(_ line: String) -> Substring? {
        let trimmed = line.drop { $0 == "\t" || $0 == " " }
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        return trimmed[..<colon]
    }

    private static func isInternal(_ line: String) -> Bool {
        guard let source = source(line) else { return false }
        return internalSources.contains(String(source))
    }

    private static func isSwift(_ line: String) -> Bool { source(line) == "[C]" }
}
