import Foundation
import FupinCore
import FupinWire
import LuaKit
import ProcessConfinement

/// The host's side of one plugin command run in a worker: starts the worker, hands it the
/// command, answers its requests under the plugin's view inside the open unit of work, and
/// kills it at its time limit wherever it is.
final class WorkerBroker {
    unowned let runtime: PluginRuntime
    let plugin: PluginRuntime.Plugin
    /// The command run; nil while the worker reads the manifest.
    let spec: PluginCommandSpec?
    let limits: PluginLimits
    let namedFiles: Set<String>
    /// Paths the user typed with a folder in them: written where they say (their grant).
    let grantedFiles: Set<String>
    var host: FupinHost { runtime.host }
    /// The natives of `fp`, acting under the plugin's view (the same code trusted `fp` uses).
    var natives: [String: LuaFunction] = [:]
    /// Cursors the worker iterates, by the number it knows them by.
    var cursors: [Int64: (cursor: LuaValue, fixture: Bool)] = [:]
    /// The bytes of the last batch, kept for the next one's capacity.
    var batchBuffer: [UInt8] = []
    /// Records per `next` batch: a quarter as many round trips as 256 did, at ~300 KB a batch.
    static let batchSize = 1024
    var savepoints = 0
    /// The plugin's modules the worker read (relative path, SHA-256), for the manifest cache.
    var modulesRead: [(path: String, digest: String)] = []
    /// Whether the worker asked for another plugin's exports: then what it made depends on
    /// more than its own files, and a manifest read is not cached.
    var askedForOtherPlugins = false
    /// Whether the worker is kept by this broker between its jobs (a spec file and its cases).
    var holdsWorker = false
    /// The worker this broker keeps between jobs while `holdsWorker`.
    var heldWorker: WorkerProcess?
    /// The natives of the spec's `fixture` fp (requests named "fixture.NAME"), and its view.
    var fixtureNatives: [String: LuaFunction] = [:]
    var fixtureView: FpView?
    /// Runs a command of the plugin for a spec's `run(name, args)`.
    var specRun: (([WireValue]) throws -> [WireValue])?

    /// What errors name as the command: the command, or plugin.lua while it is read.
    /// What errors name as the command: set for a call of an exported function.
    var commandLabel: String?
    var commandName: String { commandLabel ?? spec?.name ?? "plugin.lua" }

    init(
        runtime: PluginRuntime, plugin: PluginRuntime.Plugin, spec: PluginCommandSpec?, limits: PluginLimits,
        namedFiles: Set<String> = [],
        grantedFiles: Set<String> = []
    ) {
        self.runtime = runtime
        self.plugin = plugin
        self.spec = spec
        self.limits = limits
        self.namedFiles = namedFiles
        self.grantedFiles = grantedFiles
    }

    /// Runs the command in a new worker and returns what its `run` returned, as host values.
    func run(executable: String, arguments: [String: LuaValue]) throws -> [LuaValue] {
        var reader = WireLua(state: host.lua)
        var args: [WireEntry] = []
        for (k, v) in arguments.sorted(by: { $0.key < $1.key }) {
            args.append(WireEntry(.text(k), try reader.wire(v, what: "argument \(k)")))
        }
        let job = job(
            "run", source: try manifestSource(), [("command", .text(commandName)), ("args", .table(WireTable(args)))])
        // The host's own work for the plugin (SQL it runs, rows it builds) is held to the
        // plugin's limits too: the progress handler stops a statement at the time limit, and
        // what the host builds or SQLite holds for it counts against its memory limit.
        return results(try runtime.withLimits(limits) { try exchange(job, executable: executable) })
    }

