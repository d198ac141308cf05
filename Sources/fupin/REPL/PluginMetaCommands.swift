import Foundation
import FupinScripting
import LuaKit

/// `:plugins`, `:reload [NAME]` and `:run PLUGIN COMMAND [ARGS]` in the REPL.
extension FpReplHost {
    func installPluginCommands(in session: ReplSession) {
        let host = self.host
        let pluginNames = { host.plugins?.plugins.map(\.name) ?? [] }
        session.register(
            metaCommand: ReplMetaCommand(
                name: "plugins", summary: "List the plugins: version, place, status (and why one is disabled).",
                run: { _, _ in
                    guard let runtime = host.plugins, !runtime.plugins.isEmpty else {
                        print("no plugins found"); return
                    }
                    var rows = [["NAME", "VERSION", "PLACE", "STATUS", "COMMANDS / REASON"]]
                    for p in runtime.plugins {
                        let detail = p.problem ?? p.manifest?.commands.map(\.name).joined(separator: " ") ?? ""
                        rows.append([
                            p.name, p.manifest.map { "\($0.version)" } ?? "-", p.source.place.rawValue,
                            p.isEnabled ? "enabled" : "disabled", detail,
                        ])
                    }
                    print(TextColumns.render(rows))
                }))
        session.register(
            metaCommand: ReplMetaCommand(
                name: "reload", arguments: "[NAME]",
                summary: "Read the plugins' files again (after editing one) without leaving the REPL.",
                help:
                    "Every plugin is read again, so a change to one that others require reaches them too; NAME only checks that it loaded.",
                completeArgument: { _, previous, partial in
                    previous.isEmpty ? pluginNames().filter { $0.hasPrefix(partial) } : []
                },
                run: { _, args in
                    let runtime = try host.reloadPlugins()
                    let chosen =
                        args.first.map { name in runtime.plugins.filter { $0.name == name } } ?? runtime.plugins
                    if let name = args.first, chosen.isEmpty { throw ReplCommandError("no plugin called \(name)") }
                    for p in chosen {
                        print(
                            p.isEnabled
                                ? "reloaded \(p.name) \(p.manifest.map { "\($0.version)" } ?? "")"
                                : "\(p.name) is disabled: \(p.problem ?? "")")
                    }
                }))
        session.register(
            metaCommand: ReplMetaCommand(
                name: "run", arguments: "PLUGIN COMMAND [ARGS]",
                summary: "Run a plugin command as one unit of work, e.g. :run produce-sales summary --year 2019.",
                completeArgument: { _, previous, partial in
                    if previous.isEmpty { return pluginNames().filter { $0.hasPrefix(partial) } }
                    guard let manifest = host.plugins?.plugin(previous[0])?.manifest else { return [] }
                    if previous.count == 1 { return manifest.commands.map(\.name).filter { $0.hasPrefix(partial) } }
                    return manifest.command(previous[1])?.arguments.map(\.flag).filter { $0.hasPrefix(partial) } ?? []
                },
                run: { [unowned self] session, args in
                    guard let plugin = args[0], let commandName = args[1] else {
                        throw ReplCommandError("usage: :run PLUGIN COMMAND [--option value ...]")
                    }
                    guard let runtime = host.plugins else { throw ReplCommandError("plugins are not loaded") }
                    let spec = try runtime.commandSpec(plugin, commandName)
                    let words = Array(args.words.dropFirst(2))
                    if words.contains("--help") {
                        if let manifest = runtime.plugin(plugin)?.manifest {
                            print(PluginHelp.commandText(manifest, spec))
                        }
                        return
                    }
                    let arguments = try PluginArguments.fromCommandLine(words, spec, plugin: plugin)
                    let results = try ReplInterrupts.whileRunning {
                        try self.runUnit {
                            try runtime.invoke(plugin, spec.name, arguments: arguments, userTyped: true)
                        }
                    }
                    try session.show(results.filter { !$0.isNil })
                }))
    }
}
