import Foundation
import LuaKit

/// One REPL session: the Lua state, the environment inputs run in, and the settings and
/// extension points (printers, meta-commands, host) other layers plug into.
///
/// `runInteractive` is the prompt loop (ReplSession+Loop.swift); `runScript` runs what
/// stdin holds when it is not a terminal (StdinScript.swift). Inputs are evaluated and
/// shown by ReplSession+Evaluate.swift.
///
/// ```swift
/// let session = try ReplSession(lua: try ScriptHost.makeTrustedState())
/// session.register(metaCommand: ReplMetaCommand(name: "hello", summary: "Say hello.") { _, _ in
///     ReplOutput.line("你好")
/// })
/// exit(session.runInteractive(history: .standard()))
/// ```
final class ReplSession {
    let lua: LuaState
    /// Runs each input as one unit of work (see `ReplHost`).
    var host: ReplHost
    let environment: ReplEnvironment
    /// Printers asked before the default one, in order (see `ReplPrinter`).
    var printers: [ReplPrinter] = []
    /// What tab completion asks about objects it cannot read raw (see `ReplCompletionSource`).
    var completionSources: [ReplCompletionSource] = []
    /// The printer asked last; it always prints.
    var defaultPrinter = ValuePrinter()
    /// `:mode`.
    var mode: ReplOutputMode = .table
    /// `:timing`.
    var showsTiming = false
    /// `:pager`: results taller than the terminal go through `$PAGER` (see `Pager`).
    var pagesOutput = true
    /// A result waiting for the pager until its unit of work has ended.
    var pendingPage: String?
    var style: ReplStyle
    var primaryPrompt = "> "
    var continuationPrompt = ">> "
    /// What error messages call an input (`stdin:1: ...`, as in lua.c).
    var chunkName = "=stdin"
    /// The `:commands`.
    private(set) var metaCommands = MetaCommandRegistry()
    /// Extra `:help TOPIC` texts by topic.
    private(set) var helpTopics: [(name: String, text: String)] = []
    /// The line editor, while an interactive session runs.
    var editor: LineEditor?
    /// Set by `:quit` (or `quit()`): the loop ends after the current input.
    private(set) var isFinished = false
    /// Help for names `:help` does not know (the fp layer explains its API).
    var helpLookups: [(String) -> String?] = []
    /// How a record inside another table prints (see `ReplPrintContext.recordLabel`).
    var recordLabel: ((LuaTable) -> String?)?
    /// Lines shown under the banner (which workspace is open, or that none is).
    var bannerNotes: [String] = []
    /// What an error or a `nil` result may be explained by: given the input and the error's
    /// message (nil when the input's value was `nil`), a line saying what went wrong, or nil.
    /// The fp layer explains `fp.nosuch`.
    var hints: [(_ input: String, _ message: String?) -> String?] = []
    /// The input being run (for `hints`).
    var currentInput: String?
    /// Lua's `tostring`, captured before user code can replace it.
    let tostring: LuaFunction?

    init(lua: LuaState, host: ReplHost = PlainReplHost(), style: ReplStyle = .plain) throws {
        self.lua = lua
        self.host = host
        self.style = style
        self.environment = try ReplEnvironment(lua: lua)
        self.tostring = lua.global("tostring").functionValue
        BuiltinMetaCommands.register(in: self)
        ReplHelp.registerTopics(in: self)
    }

    /// Adds a `:command` (replacing one of the same name).
    func register(metaCommand: ReplMetaCommand) {
        metaCommands.register(metaCommand)
    }

    /// Adds a topic for `:help NAME` (replacing one of the same name).
    func register(helpTopic name: String, text: String) {
        helpTopics.removeAll { $0.name == name }
        helpTopics.append((name, text))
    }

    /// Ends the session after the current input.
    func quit() { isFinished = true }

    /// What printers are given.
    var printContext: ReplPrintContext {
        ReplPrintContext(
            lua: lua, mode: mode, style: style, width: terminalWidth, tostring: tostring,
            recordLabel: recordLabel)
    }

    /// The terminal's width in columns (from libedit when it runs, else $COLUMNS, else 80).
    var terminalWidth: Int {
        if let columns = editor?.columns, columns > 20 { return columns }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 {
            return columns
        }
        return 80
    }
}
