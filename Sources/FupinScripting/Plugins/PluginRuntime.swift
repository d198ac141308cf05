import Foundation
import FupinCore
import LuaKit

/// The plugins of one host: found, read in their sandboxes, checked, ordered by dependency,
/// their ledgers registered and their commands ready to run (docs/plugins.md).
///
/// A plugin that cannot load (a bad manifest, a missing or incompatible dependency, a cycle,
/// a ledger that would lose data) is disabled with its reason; the others load.
///
/// ```swift
/// let runtime = try host.loadPlugins(PluginPlaces.standard(workspaceFolder: ws.folder))
/// for p in runtime.plugins { print(p.name, p.problem ?? "enabled") }
/// ```
public final class PluginRuntime {
    /// One discovered plugin and what became of it.
    public final class Plugin {
        public let source: PluginSource
        public internal(set) var manifest: PluginManifest?
        /// Why the plugin is disabled; nil when it is enabled.
        public internal(set) var problem: String?
        public var name: String { source.name }
        public var isEnabled: Bool { problem == nil && manifest != nil }
        let caller: FpCaller
        var env: LuaTable?
        var table: LuaTable?
        var modules: [String: LuaValue] = [:]
        var loading: Set<String> = []

        init(source: PluginSource, caller: FpCaller) {
            self.source = source
            self.caller = caller
        }
    }

    unowned let host: FupinHost
    public let places: PluginPlaces
    /// Enabled plugins in load (dependency) order, then disabled ones by name.
    public internal(set) var plugins: [Plugin] = []
    /// The executable each plugin command runs in as a worker process (nil: in this process;
    /// Worker/PluginBroker.swift).
    public var workerExecutable: String? = PluginIsolation.workerExecutable
    /// Where plugin `print` and `ctx.print` lines go.
    public var output: (String) -> Void = { line in print(SafeTerminalText.forStandardOutput(line)) }
    /// While specs run: the folders (besides each plugin's own) a spec's paths may name.
    public var specFolders: [URL]?
    var support: LuaTable?
    /// The Lua function that sends one line to `output` (shared by every print and ctx.print).
    var emit: LuaFunction?

    init(host: FupinHost, places: PluginPlaces) {
        self.host = host
        self.places = places
    }

    /// The refusal of a Lua function that belongs to plugins loaded before a `:reload` (or
    /// to a host that is gone): a script may still hold it, and must get an error, not a crash.
    /// `position` ("stdin:3: ") names the script's line when the caller knows it.
    static func replaced(_ plugin: String, at position: String? = nil) -> LuaScriptError {
        let message = "plugin \(plugin) was reloaded; look up fp.plugins[\"\(plugin)\"] again"
        guard let position else { return LuaScriptError(message) }
        return LuaScriptError(position + message, addsPosition: false)
    }

    /// The plugin called `name`, enabled or not.
    public func plugin(_ name: String) -> Plugin? { plugins.first { $0.name == name } }

    /// The Lua helpers of `PluginSupport`, compiled once.
    func supportTable() throws -> LuaTable {
        if let support { return support }
        let chunk = try host.lua.load(bytes: PluginSupport.source, chunkName: "=fupin.plugins", mode: "t")
        guard let table = try chunk.call().first?.tableValue else {
            throw LuaScriptError("plugin support did not load")
        }
        support = table
        return table
    }

    func supportFunction(_ name: String) throws -> LuaFunction {
        guard let f = try supportTable().rawGet(.string(LuaString(name))).functionValue else {
            throw LuaScriptError("plugin support has no \(name)")
        }
        return f
    }

    // MARK: Loading

    /// Finds, reads and orders every plugin, registers the ledgers of the enabled ones and
    /// adds them to `fp`. Replaces what was loaded before (`:reload`).
    func loadAll() throws {
        let sources = places.discover()
        let loaded = sources.map { Plugin(source: $0, caller: FpCaller(view: restrictedView($0.name))) }
        plugins = loaded
        for plugin in loaded { read(plugin) }
        let order = PluginResolver.resolve(loaded)
        for plugin in order where plugin.isEnabled {
            if let down = plugin.manifest?.requires.first(where: { self.plugin($0.plugin)?.isEnabled != true }) {
                plugin.problem = "requires \(down.plugin), which is disabled"
                continue
            }
            registerLedgers(plugin)
        }
        plugins = order.filter(\.isEnabled) + loaded.filter { !$0.isEnabled }.sorted { $0.name < $1.name }
        try host.refreshCollections()
    }

    /// What reading a manifest (with the modules it requires) may take: every fupin command
    /// reads them all, so a plugin that loops at load time must not hold up the others long.
    static let manifestLimits = PluginLimits(memoryBytes: 64 << 20, seconds: 2)

    /// Until its manifest is read, a plugin may not write and sees personal data masked.
    func restrictedView(_ name: String) -> FpView {
        FpView(
            source: "plugin:\(name)", allowsWrites: false, masksPersonalData: true, operatorName: host.view.operatorName
        )
    }

