import ArgumentParser
import LuaKit

/// `fupin run FILE.lua [ARGS...]`: runs a trusted script with the full standard library.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua script (trusted: full standard library).",
        discussion: """
            The script receives its arguments as `...` and in the global `arg`, as the standalone \
            `lua` interpreter sets them (arg[0] is the script, arg[1] the first argument). In a \
            workspace the global `fp` is the ledgers' API, and the whole script is one \
            transaction: an error rolls back everything it wrote. Options go before the script.

            Examples:
              fupin run Scripts/summary.lua 2019
              fupin run check.lua --verbose
              fupin run --dry-run --workspace ~/ledgers fix-phones.lua
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Flag(name: .long, help: "Run the script, print what it would change, and roll back.")
    var dryRun = false

    @Argument(help: "The Lua script to run.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script.")
    var arguments: [String] = []

    func run() throws {
        try RunCommand.execute(file, arguments: arguments, dryRun: dryRun, options)
    }

    /// Runs the script `file` with `arguments` in the workspace of `options`.
    static func execute(_ file: String, arguments: [String], dryRun: Bool, _ options: WorkspaceOptions) throws {
        let host = try ScriptHost.makeHost(options, source: file, lazyPlugins: true)
        let lua = try host?.lua ?? ScriptHost.makeTrustedState()
        try ScriptHost.setScriptArguments(lua, script: file, arguments: arguments)
        let args = arguments.map { LuaValue.text($0) }
        _ = try ScriptHost.reportingErrors(in: lua, withoutWorkspace: host == nil ? options.folder : nil) {
            try ScriptHost.runUnit(host, dryRun: dryRun) { try lua.run(file: file, arguments: args) }
        }
    }
}