    /// Hands `job` to a worker of the plugin (the one this broker holds, one kept from an
    /// earlier job, or a new one), answers its requests until it is done, and returns the
    /// `done` message (or throws the job's error). A worker that ended its job cleanly — with
    /// `done`, or an error of the plugin's code that was not a limit — is kept for the next job
    /// (by this broker while `holdsWorker`, else by `PluginIsolation`); any other is killed.
    func exchange(_ job: WireValue, executable: String) throws -> WireTable {
        if natives.isEmpty {
            for (name, body) in host.natives(for: plugin.caller) { natives[name] = host.lua.function(body) }
        }
        let key = PluginIsolation.poolKey(executable: executable, plugin: plugin.name, memoryBytes: limits.memoryBytes)
        let worker: WorkerProcess
        if let held = heldWorker, !held.hasEnded,
            WorkerConfinement.allowProcessorTime(pid: held.pid, seconds: limits.seconds)
        {
            worker = held
        } else {
            heldWorker?.kill()
            worker = try PluginIsolation.takeWorker(executable: executable, key: key, seconds: limits.seconds)
        }
        heldWorker = nil
        // A manifest is read under limits of its own, once per content: its worker is not kept.
        var clean = false
        let keep = job.tableValue?["op"]?.textValue != "manifest"
        defer {
            if !clean || !keep {
                worker.kill()
            } else if holdsWorker {
                heldWorker = worker
            } else {
                PluginIsolation.giveBack(worker, key: key)
            }
            if PluginIsolation.keepsSpareWorker { PluginIsolation.prestart() }
        }
        let deadline = WorkerClock.now() + UInt64((limits.seconds + PluginIsolation.grace) * 1e9)
        try send(job, to: worker)
        while true {
            let message: WireValue
            let interrupt = host.lua.interruptHandle
            do { message = try worker.channel.receive(deadline: deadline) { interrupt.isRequested } } catch {
                throw ended(worker, error)
            }
            guard let m = message.tableValue, let op = m["op"]?.textValue else {
                throw fail("its worker sent a message without op")
            }
            switch op {
            case "started":
                if let problem = m["filter"]?.textValue { PluginIsolation.noteFilterUnavailable(problem) }
            case "print":
                runtime.output(m["line"]?.textValue ?? "")
            case "call":
                let reply: WireValue
                do { reply = try answer(m) } catch let stopped as HostStopped {
                    throw ended(worker, stopped.kind == .timeLimit ? WorkerChannel.Failure.timedOut : .interrupted)
                }
                try send(reply, to: worker)
            case "done":
                clean = true
                return m
            case "error":
                // A limit the worker's Lua hit leaves a worker not to be trusted with more work.
                let kind = m["kind"]?.textValue
                clean = kind != "time" && kind != "memory"
                throw commandError(m)
            default:
                throw fail("its worker sent an unknown message '\(op)'")
            }
        }
    }

    private func send(_ value: WireValue, to worker: WorkerProcess) throws {
        do { try worker.channel.send(value) } catch { throw ended(worker, error) }
    }

    /// The error for a worker that stopped answering: over its time limit, or gone.
    private func ended(_ worker: WorkerProcess, _ error: Error) -> Error {
        if let failure = error as? WorkerChannel.Failure {
            switch failure {
            case .timedOut:
                worker.kill()
                return PluginCommandError(
                    plugin: plugin.name, command: commandName,
                    message:
                        "stopped: it ran longer than its limit of \(FieldInput.shortest(limits.seconds)) s; its changes were rolled back",
                    isUserError: false)
            case .interrupted:
                worker.kill()
                return PluginCommandError(
                    plugin: plugin.name, command: commandName,
                    message: "interrupted; its changes were rolled back", isUserError: false)
            case .closed:
                return fail("its worker process \(worker.endDescription()); its changes were rolled back")
            case .malformed(let problem):
                worker.kill()
                return fail("its worker sent a malformed message (\(problem)); its changes were rolled back")
            case .system(let text):
                worker.kill()
                return fail("talking to its worker failed: \(text)")
            }
        }
        return error
    }

    private func fail(_ message: String) -> PluginCommandError {
        PluginCommandError(plugin: plugin.name, command: commandName, message: message, isUserError: false)
    }

    /// The command's error as the in-process path would have reported it.
    private func commandError(_ m: WireTable) -> PluginCommandError {
        if let text = m["fail"]?.textValue {
            return PluginCommandError(plugin: plugin.name, command: commandName, message: text)
        }
        let kind: LuaError.Kind
        switch m["kind"]?.textValue {
        case "time": kind = .timeLimit
        case "memory": kind = .memory
        default: kind = .runtime
        }
        let message = m["message"]?.textValue ?? "failed"
        // A record the command's input made invalid is the user's error: its message alone,
        // as in-process (the host's natives noted it while answering the worker).
        if kind == .runtime, let refused = host.refusedInput(endingMessage: message) {
            return PluginCommandError(plugin: plugin.name, command: commandName, message: refused)
        }
        let error = LuaError(kind: kind, message: message, traceback: m["traceback"]?.textValue)
        return PluginCommandError(plugin: plugin.name, command: commandName, error: error, limits: limits)
    }

