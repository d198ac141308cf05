import FupinCore
import FupinWire
import LuaKit
import ProcessConfinement

#if canImport(Glibc)
    import Glibc
#endif

/// The worker mode of the executable (`fupin __plugin-worker`): receives jobs of one plugin,
/// confines itself before the first, runs the plugin's code in its own Lua state and answers
/// the host with plain data (docs/worker-protocol.md). Everything a job needs from the
/// workspace is a request the host answers. The host may give it another job of the same
/// plugin when one is done (a reused worker); each gets a fresh environment.
public enum PluginWorker {
    /// The jobs a worker takes; `case` continues the `spec` job before it.
    static let jobs: Set<String> = ["run", "manifest", "export", "spec", "case"]

    /// Runs the worker on descriptor 3 and returns the process exit status.
    public static func main() -> Int32 {
        WorkerConfinement.closeOtherDescriptors()
        // A worker never outlives its host (a host killed by Ctrl-C takes its worker along;
        // one that died before this line left the socket closed, which ends the worker below).
        guard WorkerConfinement.dieWithParent() else { return 3 }
        let channel = WorkerChannel(fd: WorkerProcess.workerDescriptor)
        do {
            // Everything that does not depend on the job is done before it arrives, so a worker
            // started ahead of need (PluginIsolation.prestart) has it ready.
            tzset()
            // fp.report measures text with wcwidth, which reads the locale's files on first use.
            DisplayWidth.prepare()
            let session = try WorkerSession(lua: LuaState(libraries: .all), channel: channel)
            // The filter is built now and loaded once the first job is read (off its path).
            session.filter = WorkerConfinement.prepareFilter()
            while true {
                // nil: the host is done with this worker (it closed the socket between jobs).
                guard let message = try nextJob(channel) else { return 0 }
                guard let job = message.tableValue, jobs.contains(job["op"]?.textValue ?? "") else { return 2 }
                try run(job, session: session)
            }
        } catch let failure as WorkerChannel.Failure {
            // The host went away or sent nonsense: nothing to answer.
            _ = failure
            return 3
        } catch {
            try? channel.send(
                .record([("op", .text("error")), ("kind", .text("runtime")), ("message", .text("\(error)"))]))
            return 1
        }
    }

    /// The next job, or nil when the host closed the socket.
    static func nextJob(_ channel: WorkerChannel) throws -> WireValue? {
        switch Result(catching: { () throws(WorkerChannel.Failure) -> WireValue in try channel.receive() }) {
        case .success(let message): return message
        case .failure(.closed): return nil
        case .failure(let failure): throw failure
        }
    }

    static func run(_ job: WireTable, session: WorkerSession) throws {
        let channel = session.channel
        let op = job["op"]?.textValue ?? ""
        let memory = Int(job["memory"]?.integerValue ?? (256 << 20))
        let seconds: Double = {
            if case .number(let d)? = job["seconds"] { return d }; return Double(job["seconds"]?.integerValue ?? 60)
        }()
        // A case runs in the environment its spec job built; every other job gets a fresh one,
        // so nothing a command left in its globals, modules or record metatables reaches the next.
        let api: LuaTable
        if op == "case" {
            guard let spec = session.specAPI else { throw WorkerFailure("a case without its spec file") }
            api = spec
        } else {
            session.specAPI = nil
            session.recordMetatables = [:]
            session.lua.collectGarbage()
            api = try session.makeEnvironment(job)
        }
        // Everything that touches files happens before the filter (the time zone, the Lua
        // libraries, the compiled preludes: in main), and the first job's environment.
        if !session.confined {
            WorkerConfinement.applyLimits(memoryBytes: memory, seconds: seconds)
            switch session.filter ?? WorkerConfinement.prepareFilter() {
            case .success(let filter): session.filterProblem = filter.install()
            case .failure(let problem): session.filterProblem = problem.description
            }
            session.filter = nil
            session.confined = true
        }
        try channel.send(
            .record([("op", .text("started")), ("filter", session.filterProblem.map(WireValue.text) ?? .nil)]))
        switch op {
        case "export": try session.callExport(job, api: api, memory: memory, seconds: seconds)
        case "manifest": try session.readManifest(job, api: api, memory: memory, seconds: seconds)
        case "spec": try session.loadSpec(job, api: api, memory: memory, seconds: seconds)
        case "case": try session.runCase(job, api: api, memory: memory, seconds: seconds)
        default: try session.runCommand(job, api: api, memory: memory, seconds: seconds)
        }
    }
}

/// One worker's Lua state and its requests to the host.
final class WorkerSession {
    let lua: LuaState
    let channel: WorkerChannel
    /// The record metatables of the current job (a new set per job).
    var recordMetatables: [String: LuaTable] = [:]
    /// Whether the limits and the filter are on (from the first job on).
    var confined = false
    /// Why the seccomp filter could not be installed (nil: it is on).
    var filterProblem: String?
    /// The filter built before the first job, loaded with it.
    var filter: Result<WorkerConfinement.Filter, WorkerConfinement.Problem>?
    /// The environment of the spec file loaded last, which its `case` jobs run in.
    var specAPI: LuaTable?

