import ArgumentParser

/// The `fupin` command: the analyst's workbench for poverty-alleviation ledgers.
@main
struct Fupin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fupin",
        abstract: "扶贫 — a scriptable workbench for targeted poverty-alleviation ledgers.",
        discussion: """
        Run Lua scripts over a workspace's ledgers.

        Examples:
          fupin run report.lua 2019
          fupin eval 'return 6 * 7'
        """,
        subcommands: [ReplCommand.self, RunCommand.self, EvalCommand.self, InitCommand.self, ImportCommand.self, ExportCommand.self, StubsCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}
