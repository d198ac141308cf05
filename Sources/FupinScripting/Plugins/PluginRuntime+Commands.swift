import Foundation
import FupinCore
import LuaKit

/// Running plugin commands: arguments checked against the declaration, the plugin's view
/// (permissions) and limits, one savepoint per run, and errors that name the plugin, the
/// command and the plugin's own `file:line` without host frames.
extension PluginRuntime {
    /// Runs `command` of `plugin` inside the open unit of work (a savepoint: an error rolls
    /// back this command's writes only) and returns what its `run` returned.
    public func invoke(_ pluginName: String, _ commandName: String, arguments: [String: LuaValue]) throws -> [LuaValue] {
        let (plugin, spec, run) = try command(pluginName, commandName)
        guard let manifest = plugin.manifest else { throw PluginCommandError(plugin: pluginName, command: commandName, message: "is not loaded") }
        guard let unit = host.unit else {
            throw PluginCommandError(plugin: pluginName, command: commandName, message: "runs only inside a unit of work")
        }
        // Files the user named as `path` arguments of this run: the only ones ctx.import_csv reads.
        let named = Set(spec.arguments.filter { $0.kind == .path }.compactMap { arguments[$0.name]?.stringValue })
        let ctx = try makeContext(plugin, spec, namedFiles: named)
        var args: [LuaKey: LuaValue] = [:]
        for (k, v) in arguments { args[.string(LuaString(k))] = v }
        let savedSource = plugin.caller.view.source
        plugin.caller.view.source = "plugin:\(plugin.name):\(spec.name)"
        defer { plugin.caller.view.source = savedSource }
        var results: [LuaValue] = []
        do {
            results = try unit.inSavepoint {
                try withLimits(manifest.limits) { try run.call(.dictionary(args), .table(ctx)) }
            }
        } catch let error as LuaError {
            throw PluginCommandError(plugin: plugin.name, command: spec.name, error: error, limits: manifest.limits)
        }
        return results
    }

    /// The declaration of a command of an enabled plugin, or a clear error.
    public func commandSpec(_ pluginName: String, _ commandName: String) throws -> PluginCommandSpec {
        try command(pluginName, commandName).1
    }

    /// The plugin, the declaration and the `run` function of a command, or a clear error.
    func command(_ pluginName: String, _ commandName: String) throws -> (Plugin, PluginCommandSpec, LuaFunction) {
        guard let plugin = plugin(pluginName) else {
            throw PluginCommandError(plugin: pluginName, command: commandName, message: "no such plugin (fupin plugins list shows them)")
        }
        guard plugin.isEnabled, let manifest = plugin.manifest, let table = plugin.table else {
            throw PluginCommandError(plugin: pluginName, command: commandName, message: "the plugin is disabled: \(plugin.problem ?? "not loaded")")
        }
        guard let spec = manifest.command(commandName),
              case .table(let commands) = table.rawGet("commands"),
              case .table(let entry) = commands.rawGet(.string(LuaString(spec.name))),
              case .function(let run) = entry.rawGet("run") else {
            let names = manifest.commands.map(\.name).joined(separator: ", ")
            throw PluginCommandError(plugin: pluginName, command: commandName, message: "no such command (commands: \(names.isEmpty ? "none" : names))")
        }
        return (plugin, spec, run)
    }

    /// The `ctx` table of one run. `namedFiles` are the values of its `path` arguments.
    func makeContext(_ plugin: Plugin, _ spec: PluginCommandSpec, namedFiles: Set<String> = []) throws -> LuaTable {
        let emit = emitFunction()
        let write = host.lua.function { [unowned self, unowned plugin] frame in
            let path = try self.writeExport(plugin, path: try frame.string(1), bytes: try Self.bytesArgument(frame, 2))
            frame.push(.text(path))
            return 1
        }
        let importCSV = host.lua.function { [unowned self, unowned plugin] frame in
            let encoding = try frame.optionalString(3) ?? "auto"
            do {
                let report = try self.importCSV(plugin, spec, ledger: try frame.string(1), path: try frame.string(2),
                                                encoding: encoding, namedFiles: namedFiles)
                frame.push(report)
                return 1
            } catch let failure as ImportFailure {
                frame.push(.nil)
                frame.push(.text(failure.description))
                return 2
            }
        }
        let info: LuaValue = .dictionary([
            "plugin": .text(plugin.name), "command": .text(spec.name), "operator": .text(host.view.operatorName),
        ])
        guard let ctx = try supportFunction("make_ctx").call(info, .function(emit), .function(write), .function(importCSV)).first?.tableValue else {
            throw LuaScriptError("make_ctx returned nothing")
        }
        return ctx
    }

    static func bytesArgument(_ frame: LuaCallFrame, _ i: Int32) throws -> [UInt8] {
        guard case .string(let s) = frame.value(i) else { throw frame.argumentError(i, expected: "string") }
        return s.bytes
    }

    /// Writes `bytes` to `path` under the workspace's `exports/` for a plugin with `export`.
    func writeExport(_ plugin: Plugin, path: String, bytes: [UInt8]) throws -> String {
        guard plugin.manifest?.permissions.contains(.export) == true else {
            throw LuaScriptError("ctx.write_file: plugin \(plugin.name) has no 'export' permission")
        }
        guard let folder = host.workspace.folder else { throw LuaScriptError("ctx.write_file: this workspace has no folder") }
        let exports = folder.appendingPathComponent("exports").standardizedFileURL
        let target = try ExportPath.resolve(path, under: exports)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Checked again once the folders exist: a symbolic link inside exports/ may not lead out.
        let root = exports.resolvingSymlinksInPath().path + "/"
        guard target.deletingLastPathComponent().resolvingSymlinksInPath().path.appending("/").hasPrefix(root) else {
            throw LuaScriptError("ctx.write_file: \(path) leads outside exports/")
        }
        do {
            try Data(bytes).write(to: target, options: .atomic)
        } catch {
            throw LuaScriptError("ctx.write_file: cannot write \(target.path): \(error.localizedDescription)")
        }
        return target.path
    }
}

