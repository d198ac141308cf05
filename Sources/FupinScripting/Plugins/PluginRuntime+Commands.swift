import Foundation
import FupinCore
import LuaKit

/// Running plugin commands: arguments checked against the declaration, the plugin's view
/// (permissions) and limits, one savepoint per run, and errors that name the plugin, the
/// command and the plugin's own `file:line` without host frames.
extension PluginRuntime {
    /// Runs `command` of `plugin` inside the open unit of work (a savepoint: an error rolls
    /// back this command's writes only) and returns what its `run` returned.
    ///
    /// `userTyped` says the arguments are words a person typed (the shell, `:run`): a `path`
    /// argument with a folder in it (`/tmp/y.html`, `./y.html`) is then their grant to write
    /// that very file, where plugin code may otherwise write only under `exports/`.
    public func invoke(
        _ pluginName: String, _ commandName: String, arguments: [String: LuaValue],
        userTyped: Bool = false
    ) throws -> [LuaValue] {
        let (plugin, spec, run) = try command(pluginName, commandName)
        guard let manifest = plugin.manifest else {
            throw PluginCommandError(plugin: pluginName, command: commandName, message: "is not loaded")
        }
        guard let unit = host.unit else {
            throw PluginCommandError(
                plugin: pluginName, command: commandName, message: "runs only inside a unit of work")
        }
        let arguments = try resolveReferences(arguments, spec, plugin: pluginName, in: unit)
        // Files the user named as `path` arguments of this run: the only ones ctx.import_csv reads.
        let named = Set(spec.arguments.filter { $0.kind == .path }.compactMap { arguments[$0.name]?.stringValue })
        let granted = userTyped ? Set(named.filter { $0.contains("/") }) : []
        let ctx = try makeContext(plugin, spec, namedFiles: named, grantedFiles: granted)
        var args: [LuaKey: LuaValue] = [:]
        for (k, v) in arguments { args[.string(LuaString(k))] = v }
        let savedSource = plugin.caller.view.source
        plugin.caller.view.source = "plugin:\(plugin.name):\(spec.name)"
        defer { plugin.caller.view.source = savedSource }
        var results: [LuaValue] = []
        host.lastRefusedInput = nil
        do {
            results = try unit.inSavepoint {
                if let executable = workerExecutable {
                    let broker = WorkerBroker(
                        runtime: self, plugin: plugin, spec: spec, limits: manifest.limits, namedFiles: named,
                        grantedFiles: granted)
                    return try broker.run(executable: executable, arguments: arguments)
                }
                // Plain data out, copied within the command's limits: nothing of the plugin's
                // code (metamethods, functions) runs after it has ended.
                let plain = try supportFunction("plain_results")
                return try withLimits(manifest.limits) {
                    try plain.call(arguments: [.text(plugin.name)] + (try run.call(.dictionary(args), .table(ctx))))
                }
            }
        } catch let error as LuaError {
            // A record the command's input made invalid is the user's error: its message alone.
            if error.value == nil, let refused = host.refusedInput(endingMessage: error.message) {
                throw PluginCommandError(plugin: plugin.name, command: spec.name, message: refused)
            }
            throw PluginCommandError(plugin: plugin.name, command: spec.name, error: error, limits: manifest.limits)
        }
        return results
    }

    /// `arguments` with each `ref` argument given by label (text) replaced by the id of the
    /// one record it names; none or several is the user's error, naming the option.
    func resolveReferences(
        _ arguments: [String: LuaValue], _ spec: PluginCommandSpec, plugin: String,
        in unit: WorkUnit
    ) throws -> [String: LuaValue] {
        var resolved = arguments
        for argument in spec.arguments {
            guard case .field(.ref(let target)) = argument.kind else { continue }
            // An integer is an id, or else a label made of digits (a household's 户编号).
            let text: String
            switch arguments[argument.name] ?? .nil {
            case .string(let label): text = label.description
            case .integer(let n): text = String(n)
            default: continue
            }
            guard host.workspace.collection(target) != nil else { continue }
            switch try unit.resolveReference(target, text) {
            case .record(let id): resolved[argument.name] = .integer(id)
            case let other:
                throw PluginArgumentError(
                    plugin: plugin, command: spec.name, message: "\(argument.flag) \(text): \(other.problem ?? "")")
            }
        }
        return resolved
    }