    /// The `done` message's results as host values; a result ctx.result labelled shows its text.
    private func results(_ m: WireTable) -> [LuaValue] {
        let values = m["values"]?.tableValue ?? WireTable()
        let shown = m["shown"]?.tableValue ?? WireTable()
        let count = Int(values["n"]?.integerValue ?? 0)
        var out: [LuaValue] = []
        let writer = WireLua(state: host.lua)
        for i in 0..<count {
            let key = WireValue.integer(Int64(i + 1))
            let wire = values.entries.first { $0.key == key }?.value ?? .nil
            var value = writer.luaValue(wire, recordMetatable: hostRecordMetatable)
            if let text = shown.entries.first(where: { $0.key == key })?.value.textValue, case .table(let t) = value,
                let label = try? labelFunction().call(.table(t), .text(text)).first
            {
                value = label
            }
            out.append(value)
        }
        return out
    }

    /// A host function setting a `__tostring` that returns a fixed text (what ctx.result did).
    private func labelFunction() throws -> LuaFunction {
        try host.lua.load(
            string: "local t, s = ... return setmetatable(t, { __tostring = function() return s end })",
            chunkName: "=fupin.plugins", mode: "t")
    }

    /// The host's metatable for records of `collection` (only a collection the workspace knows).
    func hostRecordMetatable(_ collection: String) -> LuaTable? {
        guard host.collectionSchema(collection) != nil else { return nil }
        let L = host.lua.L
        host.pushRecordMetatable(collection, on: L)
        let mt = host.lua.value(at: -1, on: L).tableValue
        host.lua.pop(on: L)
        return mt
    }

    // MARK: Requests

    /// The answer to one `call`: `{ ok = true, values = {n, ...} }` or `{ ok = false, error }`.
    /// The plugin's time limit or Ctrl-C stopped the host's own work for it (a statement the
    /// progress handler interrupted): the command ends as if the worker had run out of time.
    struct HostStopped: Error { var kind: LuaError.Kind }

    func answer(_ m: WireTable) throws -> WireValue {
        let name = m["fn"]?.textValue ?? ""
        let argTable = m["args"]?.tableValue ?? WireTable()
        let count = Int(argTable["n"]?.integerValue ?? 0)
        var byIndex: [Int64: WireValue] = [:]
        for e in argTable.entries { if case .integer(let i) = e.key { byIndex[i] = e.value } }
        let args = (0..<min(count, 16)).map { byIndex[Int64($0 + 1)] ?? .nil }
        do {
            let values = try perform(name, args)
            var entries = values.enumerated().map { WireEntry(.integer(Int64($0.offset + 1)), $0.element) }
            entries.append(WireEntry(.text("n"), .integer(Int64(values.count))))
            return .record([("ok", .boolean(true)), ("values", .table(WireTable(entries)))])
        } catch let error as LuaError {
            if error.kind == .timeLimit || error.kind == .interrupted { throw HostStopped(kind: error.kind) }
            return .record([("ok", .boolean(false)), ("error", .text(error.message))])
        } catch {
            return .record([("ok", .boolean(false)), ("error", .text(StorageFailure.explain(error) ?? "\(error)"))])
        }
    }

