import ArgumentParser
import Foundation
import FupinScripting

/// The program's entry: `fupin PLUGIN COMMAND ...` goes to the plugin's command, anything
/// else to the built-in commands (the shared options may come before a command's name).
@main
enum FupinMain {
    static func main() {
        let words = Array(CommandLine.arguments.dropFirst())
        // The hidden worker mode: one plugin command in a confined process (docs/worker-protocol.md).
        if words == [PluginIsolation.workerModeArgument] { exit(PluginWorker.main()) }
        PluginIsolation.configureForCommandLine()
        if let dispatch = PluginCommandLine(words: words, builtins: Fupin.builtinNames) {
            dispatch.runAndExit()
        }
        let ordered = GlobalOptions.reorder(words, builtins: Fupin.builtinNames, nested: Fupin.nestedNames)
        PlainCommandLine.runIfPlain(ordered)
        PlainCommandLine.runReplIfPlain(ordered)
        Fupin.main(ordered)
    }
}

/// The `fupin` command: the analyst's workbench for poverty-alleviation ledgers.
struct Fupin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fupin",
        abstract: "扶贫 — a scriptable workbench for targeted poverty-alleviation ledgers.",
        discussion: """
            Run Lua scripts over a workspace's ledgers. Plugins add commands of their own:
            fupin PLUGIN COMMAND [--option value ...] (fupin plugins lists them; fupin PLUGIN --help
            shows a plugin's commands).

            Examples:
              fupin init demo --sample
              fupin run report.lua 2019
              fupin eval 'return 6 * 7'
              fupin report annual --year 2019 --format html -o summary.html
              fupin produce-sales summary --year 2019 --by village
            """,
        subcommands: [
            ReplCommand.self, RunCommand.self, EvalCommand.self, InitCommand.self, ImportCommand.self,
            ExportCommand.self,
            PluginsCommand.self, TestCommand.self, AuditCommand.self, StubsCommand.self, BackupCommand.self,
            RestoreCommand.self,
            AccessCommand.self, StoreCommand.self,
        ],
        defaultSubcommand: ReplCommand.self
    )

    /// For each built-in command with subcommands (`plugins`, `access`, `store`), their names
    /// and aliases: the shared options given before the command go after the subcommand's
    /// name. Read from the commands themselves, so a new subcommand cannot be missed (a
    /// hand-kept list had `plugins` only, and `fupin --workspace DIR store info` failed).
    static var nestedNames: [String: Set<String>] {
        var nested: [String: Set<String>] = [:]
        for command in configuration.subcommands {
            let inner = command.configuration.subcommands
            guard !inner.isEmpty, let name = command.configuration.commandName else { continue }
            nested[name] = Set(
                inner.flatMap { [$0.configuration.commandName].compactMap { $0 } + $0.configuration.aliases })
        }
        return nested
    }

    /// Names of the built-in commands (a plugin of the same name is reached with `fupin plugins`).
    static var builtinNames: Set<String> {
        Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
    }
}
