import Foundation
import FupinCore
import FupinWire
import LuaKit

/// Manifests read in worker processes, cached on disk by content (SHA-256 of plugin.lua and of
/// each module it required while being read): a manifest that loops or fails is read once,
/// disables only its plugin with the reason, and costs later commands nothing; an unchanged
/// manifest is not read again at every start.
///
/// Entries are also keyed by the worker executable (size, time, inode), and a manifest that
/// asked for another plugin's exports while being read is not cached (its result depends on
/// that plugin). The cache lives in `$XDG_CACHE_HOME/fupin/manifests` (`~/.cache/fupin/manifests`); each
/// entry is one file in the worker protocol's format (docs/worker-protocol.md). A missing,
/// unreadable or malformed entry is simply read again.
enum ManifestCache {
    /// Changes when what an entry means changes (the fupin version reading it, the format).
    static let format = "fupin-manifest-cache-1"

    /// What reading one manifest gave: its shape (functions as markers), or why it failed.
    struct Entry {
        var manifest: WireValue?
        var problem: String?
        var modules: [(path: String, digest: String)]
    }

    nonisolated(unsafe) static var folderOverride: URL?

    static var folder: URL? { folderOverride ?? standardFolder }

    /// `$XDG_CACHE_HOME/fupin/manifests`, else `~/.cache/fupin/manifests`: worked out once, with
    /// `getenv` — `ProcessInfo.environment` copies the whole environment into a dictionary at
    /// each use, which at two uses per plugin was a tenth of a plugin command's start-up.
    static let standardFolder: URL? = {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("fupin/manifests")
        }
        guard let home = getenv("HOME").map({ String(cString: $0) }), home.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/fupin/manifests")
    }()

    static func key(plugin: String, source: [UInt8], executable: String) -> String {
        SHA256.hex(
            Array(format.utf8) + [0] + Array(executableIdentity(executable).utf8) + [0] + Array(plugin.utf8) + [0]
                + source)
    }

    /// Size, modification time and inode of the worker executable: another build of fupin may
    /// read the same manifest differently, so its entries are its own.
    static func executableIdentity(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return path }
        return "\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_ino)"
    }

    /// The cached entry for `key`, if its modules are unchanged in `pluginFolder`.
    static func load(_ key: String, pluginFolder: URL) -> Entry? {
        guard let folder, let data = FileManager.default.contents(atPath: folder.appendingPathComponent(key).path),
            let value = try? WireCodec.decode(Array(data)), let t = value.tableValue
        else { return nil }
        var modules: [(path: String, digest: String)] = []
        for m in t["modules"]?.tableValue?.sequence ?? [] {
            guard let pair = m.tableValue?.sequence, pair.count == 2, let path = pair[0].textValue,
                let digest = pair[1].textValue,
                let bytes = FileManager.default.contents(atPath: pluginFolder.appendingPathComponent(path).path),
                SHA256.hex(Array(bytes)) == digest
            else { return nil }
            modules.append((path, digest))
        }
        let manifest = t["manifest"]
        let problem = t["problem"]?.textValue
        guard problem != nil || (manifest != nil && manifest != .nil) else { return nil }
        return Entry(manifest: manifest == .nil ? nil : manifest, problem: problem, modules: modules)
    }

    /// Stores `entry` (best effort: a cache that cannot be written is only slower).
    static func store(_ key: String, _ entry: Entry) {
        guard let folder else { return }
        let value = WireValue.record([
            ("manifest", entry.manifest ?? .nil), ("problem", entry.problem.map(WireValue.text) ?? .nil),
            ("modules", .list(entry.modules.map { .list([.text($0.path), .text($0.digest)]) })),
        ])
        guard let bytes = try? WireCodec.encode(value) else { return }
        try? FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? Data(bytes).write(to: folder.appendingPathComponent(key), options: .atomic)
    }
}

/// Why plugin.lua could not be read; its text is the plugin's `problem`.
struct ManifestReadFailure: Error, CustomStringConvertible {
    var description: String
}

