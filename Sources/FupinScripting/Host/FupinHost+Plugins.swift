import FupinCore
import LuaKit

/// Plugins in a host: loading them, and `fp.plugins` for trusted code.
extension FupinHost {
    /// Finds and loads the plugins of `places` (replacing any loaded before), registers
    /// their ledgers as `fp.<ledger>`, and sets `fp.plugins`. A plugin that cannot load is
    /// disabled with its reason (see `PluginRuntime.plugins`); this throws only when the
    /// host itself fails.
    @discardableResult
    public func loadPlugins(_ places: PluginPlaces) throws -> PluginRuntime {
        let runtime = PluginRuntime(host: self, places: places)
        if let old = plugins {
            runtime.output = old.output
            for plugin in old.plugins where plugin.isEnabled {
                for ledger in plugin.manifest?.ledgers ?? [] { workspace.unregisterLedger(ledger.name) }
            }
        }
        plugins = runtime
        try runtime.loadAll()
        try installPluginsTable(runtime)
        return runtime
    }

    /// Reads every plugin again from its files (`:reload`); returns the runtime.
    @discardableResult
    public func reloadPlugins() throws -> PluginRuntime {
        try loadPlugins(plugins?.places ?? PluginPlaces([]))
    }

    /// Runs a plugin command as its own unit of work (the command line, `:run`), or as a
    /// savepoint inside the open one. `dryRun` reports the changes and rolls back.
    public func runPluginCommand(_ plugin: String, _ command: String, arguments: [String: LuaValue],
                                 dryRun: Bool = false) throws -> ([LuaValue], ChangeSummary?) {
        guard let runtime = plugins else {
            throw PluginCommandError(plugin: plugin, command: command, message: "plugins are not loaded")
        }
        return try runUnit(dryRun: dryRun) { try runtime.invoke(plugin, command, arguments: arguments) }
    }

    /// `fp.plugins["name"].command{ ... }` in the trusted `fp`.
    func installPluginsTable(_ runtime: PluginRuntime) throws {
        let commandsOf = lua.function { [unowned runtime] frame in
            let name = try frame.string(1)
            guard let plugin = runtime.plugin(name) else { frame.pushNil(); return 1 }
            // Enabled plugins are in the table itself; this is reached only for the others.
            throw LuaScriptError("plugin \(name) is disabled: \(plugin.problem ?? "not loaded")")
        }
        let invoke = lua.function { [unowned runtime] frame in
            let name = try frame.string(1)
            let commandName = try frame.string(2)
            guard case .table(let table) = frame.value(3) else { throw LuaScriptError("expected a table of arguments") }
            do {
                let (_, spec, _) = try runtime.command(name, commandName)
                let arguments = try PluginArguments.fromTable(table, spec, plugin: name)
                let results = try runtime.invoke(name, spec.name, arguments: arguments)
                return try frame.push(results: results)
            } catch let error as PluginCommandError {
                throw LuaScriptError(FupinHost.callerPosition(frame) + "\(error.plugin) \(error.command): \(error.message)", addsPosition: false)
            } catch let error as PluginArgumentError {
                throw LuaScriptError(FupinHost.callerPosition(frame) + error.description, addsPosition: false)
            }
        }
        let enabled = LuaValue.array(runtime.plugins.filter(\.isEnabled).compactMap { plugin in
            plugin.manifest.map { .array([.text(plugin.name), .array($0.commands.map { .text($0.name) })]) }
        })
        let plugins = try runtime.supportFunction("make_plugins").call(enabled, .function(commandsOf), .function(invoke)).first ?? .nil
        fpTable?.rawSet("plugins", plugins)
    }
}
