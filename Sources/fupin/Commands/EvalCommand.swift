import ArgumentParser
import FupinScripting
import LuaKit

/// `fupin eval 'CODE'`: runs a chunk and prints what it returns.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run a chunk of Lua and print what it returns.",
        discussion: """
            An expression is accepted as is (`return` is tried first, as in the REPL). Values are \
            printed tab-separated with Lua's tostring; a table as the REPL shows it (records and \
            queries as a ledger table, personal data masked).

            Examples:
              fupin eval '6 * 7'
              fupin eval 'return _VERSION, math.pi'
              fupin eval --workspace ~/ledgers 'fp.households:count()'
              fupin eval --workspace ~/ledgers 'fp.households:group_by("village_id"):count()'
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The Lua code to run.")
    var code: String

    func run() throws {
        try EvalCommand.evaluate(code, options)
    }

    /// Runs `code` in the workspace of `options` and prints what it returns.
    static func evaluate(_ code: String, _ options: WorkspaceOptions) throws {
        let host = try ScriptHost.makeHost(options, source: "eval", lazyPlugins: true)
        let lua = try host?.lua ?? ScriptHost.makeTrustedState()
        // Shown inside the unit, as the REPL shows an input's results: a query returned is read
        // with the unit's own writes; printed once the unit has committed.
        let shown = try ScriptHost.reportingErrors(in: lua, withoutWorkspace: host == nil ? options.folder : nil) {
            () -> String? in
            let chunk: LuaFunction
            if let expression = try? lua.load(string: "return " + code, chunkName: "=(eval)") {
                chunk = expression
            } else {
                chunk = try lua.load(string: code, chunkName: "=(eval)")
            }
            return try ScriptHost.runUnit(host, dryRun: false) { () -> String? in
                let results = try chunk.call()
                return results.isEmpty ? nil : try ScriptHost.render(results, in: lua, host: host)
            }
        }
        if let shown { print(SafeTerminalText.forStandardOutput(shown)) }
    }
}
