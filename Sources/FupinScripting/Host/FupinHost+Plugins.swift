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

    /// Arranges for the plugins of `places` to load when a script first needs them — a name
    /// `fp` does not hold yet (`fp.sales`, `fp.plugins`), `fp.schema()`, `fp.collections()` —
    /// or when Swift calls `loadDeferredPlugins`. A command whose script uses only the core
    /// collections (`fupin eval 'return 1'`) then never reads, compiles or registers a plugin.
    /// The hook is an `__index` on the trusted `fp` that keeps any metatable it had.
    public func deferPlugins(_ places: PluginPlaces) throws {
        guard plugins == nil, let fp = fpTable else { try loadPlugins(places); return }
        let hook = try lua.load(string: FupinHost.deferHook, chunkName: "=fupin.defer", mode: "t")
        let load = lua.function { [unowned self] _ in
            try self.loadDeferredPlugins()
            return 0
        }
        guard let unhook = try hook.call(.table(fp), .function(load)).first?.functionValue else {
            try loadPlugins(places)
            return
        }
        deferredPlugins = (places, unhook)
    }

    /// Loads the plugins `deferPlugins` put off (once); returns the runtime, nil when there is
    /// none.
    @discardableResult
    public func loadDeferredPlugins() throws -> PluginRuntime? {
        guard let deferred = deferredPlugins else { return plugins }
        deferredPlugins = nil
        try deferred.unhook.call()
        return try loadPlugins(deferred.places)
    }

    /// `(fp, load)` → a function removing the hook, or nil when `fp`'s metatable is protected.
    /// Leaves nothing on the stack of the caller.
    static let deferHook = """
        local fp, load = ...
        local old = getmetatable(fp)
        if old ~= nil and type(old) ~= "table" then return nil end
        local mt = {}
        for k, v in pairs(old or {}) do mt[k] = v end
        mt.__index = function(t, k)
          load()   -- takes the hook off first, then loads every plugin
          local v = rawget(t, k)
          if v ~= nil then return v end
          local index = old and old.__index
          if type(index) == "function" then return index(t, k) end
          if index ~= nil then return index[k] end
          return nil
        end
        setmetatable(fp, mt)
        return function() setmetatable(fp, old) end
        """

    /// Reads every plugin again from its files (`:reload`); returns the runtime.
    @discardableResult
    public func reloadPlugins() throws -> PluginRuntime {
        try loadPlugins(plugins?.places ?? PluginPlaces([]))
    }

    /// Runs a plugin command as its own unit of work (the command line, `:run`), or as a
    /// savepoint inside the open one. `dryRun` reports the changes and rolls back;
    /// `userTyped` as `PluginRuntime.invoke` takes it.
    public func runPluginCommand(
        _ plugin: String, _ command: String, arguments: [String: LuaValue],
        dryRun: Bool = false, userTyped: Bool = false
    ) throws -> ([LuaValue], ChangeSummary?) {
        guard let runtime = plugins else {
            throw PluginCommandError(plugin: plugin, command: command, message: "plugins are not loaded")
        }
        return try runUnit(dryRun: dryRun) {
            try runtime.invoke(plugin, command, arguments: arguments, userTyped: userTyped)
        }
    }

    /// `fp.plugins["name"].command{ ... }` in the trusted `fp`.
    func installPluginsTable(_ runtime: PluginRuntime) throws {
        // Lua keeps these functions as long as a script holds fp.plugins or one of its
        // commands; after :reload (or with the host gone) they refuse instead of crashing.
        let commandsOf = lua.function { [weak self, weak runtime] frame in
            let name = try frame.string(1)
            guard let self, let runtime, self.plugins === runtime else {
                throw PluginRuntime.replaced(name, at: FupinHost.callerPosition(frame))
            }
            guard let plugin = runtime.plugin(name) else { frame.pushNil(); return 1 }
            // Enabled plugins are in the table itself; this is reached only for the others.
            throw LuaScriptError("plugin \(name) is disabled: \(plugin.problem ?? "not loaded")")
        }
        let invoke = lua.function { [weak self, weak runtime] frame in
            let name = try frame.string(1)
            guard let self, let runtime, self.plugins === runtime else {
                throw PluginRuntime.replaced(name, at: FupinHost.callerPosition(frame))
            }
            let commandName = try frame.string(2)
            guard case .table(let table) = frame.value(3) else { throw LuaScriptError("expected a table of arguments") }
            do {
                let (_, spec, _) = try runtime.command(name, commandName)
                let arguments = try PluginArguments.fromTable(table, spec, plugin: name)
                let results = try runtime.invoke(name, spec.name, arguments: arguments)
                return try frame.push(results: results)
            } catch let error as PluginCommandError {
                throw LuaScriptError(
                    FupinHost.callerPosition(frame) + "\(error.plugin) \(error.command): \(error.message)",
                    addsPosition: false)
            } catch let error as PluginArgumentError {
                throw LuaScriptError(FupinHost.callerPosition(frame) + error.description, addsPosition: false)
            }
        }
        let enabled = LuaValue.array(
            runtime.plugins.filter(\.isEnabled).compactMap { plugin in
                plugin.manifest.map { .array([.text(plugin.name), .array($0.commands.map { .text($0.name) })]) }
            })
        let plugins =
            try runtime.supportFunction("make_plugins").call(enabled, .function(commandsOf), .function(invoke)).first
            ?? .nil
        fpTable?.rawSet("plugins", plugins)
    }
}
