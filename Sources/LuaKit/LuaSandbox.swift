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
        let chunk = try load(string: LuaState.sandboxSource, chunkName: "=luakit.sandbox", mode: "t")
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

    static let sandboxSource = #"""
    local G = ...
    local function copy(t, except)
      local c = {}
      for k, v in G.pairs(t or {}) do if not (except and except[k]) then c[k] = v end end
      return c
    end
    local type, error, pairs, setmetatable, getmetatable, load = G.type, G.error, G.pairs, G.setmetatable, G.getmetatable, G.load
    local tostring = G.tostring
    local stringlib = G.string
    local libs = { table = copy(G.table), math = copy(G.math), utf8 = copy(G.utf8), coroutine = copy(G.coroutine) }
    local os = G.os or {}
    local ostime, osdate, osclock, gc = os.time, os.date, os.clock, G.collectgarbage
    local base = {}
    for _, k in G.ipairs { "assert", "error", "ipairs", "next", "pairs", "pcall", "print", "rawequal",
        "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall",
        "_VERSION" } do
      base[k] = G[k]
    end
    local dumpless = copy(stringlib, { dump = true })

    -- The shared string metatable serves methods without `dump`, once and for all.
    local smt = getmetatable("")
    if smt and smt.__index == stringlib then smt.__index = dumpless end

    local function locked(name)
      return setmetatable({}, {
        __index = function(_, k) error("the " .. name .. " cannot be read in the sandbox", 2) end,
        __newindex = function() error("the " .. name .. " cannot be changed in the sandbox", 2) end,
        __metatable = false,
      })
    end
    local lockedStringMeta = locked("string metatable")

    local function build()
      local env = copy(base)
      env.string = copy(dumpless)
      for name, lib in pairs(libs) do env[name] = copy(lib) end
      env.os = { time = ostime, date = osdate, clock = osclock }
      env.getmetatable = function(o)
        if type(o) == "string" then return lockedStringMeta end
        return getmetatable(o)
      end
      -- No finalizers: a __gc runs whenever the collector gets to it — after the code that
      -- armed it has ended, outside its limits and its unit of work, even while the host
      -- shuts down. Lua marks an object for finalization only if its metatable has a __gc
      -- field when set, so refusing it here covers a field added later too.
      env.setmetatable = function(t, mt)
        if type(mt) == "table" and G.rawget(mt, "__gc") ~= nil then
          error("setmetatable: finalizers (__gc) are not allowed in the sandbox (they would run after the command ends)", 2)
        end
        return setmetatable(t, mt)
      end
      env.collectgarbage = function(opt, ...)
        if opt == "count" then return gc("count") end
        error("collectgarbage('" .. tostring(opt) .. "') is not allowed in the sandbox", 2)
      end
      env.load = function(chunk, name, mode, _)
        if type(chunk) == "string" and chunk:byte(1) == 27 then
          return nil, "binary chunks are not allowed in the sandbox"
        end
        return load(chunk, name, "t", env)
      end
      env._G = env
      setmetatable(env, { __metatable = "the sandbox environment is locked" })
      return env
    end
    return build
    """#
}
