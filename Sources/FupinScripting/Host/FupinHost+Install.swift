import FupinCore
import LuaKit

extension FupinHost {
    /// Compiles the prelude with the natives and sets the global `fp`.
    func installAPI() throws {
        lua.register(RecordCursor.self, name: "fp.iterator") { c in
            c.toString { "fp.iterator(\($0.schema.name))" }
        }
        let fp = try makeFp(for: nil)
        self.fpTable = fp
        lua.setGlobal("fp", .table(fp))
    }

    /// A new `fp` object: its own query and collection tables (so changing one caller's
    /// objects cannot change another's) over natives acting under `caller`'s view (nil: the
    /// host's own view, for trusted code).
    public func makeFp(for caller: FpCaller?) throws -> LuaTable {
        let bodies = natives(for: caller)
        // Sized once: growing it native by native was a sixth of making `fp`.
        var functions = [LuaKey: LuaValue](minimumCapacity: bodies.count + 1)
        for (name, body) in bodies {
            functions[.string(LuaString(name))] = .function(lua.function(body))
        }
        functions["display_width"] = .function(lua.function(FpReport.widthNative))
        let prelude: LuaFunction
        if let compiled = compiledPrelude {
            prelude = compiled
        } else {
            prelude = try lua.load(bytes: FpPrelude.source, chunkName: "=fp", mode: "t")
            compiledPrelude = prelude
        }
        // fp.report is compiled when first used: most commands write no report, and compiling
        // its 28 kB was 4.6 M of `fupin eval 'return 1'`'s start-up instructions. Pushes the
        // module table.
        let report = lua.function { [unowned self] frame in
            let chunk: LuaFunction
            if let compiled = self.compiledReport {
                chunk = compiled
            } else {
                chunk = try self.lua.load(bytes: FpReport.source, chunkName: "=fp.report", mode: "t")
                self.compiledReport = chunk
            }
            frame.push(try chunk.call(frame.value(1)).first ?? .nil)
            return 1
        }
        let names = LuaValue.array(workspace.schema.names.map { .text($0) })
        guard case .table(let fp) = try prelude.call(.dictionary(functions), names, .function(report)).first else {
            throw LuaError(kind: .runtime, message: "the fp prelude returned no table")
        }
        if let caller { caller.fp = fp }
        return fp
    }

    /// Adds `fp.<name>` for collections registered after start-up (plugin ledgers), in the
    /// trusted `fp` and in every plugin's.
    public func refreshCollections() throws {
        let names = LuaValue.array(workspace.schema.names.map { .text($0) })
        for fp in [fpTable].compactMap({ $0 }) + extraFpTables() {
            if let refresh = fp.rawGet("_refresh").functionValue { try refresh.call(names) }
        }
    }
}