    /// The declaration of a command of an enabled plugin, or a clear error.
    public func commandSpec(_ pluginName: String, _ commandName: String) throws -> PluginCommandSpec {
        try command(pluginName, commandName).1
    }

    /// The plugin, the declaration and the `run` function of a command, or a clear error.
    func command(_ pluginName: String, _ commandName: String) throws -> (Plugin, PluginCommandSpec, LuaFunction) {
        guard let plugin = plugin(pluginName) else {
            throw PluginCommandError(
                plugin: pluginName, command: commandName, message: "no such plugin (fupin plugins list shows them)")
        }
        guard plugin.isEnabled, let manifest = plugin.manifest, let table = plugin.table else {
            throw PluginCommandError(
                plugin: pluginName, command: commandName,
                message: "the plugin is disabled: \(plugin.problem ?? "not loaded")")
        }
        guard let spec = manifest.command(commandName),
            case .table(let commands) = table.rawGet("commands"),
            case .table(let entry) = commands.rawGet(.string(LuaString(spec.name))),
            case .function(let run) = entry.rawGet("run")
        else {
            let names = manifest.commands.map(\.name).joined(separator: ", ")
            throw PluginCommandError(
                plugin: pluginName, command: commandName,
                message: "no such command (commands: \(names.isEmpty ? "none" : names))")
        }
        return (plugin, spec, run)
    }

    /// The `ctx` table of one run. `namedFiles` are the values of its `path` arguments;
    /// `grantedFiles` those the user typed with a folder, which `ctx.write_file` writes as named.
    func makeContext(
        _ plugin: Plugin, _ spec: PluginCommandSpec, namedFiles: Set<String> = [],
        grantedFiles: Set<String> = []
    ) throws -> LuaTable {
        let emit = emitFunction()
        let pluginName = plugin.name
        // Pushes the full path written, or nil and why the file could not be written (a
        // user's error: make_ctx raises it without a traceback).
        let write = host.lua.function { [weak self, weak plugin] frame in
            guard let self, let plugin else { throw PluginRuntime.replaced(pluginName) }
            let path = try frame.string(1)
            let bytes = try Self.bytesArgument(frame, 2)
            let options = try WriteOptions(frame.value(3))
            do {
                frame.push(
                    .text(
                        try self.writeNamed(plugin, path: path, bytes: bytes, options: options, granted: grantedFiles)))
                return 1
            } catch let refusal as UserRefusal {
                frame.push(.nil)
                frame.push(.text(refusal.message))
                return 2
            }
        }
        let importCSV = host.lua.function { [weak self, weak plugin] frame in
            guard let self, let plugin else { throw PluginRuntime.replaced(pluginName) }
            let encoding = try frame.optionalString(3) ?? "auto"
            do {
                let report = try self.importCSV(
                    plugin, spec, ledger: try frame.string(1), path: try frame.string(2),
                    encoding: encoding, namedFiles: namedFiles)
                frame.push(report)
                return 1
            } catch let failure as ImportFailure {
                frame.push(.nil)
                frame.push(.text(failure.description))
                return 2
            } catch let refusal as UserRefusal {
                frame.push(.nil)
                frame.push(.text(refusal.message))
                return 2
            }
        }
        let info: LuaValue = .dictionary([
            "plugin": .text(plugin.name), "command": .text(spec.name), "operator": .text(host.view.operatorName),
            "today": .text(host.commandToday),
        ])
        guard
            let ctx = try supportFunction("make_ctx").call(
                info, .function(emit), .function(write), .function(importCSV)
            ).first?.tableValue
        else {
            throw LuaScriptError("make_ctx returned nothing")
        }
        try ctx.set("write_xlsx", .function(writeXlsxFunction(plugin, granted: grantedFiles)))
        return ctx
    }

    static func bytesArgument(_ frame: LuaCallFrame, _ i: Int32) throws -> [UInt8] {
        guard case .string(let s) = frame.value(i) else { throw frame.argumentError(i, expected: "string") }
        return s.bytes
    }

    /// `path` as the plugin may read it: unchanged for a user-named file; while specs run
    /// (`specFolders` set), relative to the plugin's folder and only inside it or the scratch
    /// workspace, symbolic links resolved first — a spec's arguments are the plugin author's
    /// choice, not the user's.
    func confined(_ path: String, _ plugin: Plugin) throws -> String {
        guard let roots = specFolders else { return path }
        let base = plugin.source.folder
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        let real = url.standardizedFileURL.resolvingSymlinksInPath().path
        for root in roots + [base] {
            let top = root.standardizedFileURL.resolvingSymlinksInPath().path
            if real.hasPrefix(top + "/") { return real }
        }
        throw LuaScriptError(
            "ctx.import_csv: \(path) is outside the plugin's folder and the scratch workspace (a spec reads only its own files)"
        )
    }

