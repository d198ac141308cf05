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
            printed tab-separated with Lua's tostring, one line per call.

            Examples:
              fupin eval '6 * 7'
              fupin eval 'return _VERSION, math.pi'
              fupin eval --workspace ~/ledgers 'fp.households:count()'
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
        let results = try ScriptHost.reportingErrors(in: lua, withoutWorkspace: host == nil ? options.folder : nil) {
            () -> [LuaValue] in
            let chunk: LuaFunction
            if let expression = try? lua.load(string: "return " + code, chunkName: "=(eval)") {
                chunk = expression
            } else {
                chunk = try lua.load(string: code, chunkName: "=(eval)")
            }
            return try ScriptHost.runUnit(host, dryRun: false) { try chunk.call() }
        }
        if !results.isEmpty {
            print(SafeTerminalText.forStandardOutput(try ScriptHost.render(results, in: lua)))
        }
    }
}