    /// The compiled chunks every worker needs: PluginSupport, the fp prelude and the worker
    /// prelude (fp.report is compiled on first use: most commands never touch it).
    let support: LuaValue
    let prelude: LuaFunction
    let workerPrelude: LuaFunction

    init(lua: LuaState, channel: WorkerChannel) throws {
        self.lua = lua
        self.channel = channel
        support = try lua.load(bytes: PluginSupport.source, chunkName: "=fupin.plugins", mode: "t").call().first ?? .nil
        prelude = try lua.load(bytes: FpPrelude.source, chunkName: "=fp", mode: "t")
        workerPrelude = try lua.load(bytes: WorkerPrelude.source, chunkName: "=fp", mode: "t")
        // Compiles the sandbox builder now, so that a job only calls it.
        _ = try lua.makeSandbox()
    }

    /// The metatable marking records of `collection` in this state (metadata only).
    func recordMetatable(_ collection: String) -> LuaTable? {
        if let mt = recordMetatables[collection] { return mt }
        guard case .table(let mt) = (try? lua.run(string: "return { __name = 'fp.record' }"))?.first ?? .nil else {
            return nil
        }
        mt.rawSet("__fp_collection", .text(collection))
        recordMetatables[collection] = mt
        return mt
    }

    /// Builds the plugin's sandbox with the worker's `fp`, `require` and `print`; returns the
    /// worker prelude's table.
    func makeEnvironment(_ job: WireTable) throws -> LuaTable {
        let env = try lua.makeSandbox()
        let rpc = lua.function { [unowned self] frame in try self.request(frame) }
        let notify = lua.function { [unowned self] frame in
            var reader = WireLua(state: self.lua)
            let op = try frame.string(1)
            let value = try reader.read(at: 2, on: frame.L, what: op)
            try self.send(.record([("op", .text(op)), ("line", value)]))
            return 0
        }
        let names = WireLua(state: lua).luaValue(job["collections"] ?? .list([]), recordMetatable: { _ in nil })
        guard
            case .table(let api) = try workerPrelude.call(
                .function(rpc), .function(notify), support, .function(prelude),
                .string(LuaString(bytes: FpReport.source)), names, .table(env),
                .function(lua.function(FpReport.widthNative))
            ).first
        else {
            throw WorkerFailure("the worker prelude returned nothing")
        }
        for name in ["fp", "require", "print"] {
            env.rawSet(.string(LuaString(name)), api.rawGet(.string(LuaString(name))))
        }
        return api
    }

    func send(_ value: WireValue) throws {
        do { try channel.send(value) } catch { throw LuaScriptError("the host is gone: \(error)") }
    }

    /// `rpc(name, ...)`: sends the arguments to the host and pushes its answer.
    func request(_ frame: LuaCallFrame) throws -> Int32 {
        let name = try frame.string(1)
        var reader = WireLua(state: lua)
        let top = frame.argumentCount
        var args: [WireEntry] = []
        if top >= 2 {
            for i in 2...top {
                let v = try reader.read(at: i, on: frame.L, what: "an argument of fp")
                if v != .nil { args.append(WireEntry(.integer(Int64(i - 1)), v)) }
            }
        }
        args.append(WireEntry(.text("n"), .integer(Int64(max(0, top - 1)))))
        try send(.record([("op", .text("call")), ("fn", .text(name)), ("args", .table(WireTable(args)))]))
        let reply: [UInt8]
        do { reply = try channel.receiveBody() } catch { throw LuaScriptError("the host is gone: \(error)") }
        // The answer is built straight into Lua tables: { ok, error, values = { n, ... } }.
        let L = frame.L
        do {
            try WireLua(state: lua).pushDecoded(reply, on: L, recordMetatable: { self.recordMetatable($0) })
        } catch let error as LuaError where error.kind == .memory {
            throw LuaScriptError("not enough memory for the host's answer (the plugin's memory limit)")
        } catch {
            throw LuaScriptError("the host sent a malformed answer: \(error)")
        }
        switch try WireLua(state: lua).unpackAnswer(on: L) {
        case .values(let count): return count
        case .refused(let message): throw LuaScriptError(FupinHost.callerPosition(frame) + message, addsPosition: false)
        }
    }

    /// Calls `body` within the job's memory and time limits; a Lua error is sent as the job's
    /// `error` and gives nil.
    func withinLimits(memory: Int, seconds: Double, _ body: () throws -> [LuaValue]) throws -> [LuaValue]? {
        do {
            return try lua.withTimeLimit(.milliseconds(Int64(seconds * 1000))) {
                try lua.withMemoryAllowance(memory) { try body() }
            }
        } catch let error as LuaError {
            try send(WorkerSession.describe(error, state: lua))
            return nil
        }
    }