    func perform(_ request: String, _ args: [WireValue]) throws -> [WireValue] {
        let writer = WireLua(state: host.lua)
        // A spec's fixture fp asks as "fixture.NAME": the same natives under the fixture's view.
        var name = request
        var natives = self.natives
        var view = plugin.caller.view
        let fixture = request.hasPrefix("fixture.")
        if fixture {
            guard let fixtureView,
                [
                    "run", "get", "add", "update", "remove", "fields", "collections", "sql", "income", "schema",
                    "format", "open", "next",
                ].contains(String(request.dropFirst(8)))
            else {
                throw LuaScriptError("unknown request '\(request)'")
            }
            name = String(request.dropFirst(8))
            natives = fixtureNatives
            view = fixtureView
        }
        func text(_ i: Int) throws -> String {
            guard i < args.count, let t = args[i].textValue else {
                throw LuaScriptError("\(name): argument \(i + 1) must be a string")
            }
            return t
        }
        switch name {
        case "open":
            guard let open = natives["open"] else { break }
            let cursor =
                try open.call(arguments: args.map { writer.luaValue($0, recordMetatable: hostRecordMetatable) }).first
                ?? .nil
            let handle = Int64(cursors.count + 1)
            cursors[handle] = (cursor, fixture)
            return [.integer(handle)]
        case "next":
            // A cursor is read under the view it was opened with (the fixture's or the plugin's).
            guard let handle = args.first?.integerValue, let (cursor, opened) = cursors[handle], opened == fixture
            else {
                throw LuaScriptError("expected an iterator")
            }
            // A cursor that ran out answers with empty batches.
            if cursor.isNil { return [.list([])] }
            // The batch is encoded straight from the cursor's columns (iter's hot path).
            let L = host.lua.L
            host.lua.push(cursor, on: L)
            let object = host.lua.object(at: -1, on: L, as: RecordCursor.self)
            host.lua.pop(on: L)
            guard let object else { throw LuaScriptError("expected an iterator") }
            // One buffer for every batch: a new one each time faulted in fresh pages per batch.
            var bytes = batchBuffer
            batchBuffer = []
            bytes.removeAll(keepingCapacity: true)
            defer { batchBuffer = bytes }
            if try host.encodeBatch(object, limit: Self.batchSize, view: view, into: &bytes) {
                cursors[handle] = (.nil, fixture)
            }
            return [.encoded(bytes)]
        case "savepoint", "release", "rollback":
            let unit = try host.requireUnit()
            switch name {
            case "savepoint":
                try unit.savepoint(.open)
                savepoints += 1
            case "release":
                guard savepoints > 0 else { throw LuaScriptError("no transaction is open") }
                try unit.savepoint(.release)
                savepoints -= 1
            default:
                guard savepoints > 0 else { throw LuaScriptError("no transaction is open") }
                try unit.savepoint(.rollback)
                savepoints -= 1
            }
            return []
        case "write_file":
            guard args.count >= 2, case .string(let bytes) = args[1] else {
                throw LuaScriptError("ctx.write_file expects a path and a string")
            }
            let path = try text(0)
            let options = try PluginRuntime.WriteOptions(
                args.count > 2 ? writer.luaValue(args[2], recordMetatable: { _ in nil }) : .nil)
            // The full path written, or nil and why (a user's error: make_ctx raises it
            // without a traceback), as the in-process ctx.write_file answers.
            do {
                return [
                    .text(
                        try runtime.writeNamed(
                            plugin, path: path, bytes: bytes, options: options, granted: grantedFiles))
                ]
            } catch let refusal as UserRefusal {
                return [.nil, .text(refusal.message)]
            }
        case "write_xlsx":
            guard args.count >= 2, case .table = args[1] else {
                throw LuaScriptError("ctx.write_xlsx expects a path and a table of sheets")
            }
            let sheets = writer.luaValue(args[1], recordMetatable: { _ in nil }).tableValue?.toArray() ?? []
            return [.text(try runtime.writeXlsx(plugin, path: try text(0), sheets: sheets, granted: grantedFiles))]
        case "import_csv":
            do {
                let encoding = args.count > 2 ? args[2].textValue ?? "auto" : "auto"
                guard let spec else { throw LuaScriptError("ctx.import_csv runs only inside a command") }
                let report = try runtime.importCSV(
                    plugin, spec, ledger: try text(0), path: try text(1), encoding: encoding, namedFiles: namedFiles)
                var reader = WireLua(state: host.lua)
                return [try reader.wire(report, what: "the import report")]
            } catch let failure as ImportFailure {
                return [.nil, .text(failure.description)]
            } catch let refusal as UserRefusal {
                return [.nil, .text(refusal.message)]
            }
        case "module":
            return [try module(try text(0))]
        case "spec_run":
            guard let specRun, request == name else { break }
            return try specRun(args)
        case "export_call":
            return [try callExport(of: try text(0), key: try text(1), args: args.count > 2 ? args[2] : .list([]))]
        default:
            guard let native = natives[name] else { throw LuaScriptError("unknown request '\(name)'") }
            let results = try native.call(
                arguments: args.map { writer.luaValue($0, recordMetatable: hostRecordMetatable) })
            var reader = WireLua(state: host.lua)
            return try results.map { try reader.wire($0, what: "the result of fp \(name)") }
        }
        throw LuaScriptError("unknown request '\(name)'")
    }

    /// Runs `exports[key](args...)` of plugin `name` (one this plugin lists in `requires`) in a
    /// worker of that plugin, under its permissions and limits, inside this command's unit;
    /// returns its results as a list with `n`.
    func callExport(of name: String, key: String, args: WireValue) throws -> WireValue {
        guard plugin.manifest?.requires.contains(where: { $0.plugin == name }) == true,
            let dependency = runtime.plugin(name), dependency.isEnabled, let manifest = dependency.manifest
        else {
            throw LuaScriptError("\(name).\(key): plugin \(plugin.name) does not require a loaded plugin \(name)")
        }
        return try WorkerBroker.runExport(runtime: runtime, of: dependency, key: key, args: args)
    }

