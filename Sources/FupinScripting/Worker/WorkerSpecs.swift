import Foundation
import FupinCore
import FupinWire
import LuaKit

/// `fupin test` with workers: a plugin's spec file runs in a worker process of that plugin,
/// contained like its commands (seccomp, rlimits, the kill at its limit, plain data only).
/// The worker loads the file once (job `spec`, which answers the names of its cases); each
/// case is then a `case` job of the same worker inside a unit of work the host rolls back.
/// The spec's `fp` acts under the plugin's view, `fixture` under an fp with every permission
/// on the scratch workspace, and `run(name, args)` runs one of the plugin's commands through
/// the host (in a worker of its own, as any command).
extension PluginSpecRunner {
    func runFileInWorker(
        _ file: URL, _ plugin: PluginRuntime.Plugin, _ runtime: PluginRuntime, executable: String,
        _ summary: inout Summary, _ report: (String) -> Void
    ) throws {
        guard let manifest = plugin.manifest else { return }
        let relative = "\(plugin.name)/tests/\(file.lastPathComponent)"
        let source: [UInt8]
        do { source = Array(try Data(contentsOf: file)) } catch {
            report("  ✗ \(relative) did not load: \(error)")
            summary.failed += 1
            return
        }
        // A spec's paths stay inside the plugin's folder and the scratch workspace.
        let savedFolders = runtime.specFolders
        runtime.specFolders = host.workspace.folder.map { [$0] } ?? []
        defer { runtime.specFolders = savedFolders }
        let fixtureCaller = FpCaller(
            view: FpView(
                source: "test:\(plugin.name)", allowsWrites: true,
                masksPersonalData: false, operatorName: host.view.operatorName))
        // The fp's natives hold their caller weakly: keep it alive while this file's cases run.
        defer { withExtendedLifetime(fixtureCaller) {} }
        let broker = WorkerBroker(runtime: runtime, plugin: plugin, spec: nil, limits: manifest.limits)
        broker.commandLabel = "tests/\(file.lastPathComponent)"
        broker.holdsWorker = true
        for (name, body) in host.natives(for: fixtureCaller) { broker.fixtureNatives[name] = host.lua.function(body) }
        broker.fixtureView = fixtureCaller.view
        broker.specRun = { [unowned runtime] args in try Self.runCommand(args, of: plugin, runtime) }
        defer { broker.heldWorker?.kill() }
        let load = broker.job("spec", source: source, chunk: "@" + relative)

        /// Loads the file into the broker's worker (again, after a case killed the last one);
        /// the names of its cases, or nil when it did not load (reported).
        func loadFile() -> [String]? {
            do {
                let done = try host.runUnit(dryRun: true) {
                    try runtime.withLimits(manifest.limits) { try broker.exchange(load, executable: executable) }
                }.0
                return (done["values"]?.tableValue?.sequence ?? []).map { $0.textValue ?? "?" }
            } catch {
                report("  ✗ \(relative) did not load: \(Self.caseMessage(error))")
                return nil
            }
        }
        guard let names = loadFile() else {
            summary.failed += 1
            return
        }
        for (i, name) in names.enumerated() {
            // A case that hit a limit took the worker with it: the next runs in a fresh one.
            if broker.heldWorker == nil, loadFile() == nil {
                summary.failed += names.count - i
                return
            }
            do {
                _ = try host.runUnit(dryRun: true) {
                    try runtime.withLimits(manifest.limits) {
                        try broker.exchange(
                            .record([
                                ("op", .text("case")), ("index", .integer(Int64(i + 1))),
                                ("memory", .integer(Int64(manifest.limits.memoryBytes))),
                                ("seconds", .number(manifest.limits.seconds)),
                            ]), executable: executable)
                    }
                }
                summary.passed += 1
                report("  ✓ \(name)")
            } catch {
                summary.failed += 1
                report("  ✗ \(name)\n      \(Self.caseMessage(error))")
            }
        }
    }

    /// What a failed case shows: the error's own message (a failed expectation, a limit),
    /// without the plugin and command names a command's error starts with.
    static func caseMessage(_ error: Error) -> String {
        if let error = error as? PluginCommandError { return error.message }
        if let error = error as? LuaError { return error.message }
        return "\(error)"
    }

    /// A spec's `run(name, args)`: the plugin's command with `args` (a table, as a script
    /// would pass them), its output captured; answers its first result and the output.
    static func runCommand(_ args: [WireValue], of plugin: PluginRuntime.Plugin, _ runtime: PluginRuntime) throws
        -> [WireValue]
    {
        guard let commandName = args.first?.textValue else { throw LuaScriptError("run expects a command name") }
        let lua = runtime.host.lua
        let table =
            args.count > 1 ? WireLua(state: lua).luaValue(args[1], recordMetatable: { _ in nil }).tableValue : nil
        let (_, spec, _) = try runtime.command(plugin.name, commandName)
        let arguments =
            try table.map { try PluginArguments.fromTable($0, spec, plugin: plugin.name) }
            ?? PluginArguments.fromCommandLine([], spec, plugin: plugin.name)
        let saved = runtime.output
        var lines: [String] = []
        runtime.output = { lines.append($0) }
        defer { runtime.output = saved }
        let results: [LuaValue]
        do { results = try runtime.invoke(plugin.name, spec.name, arguments: arguments) } catch let error
            as PluginCommandError
        {
            throw LuaScriptError(error.isUserError ? error.message : error.description, addsPosition: false)
        }
        var reader = WireLua(state: lua)
        let first = results.first ?? .nil
        // The text the shell shows for the result (the worker's broker labelled it).
        var shown: WireValue = .nil
        if case .table = first,
            let text = try lua.load(
                string: """
                    local v = ... local mt = getmetatable(v)
                    if type(mt) == "table" and rawget(mt, "__tostring") then return tostring(v) end
                    """, chunkName: "=fupin.spec", mode: "t"
            ).call(first).first?.stringValue
        {
            shown = .text(text)
        }
        return [
            try reader.wire(first, what: "the result of \(commandName)"), .text(lines.joined(separator: "\n")), shown,
        ]
    }
}
