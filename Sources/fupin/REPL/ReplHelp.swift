import FupinCore
import LuaKit

/// The banner and the text of `:help`.
///
/// ```swift
/// ReplHelp.banner(style: .plain)
/// // Fupin 0.1.0 (扶贫) · Lua 5.4.4 · :help for help, Ctrl-D to leave
/// ```
enum ReplHelp {
    static let fupinVersion = "0.1.0"

    /// The release of the Lua library this binary is built against ("5.4.4").
    static let luaRelease = LuaState.release

    /// The line shown when an interactive session starts.
    static func banner(style: ReplStyle) -> String {
        style.emphasis("Fupin \(fupinVersion) (扶贫)") + " · Lua \(luaRelease) · "
            + style.note(":help for help, Ctrl-D to leave")
    }

    /// The help topics every session has.
    static func registerTopics(in session: ReplSession) {
        session.register(helpTopic: "keys", text: keys)
        session.register(helpTopic: "lua", text: lua)
    }

    /// `:help` (nil topic): the command list; `:help NAME`: a command or a topic.
    static func text(for topic: String?, in session: ReplSession) throws -> String {
        guard var topic else { return overview(session) }
        if topic.hasPrefix(":") { topic.removeFirst() }
        if let command = session.metaCommands.lookup(topic) {
            var lines = [session.style.emphasis(command.usage), command.summary]
            if !command.aliases.isEmpty {
                lines.append("Also: " + command.aliases.map { ":" + $0 }.joined(separator: ", "))
            }
            if !command.help.isEmpty { lines.append(""); lines.append(command.help) }
            return lines.joined(separator: "\n")
        }
        if let found = session.helpTopics.first(where: { $0.name == topic }) { return found.text }
        for lookup in session.helpLookups { if let text = lookup(topic) { return text } }
        throw ReplCommandError("no help on \(topic) (:help lists commands and topics)")
    }

    private static func overview(_ session: ReplSession) -> String {
        let commands = session.metaCommands.commands
        let width = commands.map { DisplayWidth.width($0.usage) }.max() ?? 0
        var lines = ["Type Lua to run it; an expression prints its value. Commands:"]
        for command in commands {
            let pad = String(repeating: " ", count: width - DisplayWidth.width(command.usage) + 2)
            lines.append("  " + session.style.emphasis(command.usage) + pad + command.summary)
        }
        lines.append("Topics: " + session.helpTopics.map(\.name).joined(separator: ", ") + " (:help TOPIC)")
        if !session.helpLookups.isEmpty {
            lines.append("The fp API: help(fp), help(fp.households), help(fp.households.where), :help where")
        }
        return lines.joined(separator: "\n")
    }

    static let keys = """
        Editing keys (emacs style, from libedit):
          Left/Right, Ctrl-B/Ctrl-F   move by character;  Alt-B/Alt-F  by word
          Ctrl-A / Ctrl-E             start / end of line
          Up/Down, Ctrl-P/Ctrl-N      previous / next input from history
          Ctrl-R                      search history backwards (type, then Ctrl-R again)
          Tab                         complete names, fields after `.`, methods after `:`,
                                      commands after a leading `:`, files after `:load`;
                                      Tab twice lists the choices
          Ctrl-K / Ctrl-U / Ctrl-W    delete to end / whole line / word before the cursor
          Ctrl-L                      clear the screen
          Ctrl-C                      drop the line (or the unfinished input); stop running code
          Ctrl-D                      on an empty line: leave
        Settings can go in ~/.editrc (see editrc(5)), under the name `fupin`.
        """

    static let lua = """
        Lua at the prompt works as in the standalone `lua`, and a little better:
          - an expression prints its values (`1 + 1`, `fp.households:count()`);
          - an unfinished chunk (`function f(x)`) continues on the `>>` prompt until it is
            complete; Ctrl-C abandons it;
          - an error prints its message and traceback, and the session goes on;
          - `local x = 1` stays visible to later inputs (a REPL local: readable and assignable
            later, never a real global); `_` holds the first value of the last result;
          - tables print with nesting up to 3 levels and 50 entries each, `<cycle>` for a
            table inside itself.
        """
}
