import ArgumentParser
import LuaKit
import Foundation

/// What the commands share to run trusted Lua: the state, `arg`, and error reporting.
enum ScriptHost {
    /// A state with the full standard library, as `lua` gives scripts.
    static func makeTrustedState() throws -> LuaState {
        try LuaState(libraries: .all)
    }

    /// Sets the global `arg` like lua.c: arg[0] = script, arg[1...] = arguments,
    /// arg[-1] = the program.
    static func setScriptArguments(_ lua: LuaState, script: String, arguments: [String]) throws {
        var table: [LuaKey: LuaValue] = [0: .text(script), -1: .text(CommandLine.arguments.first ?? "fupin")]
        for (i, a) in arguments.enumerated() { table[.integer(Int64(i + 1))] = .text(a) }
        lua.setGlobal("arg", .dictionary(table))
    }

    /// Runs `body`; a Lua error is printed to stderr as `lua` prints it (message, then
    /// traceback) and turns into exit status 1.
    static func reportingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LuaError {
            printError(error.description)
            throw ExitCode(1)
        }
    }

    /// Results printed tab-separated through Lua's own `tostring`.
    static func render(_ values: [LuaValue], in lua: LuaState) throws -> String {
        let tostring = lua.global("tostring").functionValue
        return try values.map { v -> String in
            if let tostring, let s = try tostring.call(v).first { return s.description }
            return v.description
        }.joined(separator: "\t")
    }

    static func printError(_ message: String) {
        var text = "fupin: " + message
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
