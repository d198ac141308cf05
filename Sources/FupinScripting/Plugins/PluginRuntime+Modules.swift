import Foundation
import LuaKit

/// `require` inside a plugin: its own modules (`require("lib.summary")` loads
/// `<plugin>/lib/summary.lua` into the plugin's environment, once) and the `exports` of the
/// plugins it declares in `requires`. Nothing else: no C modules, no files outside the plugin.
extension PluginRuntime {
    func requireFunction(_ plugin: Plugin) -> LuaFunction {
        let pluginName = plugin.name
        return host.lua.function { [weak self, weak plugin] frame in
            guard let self, let plugin else { throw PluginRuntime.replaced(pluginName) }
            let name = try frame.string(1)
            frame.push(try self.require(name, from: plugin))
            return 1
        }
    }

    func require(_ name: String, from plugin: Plugin) throws -> LuaValue {
        if let cached = plugin.modules[name] { return cached }
        let file = moduleFile(name, in: plugin)
        guard let file, let data = FileManager.default.contents(atPath: file.path) else {
            if PluginManifest.isValidName(name)
                && (plugin.manifest == nil || plugin.manifest?.requires.contains { $0.plugin == name } == true
                    || self.plugin(name) != nil)
            {
                return try exportsOf(name, for: plugin)
            }
            if file == nil {
                throw LuaScriptError(
                    "require '\(name)': a plugin may require its own modules (letters, digits, '_', '.') and the plugins it lists in requires"
                )
            }
            throw LuaScriptError(
                "require '\(name)': no module \(name.replacingOccurrences(of: ".", with: "/")).lua in plugin \(plugin.name)"
            )
        }
        guard !plugin.loading.contains(name) else {
            throw LuaScriptError("require '\(name)': a module requires itself (loop)")
        }
        let env = try environment(plugin)
        plugin.loading.insert(name)
        defer { plugin.loading.remove(name) }
        let relative = name.replacingOccurrences(of: ".", with: "/") + ".lua"
        let chunk = try host.lua.loadSandboxed(
            string: String(decoding: data, as: UTF8.self),
            chunkName: "@\(plugin.name)/\(relative)", env: env)
        let result = try chunk.call(.text(name)).first ?? .nil
        let value: LuaValue = result.isNil ? .boolean(true) : result
        plugin.modules[name] = value
        return value
    }

    func isModuleName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { SQLNames.isPlain(String($0)) }
    }

    func moduleFile(_ name: String, in plugin: Plugin) -> URL? {
        guard isModuleName(name) || PluginManifest.isValidName(name) else { return nil }
        let file = plugin.source.folder.appendingPathComponent(name.replacingOccurrences(of: ".", with: "/") + ".lua")
        // A symbolic link may not lead out of the plugin's folder.
        let root = plugin.source.folder.resolvingSymlinksInPath().path + "/"
        return file.resolvingSymlinksInPath().path.hasPrefix(root) ? file : nil
    }

    /// The exports of plugin `name` for `plugin`: a copy once `name` is loaded, a proxy
    /// resolving (and copying) it on first use while manifests are still being read.
    func exportsOf(_ name: String, for plugin: Plugin) throws -> LuaValue {
        if let manifest = plugin.manifest, !manifest.requires.contains(where: { $0.plugin == name }) {
            throw LuaScriptError("require '\(name)': plugin \(plugin.name) does not list \(name) in requires")
        }
        if let dependency = self.plugin(name), dependency.manifest != nil, let table = dependency.table {
            // A copy: the requiring plugin may not change the exporter's own tables.
            return try supportFunction("copy_exports").call(table.rawGet("exports")).first ?? .nil
        }
        let pluginName = plugin.name
        let get = host.lua.function { [weak self, weak plugin] frame in
            guard let self, let plugin else { throw PluginRuntime.replaced(pluginName) }
            guard plugin.manifest?.requires.contains(where: { $0.plugin == name }) == true else {
                throw LuaScriptError("plugin \(plugin.name) does not list \(name) in requires")
            }
            guard let dependency = self.plugin(name), dependency.isEnabled, let table = dependency.table else {
                throw LuaScriptError("plugin \(name) is not loaded")
            }
            guard case .table(let exports) = table.rawGet("exports") else {
                throw LuaScriptError("plugin \(name) has no exports")
            }
            frame.push(.table(exports))
            return 1
        }
        return try supportFunction("make_proxy").call(.text(name), .function(get)).first ?? .nil
    }
}