    func function(_ api: LuaTable, _ name: String) throws -> LuaFunction {
        guard let f = api.rawGet(.string(LuaString(name))).functionValue else { throw WorkerFailure("no \(name)") }
        return f
    }

    func source(_ job: WireTable) -> LuaValue { .text(job["source"]?.textValue ?? "") }
    func chunk(_ job: WireTable) -> LuaValue { .text(job["chunk"]?.textValue ?? "=plugin.lua") }

    /// Runs the command the job names within its limits and sends `done` or `error`.
    func runCommand(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        let run = try function(api, "run_command")
        let toLua = WireLua(state: lua)
        let noMeta: (String) -> LuaTable? = { _ in nil }
        let args = toLua.luaValue(job["args"] ?? .list([]), recordMetatable: noMeta)
        let info = toLua.luaValue(job["info"] ?? .list([]), recordMetatable: noMeta)
        guard
            let results = try withinLimits(
                memory: memory, seconds: seconds,
                {
                    try run.call(source(job), chunk(job), .text(job["command"]?.textValue ?? ""), args, info)
                })
        else { return }
        var reader = WireLua(state: lua)
        let values = try reader.wire(results.first ?? .nil, what: "the command's result")
        let shown = try reader.wire(results.count > 1 ? results[1] : .nil, what: "the command's result")
        try send(.record([("op", .text("done")), ("values", values), ("shown", shown)]))
    }

    /// Calls one function of the plugin's exports for another plugin (through the host) and
    /// sends its results, as a list, in `done`.
    func callExport(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        let call = try function(api, "call_export")
        let args = WireLua(state: lua).luaValue(job["args"] ?? .list([]), recordMetatable: { _ in nil })
        guard
            let results = try withinLimits(
                memory: memory, seconds: seconds,
                {
                    try call.call(source(job), chunk(job), .text(job["key"]?.textValue ?? ""), args)
                })
        else { return }
        var reader = WireLua(state: lua)
        let values = try reader.wire(results.first ?? .nil, what: "the exported function's results")
        try send(.record([("op", .text("done")), ("values", values)]))
    }

    /// Evaluates plugin.lua within the manifest limits and sends its result, functions as
    /// markers, in `done`.
    func readManifest(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        let read = try function(api, "read_manifest")
        guard
            let results = try withinLimits(memory: memory, seconds: seconds, { try read.call(source(job), chunk(job)) })
        else { return }
        var reader = WireLua(state: lua)
        reader.functionsAsMarkers = true
        let manifest = try reader.wire(results.first ?? .nil, what: "the manifest")
        try send(
            .record([
                ("op", .text("done")),
                ("values", .table(WireTable([WireEntry(.integer(1), manifest), WireEntry(.text("n"), .integer(1))]))),
            ]))
    }

    /// Loads a spec file (`source`, `chunk`) within the plugin's limits and sends the names of
    /// its cases in `done`; keeps its environment for the `case` jobs that follow.
    func loadSpec(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        let load = try function(api, "load_spec")
        let library = try lua.load(bytes: PluginSpecs.source, chunkName: "=fupin.spec", mode: "t").call().first ?? .nil
        guard
            let results = try withinLimits(
                memory: memory, seconds: seconds, { try load.call(source(job), chunk(job), library) })
        else { return }
        var reader = WireLua(state: lua)
        let names = try reader.wire(results.first ?? .nil, what: "the spec's cases")
        specAPI = api
        try send(.record([("op", .text("done")), ("values", names)]))
    }

    /// Runs case `index` of the spec file loaded last within the plugin's limits; sends `done`
    /// or `error`.
    func runCase(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        let run = try function(api, "run_case")
        let index = job["index"]?.integerValue ?? 0
        guard try withinLimits(memory: memory, seconds: seconds, { try run.call(.integer(index)) }) != nil else {
            return
        }
        try send(.record([("op", .text("done")), ("values", .list([]))]))
    }

    /// An `error` message for a failed command: a `ctx.fail` text, or the error's kind,
    /// message and traceback.
    static func describe(_ error: LuaError, state: LuaState) -> WireValue {
        if case .table(let t)? = error.value, let text = t.rawGet("fupin_fail").stringValue {
            return .record([("op", .text("error")), ("fail", .text(text))])
        }
        let kind: String
        switch error.kind {
        case .timeLimit: kind = "time"
        case .memory: kind = "memory"
        default: kind = "runtime"
        }
        var fields: [(String, WireValue)] = [
            ("op", .text("error")), ("kind", .text(kind)), ("message", .text(error.message)),
        ]
        if let traceback = error.traceback { fields.append(("traceback", .text(traceback))) }
        return .record(fields)
    }
}