    /// The plugin's sandbox in the host's Lua state — its own `fp`, `print` and `require` —
    /// made the first time something needs it: its code running in this process (commands
    /// without worker processes), or its spec files. With workers (the command line's default)
    /// a plugin's code never runs in the host, so a command that does not touch a plugin costs
    /// it only its manifest (read from the cache); building the `fp` of each of the five
    /// bundled plugins was most of what loading them cost (BENCHMARKS.md, start-up).
    func environment(_ plugin: Plugin) throws -> LuaTable {
        if let env = plugin.env { return env }
        let fp = try host.makeFp(for: plugin.caller)
        let print = try printFunction()
        fp.rawSet("_print", .function(print))
        let env = try host.lua.makeSandbox(extra: [
            "fp": .table(fp),
            "require": .function(requireFunction(plugin)),
            "print": .function(print),
        ])
        plugin.env = env
        return env
    }

    /// The plugin's own `fp` (its sandbox is made if it was not yet).
    public func fp(of plugin: Plugin) throws -> LuaTable {
        if let fp = plugin.caller.fp { return fp }
        _ = try environment(plugin)
        guard let fp = plugin.caller.fp else { throw LuaScriptError("plugin \(plugin.name) has no fp") }
        return fp
    }

    /// Reads the plugin's manifest and parses it: in a worker (or from the manifest cache) when
    /// plugin commands run in workers, else by evaluating `plugin.lua` in the plugin's sandbox.
    func read(_ plugin: Plugin) {
        do {
            let file = plugin.source.manifestFile
            guard let data = FileManager.default.contents(atPath: file.path) else {
                plugin.problem = "cannot read \(file.path)"
                return
            }
            let result: LuaValue
            if let executable = workerExecutable {
                // Read in a worker, cached by content (Worker/ManifestCache.swift).
                result = try readManifestInWorker(plugin, executable: executable, source: Array(data))
            } else {
                let chunk = try host.lua.loadSandboxed(
                    string: String(decoding: data, as: UTF8.self),
                    chunkName: "@\(plugin.name)/plugin.lua", env: environment(plugin))
                result = try withLimits(PluginRuntime.manifestLimits) { try chunk.call() }.first ?? .nil
            }
            guard case .table(let table) = result else {
                plugin.problem = "plugin.lua must return the manifest table"
                return
            }
            plugin.table = table
            let manifest = try PluginManifest.parse(table, folderName: plugin.name)
            plugin.manifest = manifest
            plugin.caller.view.allowsWrites = manifest.mayWrite
            plugin.caller.view.writableCollections = manifest.writableCollections
            plugin.caller.view.masksPersonalData = !manifest.permissions.contains(.pii)
        } catch let error as PluginManifestError {
            plugin.problem = error.problems.joined(separator: "; ")
        } catch let error as LuaError {
            plugin.problem = "plugin.lua failed: \(error.message)"
        } catch {
            plugin.problem = "\(error)"
        }
    }

    /// Creates or migrates the plugin's ledgers; a refusal disables the plugin.
    func registerLedgers(_ plugin: Plugin) {
        guard let manifest = plugin.manifest else { return }
        for ledger in manifest.ledgers {
            if let owner = plugins.first(where: {
                $0 !== plugin && $0.isEnabled && $0.manifest?.ledgers.contains { $0.name == ledger.name } == true
            }) {
                plugin.problem = "ledger \(ledger.name) is already declared by plugin \(owner.name)"
                return
            }
            do {
                if let unit = host.unit {
                    try unit.registerLedger(ledger, owner: plugin.name)
                } else {
                    try host.workspace.registerLedger(ledger, owner: plugin.name)
                }
            } catch {
                plugin.problem = "ledger \(error)"
                for done in manifest.ledgers {
                    if done.name == ledger.name { break }; host.workspace.unregisterLedger(done.name)
                }
                return
            }
        }
    }

    /// Runs `body` within a plugin's limits (nested inside any outer limits).
    /// What the host holds for the command (rows being handed over, open iterators, SQLite's
    /// statements and sorters) counts against its memory limit too (`FupinHost+Memory`).
    func withLimits<T>(_ limits: PluginLimits, _ body: () throws -> T) throws -> T {
        let savedBaseline = host.hostMemoryBaseline
        if savedBaseline == nil, let unit = host.unit { host.hostMemoryBaseline = unit.heldMemory() }
        host.hostMemoryTrip = nil
        defer {
            host.hostMemoryBaseline = savedBaseline
            host.hostMemoryTrip = nil
        }
        return try host.lua.withTimeLimit(.milliseconds(Int64(limits.seconds * 1000))) {
            try host.lua.withMemoryAllowance(limits.memoryBytes, body)
        }
    }

    /// The function sending one line to `output`, made once per runtime.
    func emitFunction() -> LuaFunction {
        if let emit { return emit }
        let made = host.lua.function { [weak self] frame in
            // A print kept by a plugin after :reload has nowhere to go: the line is dropped.
            self?.output(try frame.string(1))
            return 0
        }
        emit = made
        return made
    }

    /// `print` for plugin code.
    func printFunction() throws -> LuaFunction {
        guard let f = try supportFunction("make_print").call(.function(emitFunction())).first?.functionValue else {
            throw LuaScriptError("make_print returned nothing")
        }
        return f
    }
}
