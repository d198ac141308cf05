import CLua
import CLuaShim

/// Builds environments for untrusted code from an allow-list (DESIGN.md "Trust").
///
/// Each environment gets its own copies of the library tables, so one sandbox cannot change
/// what another sees. What is absent: io, debug, package, dofile, loadfile, string.dump,
/// binary chunks, os except time/date/clock, collectgarbage except "count", and any way to
/// reach or change the shared string metatable. The environment's own metatable is locked.
///
/// ```swift
/// let env = try lua.makeSandbox()
/// let f = try lua.load(string: "return os.time()", chunkName: "=plugin", mode: "t")
/// try lua.setEnvironment(of: f, to: env)
/// ```
extension LuaState {
    /// A fresh sandbox environment. `extra` entries are added to it (e.g. `fp`, `require`).
    public func makeSandbox(extra: [String: LuaValue] = [:]) throws -> LuaTable {
        let builder = try sandboxBuilder()
        guard let env = try builder.call().first?.tableValue else {
            throw LuaError(kind: .runtime, message: "sandbox builder returned no table")
        }
        for (k, v) in extra { env.rawSet(.string(LuaString(k)), v) }
        return env
    }

    /// Loads `source` as text (never bytecode) with `env` as its only environment.
    public func loadSandboxed(string source: String, chunkName: String, env: LuaTable) throws -> LuaFunction {
        let f = try load(string: source, chunkName: chunkName, mode: "t")
        try setEnvironment(of: f, to: env)
        return f
    }

    /// Sets the first upvalue (`_ENV`) of a freshly loaded chunk (no metamethods run).
    public func setEnvironment(of function: LuaFunction, to env: LuaTable) throws {
        function.push(on: L)
        env.push(on: L)
        let name = lua_setupvalue(L, -2, 1)
        if name == nil { clua_pop(L, 1) }
        clua_pop(L, 1)
        if name == nil { throw LuaError(kind: .runtime, message: "function has no _ENV upvalue") }
    }

    /// The builder function, compiled once per state and kept in the registry. It closes
    /// over the globals of that moment, so later changes to `_G` cannot subvert sandboxes.
    private func sandboxBuilder() throws -> LuaFunction {
        let key = LuaKey.string(LuaString("luakit.sandbox.builder"))
        let registry = self.registry
        if case .function(let f) = registry.rawGet(key) { return f }
        let chunk = try load(bytes: LuaState.sandboxSource, chunkName: "=luakit.sandbox", mode: "t")
        guard let builder = try chunk.call(.table(globals)).first?.functionValue else {
            throw LuaError(kind: .runtime, message: "the sandbox builder did not compile")
        }
        registry.rawSet(key, .function(builder))
        return builder
    }

    /// The registry table.
    public var registry: LuaTable {
        lua_pushvalue(L, clua_registryindex())
        return LuaTable(state: self, popping: L)
    }

    /// The builder's Lua: `lua/sandbox.lua`, compiled into the binary (Package.swift).
    static var sandboxSource: [UInt8] { PackageResources.sandbox_lua }
}
