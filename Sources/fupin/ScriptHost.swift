import ArgumentParser
import Foundation
import FupinCore
import FupinScripting
import LuaKit

/// What the commands share to run trusted Lua: the state (with `fp` when a workspace is
/// found), the unit of work, `arg`, and error reporting.
enum ScriptHost {
    /// A state with the full standard library, as `lua` gives scripts.
    static func makeTrustedState() throws -> LuaState {
        try LuaState(libraries: .all)
    }

    /// The `fp` host over the workspace `options` name, or nil when the current folder (not
    /// named by the user) holds no workspace: then scripts run as plain Lua, without `fp`. A
    /// workspace the user named (`--workspace`, `$FUPIN_WORKSPACE`) that is not there is an
    /// error naming the folder and what is missing.
    ///
    /// `lazyPlugins` puts off loading the plugins until the script first needs one (see
    /// `FupinHost.deferPlugins`): `eval` and `run`, whose scripts mostly read the core ledgers.
    static func makeHost(_ options: WorkspaceOptions, source: String, lazyPlugins: Bool = false) throws -> FupinHost? {
        let folder = options.folder
        if let missing = WorkspaceOptions.missingWorkspace(folder) {
            if options.isNamed { return try reportingFailures { throw missing } }
            return nil
        }
        return try reportingFailures {
            let workspace = try options.open(at: folder)
            let host = try FupinHost(
                workspace: workspace, view: FpView(source: source, operatorName: options.operatorValue))
            let places = PluginPlaces.standard(workspaceFolder: workspace.folder)
            if lazyPlugins { try host.deferPlugins(places) } else { try host.loadPlugins(places) }
            return host
        }
    }

    /// Runs `body` as one unit of work of `host` (or directly when there is none); for a dry
    /// run prints what would change on stderr and rolls back.
    static func runUnit<T>(_ host: FupinHost?, dryRun: Bool, _ body: () throws -> T) throws -> T {
        guard let host else {
            if dryRun { throw CommandFailure("--dry-run needs a workspace (no \(Workspace.databaseFileName) found)") }
            return try body()
        }
        let (result, changes) = try host.runUnit(dryRun: dryRun, body)
        if let changes {
            FileHandle.standardError.write(
                Data("dry run: nothing was written. It would have made these changes:\n\(changes)\n".utf8))
        }
        return result
    }

    /// Sets the global `arg` like lua.c: arg[0] = script, arg[1...] = arguments,
    /// arg[-1] = the program.
    static func setScriptArguments(_ lua: LuaState, script: String, arguments: [String]) throws {
        var table: [LuaKey: LuaValue] = [0: .text(script), -1: .text(CommandLine.arguments.first ?? "fupin")]
        for (i, a) in arguments.enumerated() { table[.integer(Int64(i + 1))] = .text(a) }
        lua.setGlobal("arg", .dictionary(table))
    }

    /// Runs `body`; a Lua error is printed to stderr as the REPL shows it (the message — a
    /// raised table as that table — then the traceback of the script's own frames, without
    /// those of the Lua inside fupin) and turns into exit status 1.
    /// `withoutWorkspace` is the folder searched when no workspace was found there: an error
    /// about the missing global `fp` then says so.
    static func reportingErrors<T>(in lua: LuaState, withoutWorkspace: URL? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LuaError {
            let context = ReplPrintContext(
                lua: lua, mode: .table, style: .plain, width: 80, tostring: lua.global("tostring").functionValue)
            var text = ReplErrorText.message(error, context: context)
            if let traceback = error.traceback.flatMap(ReplErrorText.userFrames), !traceback.isEmpty {
                text += "\n" + traceback
            }
            if let folder = withoutWorkspace, error.message.contains("global 'fp'") {
                text +=
                    "\n(no workspace is open: \(folder.path) has no \(Workspace.databaseFileName); give --workspace DIR, or create one with `fupin init`)"
            }
            printError(text)
            throw ExitCode(1)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // Not a Lua error: the unit itself failed (busy, disk full, ...) — nothing was written.
            printError(describeFailure(error))
            throw ExitCode(1)
        }
    }

    /// What `eval` (and a plugin command's result) prints for `values`, as the REPL shows them
    /// in its table mode: scalars through Lua's `tostring`, tab-separated; a record, a list of
    /// records or a query as its ledger table, personal data masked (as `fp.show` prints it);
    /// any other table written out in full (`{ 3, 3 }`, a records inside it as
    /// `<households #1>`) instead of `table: 0x…`.
    static func render(_ values: [LuaValue], in lua: LuaState, host: FupinHost? = nil) throws -> String {
        if let host, values.count == 1, case .table(let table) = values[0], FpReplHost.isLedgerData(table, in: host) {
            // Inside the caller's unit when there is one (eval's, so a query sees its writes);
            // else in one of its own, opened only for data that needs the database.
            var text = try host.runUnit { try host.format(values[0], options: ShowOptions()) }.0
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
        var context = ReplPrintContext(
            lua: lua, mode: .table, style: .plain, width: 1 << 20, tostring: lua.global("tostring").functionValue)
        if let host { context.recordLabel = FpReplHost.recordLabel(in: host) }
        // Unlike the REPL, nothing is cut: eval's output is read by scripts as much as by people.
        return try ValuePrinter(maxDepth: 16, maxEntries: Int.max).render(values, context: context) ?? ""
    }

    static func printError(_ message: String) {
        var text = "fupin: " + message
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