    /// How `ctx.write_file` turns its text into the file: with `convert` "docx" the text is
    /// Markdown that pandoc makes a Word document of, styled by `reference` (a file of the
    /// plugin's own folder), with `images` (name → SVG) rasterised for it.
    struct WriteOptions {
        var convert: String?
        var reference: String?
        var images: [String: [UInt8]] = [:]

        init(convert: String? = nil, reference: String? = nil, images: [String: [UInt8]] = [:]) {
            self.convert = convert
            self.reference = reference
            self.images = images
        }

        /// From the optional third argument of `ctx.write_file` (nil: plain bytes).
        init(_ value: LuaValue) throws {
            guard case .table(let options) = value else { return }
            convert = options.rawGet("convert").stringValue
            reference = options.rawGet("reference").stringValue
            for (key, value) in options.rawGet("images").tableValue?.toDictionary() ?? [:] {
                if case .string(let svg) = value { images[key.description] = svg.bytes }
            }
        }
    }

    /// Writes a file for `ctx.write_file`: where the user named it if `path` is one of the
    /// command's `granted` paths, else under `exports/`. Returns the full path.
    func writeNamed(
        _ plugin: Plugin, path: String, bytes: [UInt8], options: WriteOptions = WriteOptions(),
        granted: Set<String>
    ) throws -> String {
        granted.contains(path)
            ? try writeGranted(plugin, path: path, bytes: bytes, options: options)
            : try writeExport(plugin, path: path, bytes: bytes, options: options)
    }

    /// Writes `bytes` to `path` under the workspace's `exports/` for a plugin with `export`.
    func writeExport(_ plugin: Plugin, path: String, bytes: [UInt8], options: WriteOptions = WriteOptions()) throws
        -> String
    {
        guard plugin.manifest?.permissions.contains(.export) == true else {
            throw LuaScriptError("ctx.write_file: plugin \(plugin.name) has no 'export' permission")
        }
        guard let exportsRoot = host.exportsFolder ?? host.workspace.folder?.appendingPathComponent("exports") else {
            throw LuaScriptError("ctx.write_file: this workspace has no folder")
        }
        let exports = exportsRoot.standardizedFileURL
        var target = try ExportPath.resolve(path, under: exports)
        // Each folder is checked before it is made: a symbolic link inside exports/ may not lead out.
        do {
            let folder = try ExportFolder.prepare(target, inside: exports)
            target = URL(fileURLWithPath: folder).appendingPathComponent(target.lastPathComponent)
        } catch let refusal as ExportFolder.Refusal {
            throw LuaScriptError("ctx.write_file: \(path) leads outside exports/ (\(refusal.message))")
        }
        try write(plugin, bytes, to: target, as: path, options: options)
        return target.path
    }

    /// Writes `bytes` to `path` itself (relative to the current folder), a file the user named
    /// on the command line; its folder must exist and be writable.
    func writeGranted(_ plugin: Plugin, path: String, bytes: [UInt8], options: WriteOptions = WriteOptions()) throws
        -> String
    {
        guard plugin.manifest?.permissions.contains(.export) == true else {
            throw LuaScriptError("ctx.write_file: plugin \(plugin.name) has no 'export' permission")
        }
        let target = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
        let folder = target.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw UserRefusal(message: "cannot write \(path): there is no folder \(folder)")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw UserRefusal(message: "cannot write \(path): the folder \(folder) is not writable")
        }
        try write(plugin, bytes, to: target, as: path, options: options)
        return target.path
    }

    /// Writes the file whole (a reader never sees half of it), converted as `options` say; a
    /// failure is the user's to fix.
    func write(_ plugin: Plugin, _ bytes: [UInt8], to target: URL, as path: String, options: WriteOptions) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isFolder), isFolder.boolValue {
            throw UserRefusal(message: "cannot write \(path): it is a folder")
        }
        if let convert = options.convert {
            guard convert == "docx" else {
                throw LuaScriptError("ctx.write_file: convert must be \"docx\" (not \(convert))")
            }
            var referenceFile: URL?
            if let reference = options.reference {
                let own = plugin.source.folder.resolvingSymlinksInPath()
                let file = own.appendingPathComponent(reference).standardizedFileURL.resolvingSymlinksInPath()
                guard file.path.hasPrefix(own.path + "/"), FileManager.default.fileExists(atPath: file.path) else {
                    throw LuaScriptError(
                        "ctx.write_file: reference \(reference) is not a file of plugin \(plugin.name)")
                }
                referenceFile = file
            }
            try DocumentConverter.docx(markdown: bytes, to: target, reference: referenceFile, images: options.images)
            return
        }
        // A CSV file is meant for a spreadsheet: no cell may carry a live formula.
        let bytes = target.pathExtension.lowercased() == "csv" ? CSVNeutraliser.neutralise(bytes) : bytes
        do {
            try Data(bytes).write(to: target, options: .atomic)
        } catch {
            throw UserRefusal(
                message:
                    "cannot write \(target.path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)"
            )
        }
    }
}

