import FupinCore
import FupinWire
import LuaKit
import ProcessConfinement
#if canImport(Glibc)
import Glibc
#endif

/// The worker mode of the executable (`fupin __plugin-worker`): receives one command to run,
/// confines itself, runs the plugin's code in its own Lua state and answers the host with
/// plain data (docs/worker-protocol.md). Everything the command needs from the workspace is a
/// request the host answers.
public enum PluginWorker {
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
            let start = try channel.receive()
            guard let job = start.tableValue, ["run", "manifest", "export"].contains(job["op"]?.textValue ?? "") else { return 2 }
            try run(job, session: session)
            return 0
        } catch let failure as WorkerChannel.Failure {
            // The host went away or sent nonsense: nothing to answer.
            _ = failure
            return 3
        } catch {
            try? channel.send(.record([("op", .text("error")), ("kind", .text("runtime")), ("message", .text("\(error)"))]))
            return 1
        }
    }

    static func run(_ job: WireTable, session: WorkerSession) throws {
        let channel = session.channel
        let memory = Int(job["memory"]?.integerValue ?? (256 << 20))
        let seconds: Double = { if case .number(let d)? = job["seconds"] { return d }; return Double(job["seconds"]?.integerValue ?? 60) }()
        // Everything that touches files happens before the filter (the time zone, the Lua
        // libraries, the compiled preludes: in main).
        let api = try session.makeEnvironment(job)
        WorkerConfinement.applyLimits(memoryBytes: memory, seconds: seconds)
        let filter = WorkerConfinement.installFilter()
        try channel.send(.record([("op", .text("started")), ("filter", filter.map(WireValue.text) ?? .nil)]))
        if job["op"]?.textValue == "export" {
            try session.callExport(job, api: api, memory: memory, seconds: seconds)
        } else if job["op"]?.textValue == "manifest" {
            try session.readManifest(job, api: api, memory: memory, seconds: seconds)
        } else {
            try session.runCommand(job, api: api, memory: memory, seconds: seconds)
        }
    }
}

/// One worker's Lua state and its requests to the host.
final class WorkerSession {
    let lua: LuaState
    let channel: WorkerChannel
    var recordMetatables: [String: LuaTable] = [:]

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
    }

    /// The metatable marking records of `collection` in this state (metadata only).
    func recordMetatable(_ collection: String) -> LuaTable? {
        if let mt = recordMetatables[collection] { return mt }
        guard case .table(let mt) = (try? lua.run(string: "return { __name = 'fp.record' }"))?.first ?? .nil else { return nil }
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
        guard case .table(let api) = try workerPrelude.call(.function(rpc), .function(notify), support, .function(prelude),
                                                   .string(LuaString(bytes: FpReport.source)), names, .table(env),
                                                   .function(lua.function(FpReport.widthNative))).first else {
            throw WorkerFailure("the worker prelude returned nothing")
        }
        for name in ["fp", "require", "print"] { env.rawSet(.string(LuaString(name)), api.rawGet(.string(LuaString(name)))) }
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

    /// Runs the command the job names within its limits and sends `done` or `error`.
    func runCommand(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        guard let run = api.rawGet("run_command").functionValue else { throw WorkerFailure("no run_command") }
        let toLua = WireLua(state: lua)
        let noMeta: (String) -> LuaTable? = { _ in nil }
        let args = toLua.luaValue(job["args"] ?? .list([]), recordMetatable: noMeta)
        let info = toLua.luaValue(job["info"] ?? .list([]), recordMetatable: noMeta)
        let results: [LuaValue]
        do {
            results = try lua.withTimeLimit(.milliseconds(Int64(seconds * 1000))) {
                try lua.withMemoryAllowance(memory) {
                    try run.call(.text(job["source"]?.textValue ?? ""), .text(job["chunk"]?.textValue ?? "=plugin.lua"),
                                 .text(job["command"]?.textValue ?? ""), args, info)
                }
            }
        } catch let error as LuaError {
            try send(WorkerSession.describe(error, state: lua))
            return
        }
        var reader = WireLua(state: lua)
        let values = try reader.wire(results.first ?? .nil, what: "the command's result")
        let shown = try reader.wire(results.count > 1 ? results[1] : .nil, what: "the command's result")
        try send(.record([("op", .text("done")), ("values", values), ("shown", shown)]))
    }

    /// Calls one function of the plugin's exports for another plugin (through the host) and
    /// sends its results, as a list, in `done`.
    func callExport(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        guard let call = api.rawGet("call_export").functionValue else { throw WorkerFailure("no call_export") }
        let args = WireLua(state: lua).luaValue(job["args"] ?? .list([]), recordMetatable: { _ in nil })
        let results: [LuaValue]
        do {
            results = try lua.withTimeLimit(.milliseconds(Int64(seconds * 1000))) {
                try lua.withMemoryAllowance(memory) {
                    try call.call(.text(job["source"]?.textValue ?? ""), .text(job["chunk"]?.textValue ?? "=plugin.lua"),
                                  .text(job["key"]?.textValue ?? ""), args)
                }
            }
        } catch let error as LuaError {
            try send(WorkerSession.describe(error, state: lua))
            return
        }
        var reader = WireLua(state: lua)
        let values = try reader.wire(results.first ?? .nil, what: "the exported function's results")
        try send(.record([("op", .text("done")), ("values", values)]))
    }

    /// Evaluates plugin.lua within the manifest limits and sends its result, functions as
    /// markers, in `done`.
    func readManifest(_ job: WireTable, api: LuaTable, memory: Int, seconds: Double) throws {
        guard let read = api.rawGet("read_manifest").functionValue else { throw WorkerFailure("no read_manifest") }
        let results: [LuaValue]
        do {
            results = try lua.withTimeLimit(.milliseconds(Int64(seconds * 1000))) {
                try lua.withMemoryAllowance(memory) {
                    try read.call(.text(job["source"]?.textValue ?? ""), .text(job["chunk"]?.textValue ?? "=plugin.lua"))
                }
            }
        } catch let error as LuaError {
            try send(WorkerSession.describe(error, state: lua))
            return
        }
        var reader = WireLua(state: lua)
        reader.functionsAsMarkers = true
        let manifest = try reader.wire(results.first ?? .nil, what: "the manifest")
        try send(.record([("op", .text("done")), ("values", .table(WireTable([WireEntry(.integer(1), manifest), WireEntry(.text("n"), .integer(1))])))]))
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
        var fields: [(String, WireValue)] = [("op", .text("error")), ("kind", .text(kind)), ("message", .text(error.message))]
        if let traceback = error.traceback { fields.append(("traceback", .text(traceback))) }
        return .record(fields)
    }
}
