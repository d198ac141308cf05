import Foundation

/// Where a plugin was found; a later place overrides an earlier plugin of the same name.
public enum PluginPlace: String, Sendable, CaseIterable, DeclarationOrdered {
    case bundled, workspace, user, path
}

/// A plugin folder: `<folder>/plugin.lua`.
public struct PluginSource: Sendable, Equatable {
    public var name: String
    public var folder: URL
    public var place: PluginPlace
    public var manifestFile: URL { folder.appendingPathComponent("plugin.lua") }
}

/// The folders searched for plugins (docs/plugins.md "Where plugins are found").
///
/// ```swift
/// let places = PluginPlaces.standard(workspaceFolder: ws.folder)
/// for source in places.discover() { print(source.name, source.place) }
/// ```
public struct PluginPlaces: Sendable {
    public var folders: [(PluginPlace, URL)]

    public init(_ folders: [(PluginPlace, URL)]) {
        self.folders = folders
    }

    /// Bundled, the workspace's `plugins/`, `~/.config/fupin/plugins`, then `$FUPIN_PLUGIN_PATH`.
    /// `$FUPIN_BUNDLED_PLUGINS` names the bundled folder instead of the one found next to the
    /// program (empty: none, as tests use).
    public static func standard(workspaceFolder: URL?, environment: [String: String] = PluginPlaces.environment())
        -> PluginPlaces
    {
        var folders: [(PluginPlace, URL)] = []
        if let bundled = environment["FUPIN_BUNDLED_PLUGINS"] {
            if !bundled.isEmpty { folders.append((.bundled, URL(fileURLWithPath: bundled))) }
        } else if let bundled = bundledFolder() {
            folders.append((.bundled, bundled))
        }
        if let workspaceFolder { folders.append((.workspace, workspaceFolder.appendingPathComponent("plugins"))) }
        let config =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? environment["HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent(".config") }
        if let config { folders.append((.user, config.appendingPathComponent("fupin/plugins"))) }
        for piece in (environment["FUPIN_PLUGIN_PATH"] ?? "").split(separator: ":") where !piece.isEmpty {
            folders.append((.path, URL(fileURLWithPath: String(piece))))
        }
        return PluginPlaces(folders)
    }

    /// The environment variables `standard` reads, with `getenv`: `ProcessInfo.environment`
    /// copies the whole environment into a dictionary, and every command finds its plugins.
    public static func environment() -> [String: String] {
        var found: [String: String] = [:]
        for name in ["FUPIN_BUNDLED_PLUGINS", "XDG_CONFIG_HOME", "HOME", "FUPIN_PLUGIN_PATH"] {
            if let value = getenv(name) { found[name] = String(cString: value) }
        }
        return found
    }

    /// The bundled `Plugins/`: next to the program, in `../share/fupin/Plugins` (installed),
    /// or in the source tree the program was built in (`.build/debug/fupin`).
    static func bundledFolder() -> URL? {
        let exe = URL(
            fileURLWithPath: CommandLine.arguments.first.map { _ in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                    ?? CommandLine.arguments[0]
            } ?? "")
        var candidates: [URL] = []
        let dir = exe.deletingLastPathComponent()
        candidates.append(dir.appendingPathComponent("Plugins"))
        candidates.append(dir.deletingLastPathComponent().appendingPathComponent("share/fupin/Plugins"))
        var up = dir
        for _ in 0..<5 {
            up = up.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: up.appendingPathComponent("Package.swift").path) {
                candidates.append(up.appendingPathComponent("Plugins"))
                break
            }
        }
        return candidates.first { isDirectory($0) }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Every plugin folder, one per name (the last place wins), sorted by name.
    public func discover() -> [PluginSource] {
        var byName: [String: PluginSource] = [:]
        for (place, folder) in folders {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for entry in entries.sorted() where !entry.hasPrefix(".") {
                let dir = folder.appendingPathComponent(entry)
                guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("plugin.lua").path) else {
                    continue
                }
                byName[entry] = PluginSource(name: entry, folder: dir, place: place)
            }
        }
        return byName.values.sorted { $0.name < $1.name }
    }
}
