import ArgumentParser
import Foundation
import FupinCore
import FupinScripting

/// `fupin plugins [list | info NAME]`: the plugins found, where, and why any is disabled.
/// `fupin plugins NAME` and `fupin plugins show NAME` are `info NAME`: both were tried first.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List plugins, or show one plugin's ledgers, commands and permissions.",
        discussion: """
            Plugins are found in the bundled Plugins/ folder, the workspace's plugins/,
            ~/.config/fupin/plugins and $FUPIN_PLUGIN_PATH; a later place overrides an earlier one.

            Examples:
              fupin plugins
              fupin plugins info produce-sales     (also: fupin plugins produce-sales)
            """,
        subcommands: [List.self, Info.self],
        defaultSubcommand: List.self
    )

    /// The runtime over the workspace (or, with none, plugins read without a database).
    static func runtime(_ options: WorkspaceOptions) throws -> PluginRuntime {
        if let host = try ScriptHost.makeHost(options, source: "plugins"), let runtime = host.plugins { return runtime }
        let host = try FupinHost(workspace: try Workspace.inMemory(), view: FpView(source: "plugins"))
        return try host.loadPlugins(PluginPlaces.standard(workspaceFolder: nil))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Each plugin's version, place, status and reason.")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "A plugin's name: show that plugin, as `fupin plugins info NAME` does.") var name: String?

        func run() throws {
            if let name {
                try Info.describe(name, options)
                return
            }
            try reportingFailures {
                let runtime = try PluginsCommand.runtime(options)
                var rows = [["NAME", "VERSION", "PLACE", "STATUS", "TITLE / REASON"]]
                for p in runtime.plugins {
                    rows.append([
                        p.name, p.manifest.map { "\($0.version)" } ?? "-", p.source.place.rawValue,
                        p.isEnabled ? "enabled" : "disabled", p.problem ?? p.manifest?.title ?? "",
                    ])
                }
                if runtime.plugins.isEmpty {
                    print("no plugins found")
                } else {
                    print(TextColumns.render(rows))
                }
                // Where plugin commands run, and whether the system-call filter is available.
                print("\nisolation: \(PluginIsolation.status)")
            }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info", abstract: "A plugin's ledgers, commands and permissions.", aliases: ["show"])
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The plugin's name.") var name: String

        func run() throws {
            try Info.describe(name, options)
        }

        /// Prints plugin `name`'s place, status, permissions, limits, ledgers and commands.
        static func describe(_ name: String, _ options: WorkspaceOptions) throws {
            try reportingFailures {
                let runtime = try PluginsCommand.runtime(options)
                guard let p = runtime.plugin(name) else {
                    throw CommandFailure("no plugin called \(name) (fupin plugins list shows them)")
                }
                var lines = ["\(p.name) — \(p.source.folder.path) (\(p.source.place.rawValue))"]
                lines.append("status: " + (p.isEnabled ? "enabled" : "disabled: \(p.problem ?? "")"))
                if let m = p.manifest {
                    lines.append("version: \(m.version)   api: \(m.api)   title: \(m.title)")
                    if !m.description.isEmpty { lines.append(m.description) }
                    lines.append("permissions: " + m.permissions.sorted().map(\.rawValue).joined(separator: ", "))
                    lines.append(
                        "limits: \(m.limits.memoryBytes >> 20) MB, \(FieldInput.shortest(m.limits.seconds)) s per command"
                    )
                    if !m.requires.isEmpty {
                        lines.append("requires: " + m.requires.map(\.text).joined(separator: ", "))
                    }
                    for ledger in m.ledgers {
                        lines.append(
                            "ledger \(ledger.name) (\(ledger.label)): "
                                + ledger.fields.map { "\($0.name) \($0.type.name)" }.joined(separator: ", "))
                    }
                    for c in m.commands {
                        lines.append(
                            "command \(c.name): \(c.summary)"
                                + (c.arguments.isEmpty
                                    ? "" : " [" + c.arguments.map(\.flag).joined(separator: " ") + "]"))
                    }
                    if !m.exportNames.isEmpty { lines.append("exports: " + m.exportNames.joined(separator: ", ")) }
                }
                print(lines.joined(separator: "\n"))
            }
        }
    }
}

/// Left-aligned columns separated by two spaces, counting display width (Chinese is 2).
enum TextColumns {
    static func render(_ rows: [[String]]) -> String {
        let count = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.width(cell)) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[i] - DisplayWidth.width(cell) + 2)
            }.joined()
        }.joined(separator: "\n")
    }
}