    /// Runs `exports[key](args...)` of `dependency` in a worker of its own, under its
    /// permissions and limits, inside the open unit; returns the results as a list with `n`.
    static func runExport(runtime: PluginRuntime, of dependency: PluginRuntime.Plugin, key: String, args: WireValue)
        throws -> WireValue
    {
        let name = dependency.name
        guard let manifest = dependency.manifest, let executable = runtime.workerExecutable else {
            throw LuaScriptError("\(name).\(key): plugin \(name) is not loaded")
        }
        let broker = WorkerBroker(runtime: runtime, plugin: dependency, spec: nil, limits: manifest.limits)
        broker.commandLabel = "exports.\(key)"
        let job = broker.job("export", source: try broker.manifestSource(), [("key", .text(key)), ("args", args)])
        let done = try runtime.withLimits(manifest.limits) { try broker.exchange(job, executable: executable) }
        return done["values"] ?? .list([])
    }

    /// The bytes of the plugin's plugin.lua.
    func manifestSource() throws -> [UInt8] {
        let file = plugin.source.manifestFile
        guard let data = FileManager.default.contents(atPath: file.path) else { throw fail("cannot read \(file.path)") }
        return Array(data)
    }

    /// A job for a worker of this plugin: `op` ("run", "export", "manifest") with the
    /// plugin's source and what every job carries (its name, the collections, its limits, the
    /// `ctx` info), then `extra`.
    func job(_ op: String, source: [UInt8], chunk: String? = nil, _ extra: [(String, WireValue)] = []) -> WireValue {
        .record(
            [
                ("op", .text(op)), ("plugin", .text(plugin.name)),
                ("source", .string(source)), ("chunk", .text(chunk ?? "@\(plugin.name)/plugin.lua")),
                (
                    "info",
                    .record([
                        ("plugin", .text(plugin.name)), ("command", .text(commandName)),
                        ("operator", .text(host.view.operatorName)),
                        ("today", .text(host.commandToday)),
                    ])
                ),
                ("collections", .list(host.workspace.schema.names.map(WireValue.text))),
                ("memory", .integer(Int64(limits.memoryBytes))), ("seconds", .number(limits.seconds)),
            ] + extra)
    }

    /// `require(name)` for the worker: the source of one of the plugin's own modules, or a
    /// copy of the exports of a plugin it lists in `requires`.
    func module(_ name: String) throws -> WireValue {
        if let file = runtime.moduleFile(name, in: plugin), let data = FileManager.default.contents(atPath: file.path) {
            let relative = name.replacingOccurrences(of: ".", with: "/") + ".lua"
            modulesRead.append((relative, SHA256.hex(Array(data))))
            return .record([("source", .string(Array(data))), ("chunk", .text("@\(plugin.name)/\(relative)"))])
        }
        if PluginManifest.isValidName(name) { askedForOtherPlugins = true }
        if PluginManifest.isValidName(name), runtime.plugin(name) != nil,
            plugin.manifest?.requires.contains(where: { $0.plugin == name }) != true
        {
            throw LuaScriptError("require '\(name)': plugin \(plugin.name) does not list \(name) in requires")
        }
        guard PluginManifest.isValidName(name), plugin.manifest?.requires.contains(where: { $0.plugin == name }) == true
        else {
            if runtime.moduleFile(name, in: plugin) == nil {
                throw LuaScriptError(
                    "require '\(name)': a plugin may require its own modules (letters, digits, '_', '.') and the plugins it lists in requires"
                )
            }
            throw LuaScriptError(
                "require '\(name)': no module \(name.replacingOccurrences(of: ".", with: "/")).lua in plugin \(plugin.name)"
            )
        }
        guard let dependency = runtime.plugin(name), dependency.isEnabled, let table = dependency.table else {
            throw LuaScriptError("require '\(name)': plugin \(name) is not loaded")
        }
        var reader = WireLua(state: host.lua)
        // Functions cross as markers: the requiring worker calls them back through the host
        // ("export_call"), which runs each in a worker of the exporting plugin.
        reader.functionsAsMarkers = true
        do {
            return .record([("exports", try reader.wire(table.rawGet("exports"), what: "the exports of \(name)"))])
        } catch let refusal as WireLua.Refusal {
            throw LuaScriptError(
                "require '\(name)': \(refusal) (a plugin's exports reach another plugin's worker as a copy)")
        }
    }
}
