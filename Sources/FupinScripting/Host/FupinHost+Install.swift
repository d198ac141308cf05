import CLua
import CLuaShim
import FupinCore
import LuaKit

extension FupinHost {
    /// Compiles the prelude with the natives and sets the global `fp`.
    func installAPI() throws {
        lua.register(RecordCursor.self, name: "fp.iterator") { c in
            c.toString { "fp.iterator(\($0.schema.name))" }
        }
        var functions: [LuaKey: LuaValue] = [:]
        for (name, body) in natives() {
            functions[.string(LuaString(name))] = .function(lua.function(body))
        }
        let prelude = try lua.load(string: FpPrelude.source, chunkName: "=fp", mode: "t")
        let names = LuaValue.array(workspace.schema.names.map { .text($0) })
        guard case .table(let fp) = try prelude.call(.dictionary(functions), names).first else {
            throw LuaError(kind: .runtime, message: "the fp prelude returned no table")
        }
        self.fpTable = fp
        lua.setGlobal("fp", .table(fp))
    }

    /// Adds `fp.<name>` for collections registered after start-up (plugin ledgers).
    public func refreshCollections() throws {
        guard let refresh = try fpTable?.get("_refresh").functionValue else { return }
        try refresh.call(.array(workspace.schema.names.map { .text($0) }))
    }
}