extension PluginRuntime {
    /// plugin.lua read in a worker under the manifest limits (or taken from the cache): the
    /// manifest rebuilt as a host table whose functions are stand-ins (the real ones run only
    /// in the plugin's workers). Throws `ManifestReadFailure` with the reason it is disabled.
    func readManifestInWorker(_ plugin: Plugin, executable: String, source: [UInt8]) throws -> LuaValue {
        let key = ManifestCache.key(plugin: plugin.name, source: source, executable: executable)
        let entry: ManifestCache.Entry
        if let cached = ManifestCache.load(key, pluginFolder: plugin.source.folder) {
            entry = cached
        } else {
            let broker = WorkerBroker(runtime: self, plugin: plugin, spec: nil, limits: PluginRuntime.manifestLimits)
            let job = broker.job("manifest", source: source)
            do {
                let done = try broker.exchange(job, executable: executable)
                let manifest = done["values"]?.tableValue?.sequence.first ?? .nil
                entry = ManifestCache.Entry(manifest: manifest, problem: nil, modules: broker.modulesRead)
            } catch let error as PluginCommandError {
                // An interrupted read says nothing about the manifest: not cached.
                if error.message.hasPrefix("interrupted") {
                    throw ManifestReadFailure(description: "plugin.lua: reading was interrupted")
                }
                entry = ManifestCache.Entry(
                    manifest: nil, problem: manifestProblem(error.message), modules: broker.modulesRead)
            }
            if !broker.askedForOtherPlugins { ManifestCache.store(key, entry) }
        }
        if let problem = entry.problem { throw ManifestReadFailure(description: problem) }
        let stub = host.lua.function { [name = plugin.name] (_: LuaCallFrame) throws -> Int32 in
            throw LuaScriptError("this function of plugin \(name) runs only in the plugin's worker process")
        }
        let value = WireLua(state: host.lua).luaValue(
            entry.manifest ?? .nil, recordMetatable: { _ in nil }, functionStub: stub)
        callableExports(value, entry.manifest, of: plugin)
        return value
    }

    /// The exported functions of a manifest read in a worker, made callable from the host's
    /// own Lua state (spec files run there): each call runs in a worker of the exporting
    /// plugin, arguments and results crossing as plain data.
    private func callableExports(_ manifest: LuaValue, _ wire: WireValue?, of plugin: Plugin) {
        guard let exports = manifest.tableValue?.rawGet("exports").tableValue,
            let wireExports = wire?.tableValue?["exports"]?.tableValue
        else { return }
        let functions = wireExports.entries.compactMap { entry -> String? in
            entry.value == WireLua.functionMarker ? entry.key.textValue : nil
        }
        for key in functions {
            let name = plugin.name
            let call = host.lua.function { [weak self, weak plugin] (frame: LuaCallFrame) throws -> Int32 in
                guard let self, let plugin else { throw PluginRuntime.replaced(name) }
                return try self.callExport(of: plugin, key: key, frame)
            }
            exports.rawSet(.string(LuaString(key)), .function(call))
        }
    }

    /// Calls `exports[key]` of `plugin` in a worker with the frame's arguments; pushes its results.
    private func callExport(of plugin: Plugin, key: String, _ frame: LuaCallFrame) throws -> Int32 {
        var reader = WireLua(state: host.lua)
        var args: [WireEntry] = []
        let count = Int(frame.argumentCount)
        for i in 0..<count {
            let value: WireValue = try reader.wire(frame.value(Int32(i + 1)), what: "argument \(i + 1)")
            args.append(WireEntry(.integer(Int64(i + 1)), value))
        }
        args.append(WireEntry(.text("n"), .integer(Int64(count))))
        let results: WireValue = try WorkerBroker.runExport(
            runtime: self, of: plugin, key: key, args: .table(WireTable(args)))
        var byIndex: [Int64: WireValue] = [:]
        for entry in results.tableValue?.entries ?? [] {
            if case .integer(let i) = entry.key { byIndex[i] = entry.value }
        }
        let n = Int(results.tableValue?["n"]?.integerValue ?? Int64(byIndex.count))
        let writer = WireLua(state: host.lua)
        var values: [LuaValue] = []
        for i in 0..<n {
            values.append(byIndex[Int64(i + 1)].map { writer.luaValue($0, recordMetatable: { _ in nil }) } ?? .nil)
        }
        return try frame.push(results: values)
    }

    /// The plugin's problem for a manifest whose reading failed.
    private func manifestProblem(_ message: String) -> String {
        let limits = PluginRuntime.manifestLimits
        if message.hasPrefix("stopped: it ran longer") {
            return
                "plugin.lua failed: it ran longer than \(FieldInput.shortest(limits.seconds)) s while being read (disabled until it changes)"
        }
        if message.hasPrefix("stopped: it needed more memory") {
            return
                "plugin.lua failed: it needed more than \(limits.memoryBytes >> 20) MB while being read (disabled until it changes)"
        }
        return "plugin.lua failed: \(message)"
    }
}