extension PluginRuntime {
    /// `ctx.import_csv(ledger, path [, encoding])`: the core CSV importer run on one of the
    /// plugin's own ledgers inside the command's unit of work (all or nothing: an `ImportFailure`
    /// naming row, column and value leaves the unit to be rolled back). Needs `write`, and reads
    /// only a file the user named as a `path` argument of this run.
    func importCSV(_ plugin: Plugin, _ spec: PluginCommandSpec, ledger: String, path: String, encoding: String,
                   namedFiles: Set<String>) throws -> LuaValue {
        guard let manifest = plugin.manifest, manifest.mayWrite else {
            throw LuaScriptError("ctx.import_csv: plugin \(plugin.name) has no 'write' permission")
        }
        guard manifest.ledgers.contains(where: { $0.name == ledger }) else {
            let own = manifest.ledgers.map(\.name).joined(separator: ", ")
            throw LuaScriptError("ctx.import_csv: \(ledger) is not a ledger of plugin \(plugin.name) (its ledgers: \(own.isEmpty ? "none" : own))")
        }
        guard namedFiles.contains(path) else {
            throw LuaScriptError("ctx.import_csv: \(path) was not named by the user (only the value of a path argument of \(spec.name) can be read)")
        }
        guard let textEncoding = TextEncoding(name: encoding) else {
            throw LuaScriptError("ctx.import_csv: encoding must be auto, utf-8 or gb18030 (not \(encoding))")
        }
        guard let unit = host.unit else { throw LuaScriptError("ctx.import_csv runs only inside a unit of work") }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw LuaScriptError("ctx.import_csv: cannot read \(path): \(error)")
        }
        var context = plugin.caller.view.writeContext
        context.source += ":" + (path as NSString).lastPathComponent
        let report = try unit.importCSV(ledger, bytes: bytes, file: path,
                                        options: ImportOptions(encoding: textEncoding), context: context)
        return .dictionary([
            "rows": .integer(Int64(report.rows)),
            "inserted": .integer(Int64(report.inserted[ledger] ?? 0)),
            "updated": .integer(Int64(report.updated[ledger] ?? 0)),
            "unchanged": .integer(Int64(report.unchanged[ledger] ?? 0)),
            "encoding": .text(report.encoding.rawValue),
            "text": .text(report.description),
        ])
    }
}

/// File names a plugin may write: relative to `exports/` (or absolute inside it), never
/// leaving it through `..`.
enum ExportPath {
    static func resolve(_ path: String, under exports: URL) throws -> URL {
        guard !path.isEmpty, !path.contains("\0") else { throw LuaScriptError("ctx.write_file: a file name is required") }
        let candidate = path.hasPrefix("/") ? URL(fileURLWithPath: path) : exports.appendingPathComponent(path)
        let standardized = candidate.standardizedFileURL
        guard standardized.path.hasPrefix(exports.path + "/") else {
            throw LuaScriptError("ctx.write_file: \(path) is outside the workspace's exports/ folder")
        }
        return standardized
    }
}

/// A plugin command that failed: a user error (`ctx.fail`, bad arguments) or an error in the
/// plugin's code, with the plugin's part of the traceback.
public struct PluginCommandError: Error, Sendable, CustomStringConvertible {
    public var plugin: String
    public var command: String
    public var message: String
    public var traceback: String?
    /// Whether the plugin said the input was wrong (`ctx.fail`), rather than failing itself.
    public var isUserError: Bool

    public init(plugin: String, command: String, message: String, traceback: String? = nil, isUserError: Bool = true) {
        self.plugin = plugin
        self.command = command
        self.message = message
        self.traceback = traceback
        self.isUserError = isUserError
    }

    init(plugin: String, command: String, error: LuaError, limits: PluginLimits) {
        self.plugin = plugin
        self.command = command
        if case .table(let t) = error.value ?? .nil, let text = t.rawGet("fupin_fail").stringValue {
            message = text
            isUserError = true
            return
        }
        isUserError = false
        switch error.kind {
        case .timeLimit: message = "stopped: it ran longer than its limit of \(FieldInput.shortest(limits.seconds)) s; its changes were rolled back"
        case .memory: message = "stopped: it needed more memory than its limit of \(limits.memoryBytes >> 20) MB; its changes were rolled back"
        case .interrupted: message = "interrupted; its changes were rolled back"
        default: message = error.message
        }
        traceback = error.traceback.map(PluginCommandError.pluginFrames)
    }

    /// The traceback lines that belong to plugin code (not the host's C functions or `fp`).
    static func pluginFrames(_ traceback: String) -> String {
        traceback.split(separator: "\n").filter { line in
            let t = line.trimmingSpacesAndTabs()
            return !t.hasPrefix("[C]") && !t.hasPrefix("fp:") && !t.hasPrefix("fupin.plugins:") && !t.hasPrefix("(...tail calls...)")
        }.joined(separator: "\n")
    }

    public var description: String {
        let head = "\(plugin) \(command): \(message)"
        guard let traceback, !traceback.isEmpty, traceback != "stack traceback:" else { return head }
        return head + "\n" + traceback
    }
}