/// A file `ctx.write_file` or `ctx.import_csv` could not write or read for a reason the user
/// can fix (a missing or read-only folder, a full disk, no such file): no traceback.
struct UserRefusal: Error {
    var message: String
}

extension PluginRuntime {
    /// `ctx.import_csv(ledger, path [, encoding])`: the core CSV importer run on one of the
    /// plugin's own ledgers inside the command's unit of work (all or nothing: an `ImportFailure`
    /// naming row, column and value leaves the unit to be rolled back). Needs `write`, and reads
    /// only a file the user named as a `path` argument of this run.
    func importCSV(
        _ plugin: Plugin, _ spec: PluginCommandSpec, ledger: String, path: String, encoding: String,
        namedFiles: Set<String>
    ) throws -> LuaValue {
        guard let manifest = plugin.manifest, manifest.mayWrite else {
            throw LuaScriptError("ctx.import_csv: plugin \(plugin.name) has no 'write' permission")
        }
        guard manifest.ledgers.contains(where: { $0.name == ledger }) else {
            let own = manifest.ledgers.map(\.name).joined(separator: ", ")
            throw LuaScriptError(
                "ctx.import_csv: \(ledger) is not a ledger of plugin \(plugin.name) (its ledgers: \(own.isEmpty ? "none" : own))"
            )
        }
        guard namedFiles.contains(path) else {
            throw LuaScriptError(
                "ctx.import_csv: \(path) was not named by the user (only the value of a path argument of \(spec.name) can be read)"
            )
        }
        let path = try confined(path, plugin)
        guard let textEncoding = TextEncoding(name: encoding) else {
            throw LuaScriptError("ctx.import_csv: encoding must be auto, utf-8 or gb18030 (not \(encoding))")
        }
        guard let unit = host.unit else { throw LuaScriptError("ctx.import_csv runs only inside a unit of work") }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw UserRefusal(message: "cannot read \(error)")
        }
        var context = plugin.caller.view.writeContext
        context.source += ":" + (path as NSString).lastPathComponent
        let report = try unit.importCSV(
            ledger, bytes: bytes, file: path,
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
        guard !path.isEmpty, !path.contains("\0") else {
            throw LuaScriptError("ctx.write_file: a file name is required")
        }
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
        case .timeLimit:
            message =
                "stopped: it ran longer than its limit of \(FieldInput.shortest(limits.seconds)) s; its changes were rolled back"
        case .memory:
            message =
                "stopped: it needed more memory than its limit of \(limits.memoryBytes >> 20) MB; its changes were rolled back"
        case .interrupted: message = "interrupted; its changes were rolled back"
        default: message = error.message
        }
        traceback = error.traceback.map(PluginCommandError.pluginFrames)
    }

    /// The traceback lines that belong to plugin code (not the host's C functions or `fp`).
    static func pluginFrames(_ traceback: String) -> String {
        traceback.split(separator: "\n").filter { line in
            let t = line.trimmingSpacesAndTabs()
            return !t.hasPrefix("[C]") && !t.hasPrefix("fp:") && !t.hasPrefix("fupin.plugins:")
                && !t.hasPrefix("(...tail calls...)")
        }.joined(separator: "\n")
    }

    public var description: String {
        let head = "\(plugin) \(command): \(message)"
        guard let traceback, !traceback.isEmpty, traceback != "stack traceback:" else { return head }
        return head + "\n" + traceback
    }
}
