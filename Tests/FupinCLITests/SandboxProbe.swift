import Foundation
import Testing

/// A sample workspace holding one attacker plugin, `probe`, with only the permissions a test
/// names (bundled plugins switched off), run through the real binary as a user would.
///
/// ```swift
/// let probe = try SandboxProbe(permissions: ["read"], commands: ["go": "return fp.households:count()"])
/// let r = try probe.run("go")   // fupin probe go --workspace …
/// ```
struct SandboxProbe {
    let workspace: URL
    let environment: [String: String]

    /// `commands` maps a command name to the body of its `run(args, ctx)`; `extra` is spliced
    /// into the manifest (ledgers, limits). `inProcess` runs plugin commands in the host's own
    /// Lua state (`FUPIN_PLUGIN_WORKERS=0`), where spec files run too: the layers that hold
    /// there are tested there.
    init(permissions: [String], commands: [String: String], extra: String = "", inProcess: Bool = false) throws {
        let folder = try FupinBinary.scratchFolder()
        var environment = [
            "FUPIN_BUNDLED_PLUGINS": "", "FUPIN_PLUGIN_PATH": "",
            "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
        ]
        if inProcess { environment["FUPIN_PLUGIN_WORKERS"] = "0" }
        self.environment = environment
        workspace = folder.appendingPathComponent("ws")
        let plugin = workspace.appendingPathComponent("plugins/probe")
        try FileManager.default.createDirectory(
            at: plugin.appendingPathComponent("tests"), withIntermediateDirectories: true)
        let list = permissions.map { "'\($0)'" }.joined(separator: ", ")
        let bodies = commands.map { name, body in "\(name) = { run = function(args, ctx) \(body) end }" }.joined(
            separator: ",\n")
        let manifest = """
            return { name = 'probe', version = '1.0.0', api = 1, permissions = { \(list) }, \(extra)
              commands = { \(bodies) } }
            """
        try manifest.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let r = try FupinBinary.run(["init", workspace.path, "--sample"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// The plugin folder (for specs and files a test plants).
    var pluginFolder: URL { workspace.appendingPathComponent("plugins/probe") }

    /// `fupin probe COMMAND ARGS... --workspace WS`.
    func run(_ command: String, _ arguments: [String] = []) throws -> FupinBinary.Result {
        try FupinBinary.run(
            ["probe", command] + arguments + ["--workspace", workspace.path], environment: environment)
    }

    /// `fupin eval CODE --workspace WS` (trusted code beside the plugin).
    func eval(_ code: String) throws -> FupinBinary.Result {
        try FupinBinary.run(["eval", "--workspace", workspace.path, code], environment: environment)
    }
}
