import ArgumentParser
import LuaKit

/// `fupin run FILE.lua [ARGS...]`: runs a trusted script with the full standard library.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua script (trusted: full standard library).",
        discussion: """
        The script receives its arguments as `...` and in the global `arg`, as the standalone \
        `lua` interpreter sets them (arg[0] is the script, arg[1] the first argument).

        Examples:
          fupin run Scripts/summary.lua 2019
          fupin run check.lua --verbose
        """
    )

    @Argument(help: "The Lua script to run.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script.")
    var arguments: [String] = []

    func run() throws {
        let lua = try ScriptHost.makeTrustedState()
        try ScriptHost.setScriptArguments(lua, script: file, arguments: arguments)
        let args = arguments.map { LuaValue.text($0) }
        _ = try ScriptHost.reportingErrors { try lua.run(file: file, arguments: args) }
    }
}
