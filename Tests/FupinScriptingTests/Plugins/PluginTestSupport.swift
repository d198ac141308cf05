import Foundation
import FupinCore
import LuaKit
import TestScratch

@testable import FupinScripting

/// Plugin folders written by a test, and hosts that load them.
struct PluginFixture {
    let root: URL

    init() throws {
        root = try scratchFolder("plugins")
    }

    /// Writes `files` (path → text) under `<place>/<plugin>/`.
    func write(_ plugin: String, _ files: [String: String], place: String = "a") throws {
        for (path, text) in files {
            let url = root.appendingPathComponent(place).appendingPathComponent(plugin).appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    /// Writes a plugin whose plugin.lua is `manifest` (Lua table constructor text, without `return`).
    func plugin(_ name: String, _ manifest: String, place: String = "a", extra: [String: String] = [:]) throws {
        var files = extra
        files["plugin.lua"] = "return " + manifest
        try write(name, files, place: place)
    }

    var places: PluginPlaces {
        PluginPlaces([(.bundled, root.appendingPathComponent("a")), (.path, root.appendingPathComponent("b"))])
    }

    /// A sample host (in memory, or in a folder when `folder` is set) with these plugins loaded.
    func host(inFolder: Bool = false, view: FpView = FpView(source: "test", operatorName: "测试员")) throws -> FupinHost {
        let ws: Workspace
        if inFolder {
            ws = try Workspace.create(at: root.appendingPathComponent("ws"))
        } else {
            ws = try Workspace.inMemory()
        }
        try SampleWorkspace.load(
            into: ws, from: FpTestSupport.seeds, context: WriteContext(operator: "测试员", source: "test"))
        let host = try FupinHost(workspace: ws, view: view)
        try host.loadPlugins(places)
        // Plugin commands run in worker processes of the built fupin, as they do for users.
        host.plugins?.workerExecutable = PluginFixture.workerExecutable
        return host
    }

    /// The built `fupin` next to this test bundle ($FUPIN_BIN when set), started as the worker.
    static let workerExecutable: String? = {
        if let explicit = ProcessInfo.processInfo.environment["FUPIN_BIN"] { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("fupin").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let built = root.appendingPathComponent(".build/debug/fupin").path
        return FileManager.default.isExecutableFile(atPath: built) ? built : nil
    }()

    /// The reason plugin `name` is disabled ("" when it is enabled).
    static func problem(_ host: FupinHost, _ name: String) -> String {
        host.plugins?.plugin(name)?.problem ?? ""
    }

    /// A minimal valid manifest with the given extra fields.
    static func manifest(_ name: String, version: String = "1.0.0", _ extra: String = "") -> String {
        "{ name = \"\(name)\", version = \"\(version)\", api = 1, \(extra) }"
    }
}

extension FupinHost {
    /// Runs a plugin command from Lua-style arguments in its own unit.
    func run(_ plugin: String, _ command: String, _ args: [String: LuaValue] = [:]) throws -> [LuaValue] {
        guard let runtime = plugins else { throw LuaScriptError("no plugins") }
        let spec = try runtime.commandSpec(plugin, command)
        let checked = try PluginArguments.fromValues(args, spec, plugin: plugin)
        return try runPluginCommand(plugin, command, arguments: checked).0
    }
}
