import ArgumentParser
import Foundation
import FupinScripting
import LuaKit

#if canImport(Glibc)
    import Glibc
#endif

/// `fupin` with no command (or `fupin repl`): the interactive Lua prompt, or — when stdin
/// is not a terminal — stdin run as one script.
///
/// ```text
/// $ fupin
/// Fupin 0.1.0 (扶贫) · Lua 5.4.4 · :help for help, Ctrl-D to leave
/// > 6 * 7
/// 42
/// $ echo 'print(6 * 7)' | fupin
/// 42
/// ```
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the interactive Lua prompt (the default command).",
        discussion: """
            An expression prints its value; an unfinished chunk continues on a `>>` prompt; \
            `local` names stay visible to later inputs and `_` holds the last result. Tab \
            completes names, fields and `:commands`; `:help` lists the commands. History is kept \
            in $XDG_STATE_HOME/fupin/history (default ~/.local/state/fupin/history).

            When stdin is not a terminal, all of it runs as one script (chunk name `stdin`) with \
            no prompts; the exit status is 1 if it fails.

            Examples:
              fupin
              fupin repl --no-history
              fupin --workspace ~/ledgers
              echo 'print(_VERSION)' | fupin
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Flag(name: .customLong("no-history"), help: "Neither read nor save the history file.")
    var noHistory = false

    func run() throws {
        let interactive = isatty(STDIN_FILENO) == 1
        // A plugin command in the REPL finds its worker already started (each command still
        // gets a fresh process).
        if interactive { PluginIsolation.keepsSpareWorker = true }
        let host = try ScriptHost.makeHost(options, source: interactive ? "repl" : "stdin")
        let lua = try host?.lua ?? ScriptHost.makeTrustedState()
        let session = try ReplSession(lua: lua, style: interactive ? .detect() : .plain)
        if let host {
            FpReplHost(host: host).install(in: session)
            session.bannerNotes.append("workspace \(host.workspace.folder?.path ?? options.folder.path)")
        } else {
            NoWorkspace(folder: options.folder).install(in: session)
        }
        if interactive, let runtime = host?.plugins {
            for plugin in runtime.plugins where !plugin.isEnabled {
                printToStandardError(
                    "plugin \(plugin.name) is disabled: \(plugin.problem ?? "") (:plugins lists the plugins)")
            }
        }
        let status: Int32
        if interactive {
            status = session.runInteractive(history: noHistory ? nil : .standard())
        } else {
            status = session.runScript(Array(FileHandle.standardInput.readDataToEndOfFile()))
        }
        if status != 0 { throw ExitCode(status) }
    }
}
