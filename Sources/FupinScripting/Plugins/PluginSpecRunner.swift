import Foundation
import FupinCore
import LuaKit

/// `fupin test`: runs each plugin's `tests/*_spec.lua` in a worker process of the plugin (or,
/// without workers, in its sandbox in the host), with its `fp`, permissions and `require`, and
/// describe / it / expect / run. Every case runs in its own
/// unit of work, rolled back afterwards, so cases never see each other's writes.
///
/// ```swift
/// let summary = try PluginSpecRunner(host: host).run(plugins: []) { print($0) }
/// print("\(summary.passed) passed, \(summary.failed) failed")
/// ```
public struct PluginSpecRunner {
    public struct Summary: Sendable, Equatable {
        public var passed = 0
        public var failed = 0
        public var files = 0
    }

    let host: FupinHost

    public init(host: FupinHost) {
        self.host = host
    }

    /// Runs the specs of `plugins` (all enabled plugins with specs when empty); reports each
    /// case through `report`.
    public func run(plugins names: [String], report: (String) -> Void) throws -> Summary {
        guard let runtime = host.plugins else { throw LuaScriptError("plugins are not loaded") }
        var summary = Summary()
        for name in names where runtime.plugin(name) == nil {
            throw PluginCommandError(
                plugin: name, command: "test", message: "no such plugin (fupin plugins list shows them)")
        }
        let chosen = names.isEmpty ? runtime.plugins : names.compactMap { runtime.plugin($0) }
        for plugin in chosen {
            let files = specFiles(plugin)
            if files.isEmpty { continue }
            guard plugin.isEnabled else {
                report("\(plugin.name): disabled — \(plugin.problem ?? "")")
                summary.failed += 1
                continue
            }
            report(plugin.name)
            for file in files {
                summary.files += 1
                try runFile(file, plugin, runtime, &summary, report)
            }
        }
        return summary
    }

    func specFiles(_ plugin: PluginRuntime.Plugin) -> [URL] {
        let folder = plugin.source.folder.appendingPathComponent("tests")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix("_spec.lua") }.sorted().map { folder.appendingPathComponent($0) }
    }

    func runFile(
        _ file: URL, _ plugin: PluginRuntime.Plugin, _ runtime: PluginRuntime, _ summary: inout Summary,
        _ report: (String) -> Void
    ) throws {
        // With workers, a spec is contained like the plugin's commands (WorkerSpecs.swift).
        if let executable = runtime.workerExecutable {
            return try runFileInWorker(file, plugin, runtime, executable: executable, &summary, report)
        }
        let lua = host.lua
        guard let manifest = plugin.manifest else { return }
        let fp = try runtime.fp(of: plugin)
        let builder = try lua.load(bytes: PluginSpecs.source, chunkName: "=fupin.spec", mode: "t").call().first?
            .functionValue
        guard let built = try builder?.call(), case .table(let api) = built.first, case .table(let cases) = built[1]
        else {
            throw LuaScriptError("the spec library did not load")
        }
        var output: [String] = []
        // A spec's paths stay inside the plugin's folder and the scratch workspace.
        let savedFolders = runtime.specFolders
        runtime.specFolders = host.workspace.folder.map { [$0] } ?? []
        defer { runtime.specFolders = savedFolders }
        let pluginName = plugin.name
        let runCommand = lua.function { [weak runtime, weak plugin] frame in
            guard let runtime, let plugin else { throw PluginRuntime.replaced(pluginName) }
            let commandName = try frame.string(1)
            let args: LuaTable? = frame.value(2).tableValue
            let (_, spec, _) = try runtime.command(plugin.name, commandName)
            let arguments =
                try args.map { try PluginArguments.fromTable($0, spec, plugin: plugin.name) }
                ?? PluginArguments.fromCommandLine([], spec, plugin: plugin.name)
            let saved = runtime.output
            var lines: [String] = []
            runtime.output = { lines.append($0) }
            defer { runtime.output = saved }
            do {
                let results = try runtime.invoke(plugin.name, spec.name, arguments: arguments)
                frame.push(results.first ?? .nil)
                frame.push(.text(lines.joined(separator: "\n")))
                return 2
            } catch let error as PluginCommandError {
                throw LuaScriptError(error.isUserError ? error.message : error.description, addsPosition: false)
            }
        }
        // Specs arrange their data through `fixture`: an fp with every permission, on the
        // scratch workspace only, so a spec of a read-only plugin can add the record whose
        // effect it checks.
        let fixtureCaller = FpCaller(
            view: FpView(
                source: "test:\(plugin.name)", allowsWrites: true,
                masksPersonalData: false, operatorName: host.view.operatorName))
        // The fp's natives hold their caller weakly: keep it alive while this file's cases run.
        defer { withExtendedLifetime(fixtureCaller) {} }
        let fixture = try host.makeFp(for: fixtureCaller)
        var extra: [String: LuaValue] = [
            "fp": .table(fp), "fixture": .table(fixture),
            "require": .function(runtime.requireFunction(plugin)), "run": .function(runCommand),
            "print": .function(
                lua.function { frame in
                    output.append(try frame.string(1)); return 0
                }),
        ]
        for key in ["describe", "it", "expect"] { extra[key] = api.rawGet(.string(LuaString(key))) }
        let env = try lua.makeSandbox(extra: extra)
        let relative = "\(plugin.name)/tests/\(file.lastPathComponent)"
        do {
            let data = try Data(contentsOf: file)
            let chunk = try lua.loadSandboxed(
                string: String(decoding: data, as: UTF8.self), chunkName: "@" + relative, env: env)
            _ = try runtime.withLimits(manifest.limits) { try chunk.call() }
        } catch {
            report("  ✗ \(relative) did not load: \(error)")
            summary.failed += 1
            return
        }
        for case .table(let entry) in cases.toArray() {
            let name = entry.rawGet("name").stringValue ?? "?"
            guard case .function(let body) = entry.rawGet("fn") else { continue }
            do {
                _ = try host.runUnit(dryRun: true) {
                    try runtime.withLimits(manifest.limits) { try body.call() }
                }
                summary.passed += 1
                report("  ✓ \(name)")
            } catch let error as LuaError {
                summary.failed += 1
                report("  ✗ \(name)\n      \(error.message)")
            } catch {
                summary.failed += 1
                report("  ✗ \(name)\n      \(error)")
            }
        }
    }
}
