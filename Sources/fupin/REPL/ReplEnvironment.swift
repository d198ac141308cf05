import FupinREPL
import LuaKit

/// The `_ENV` every REPL input runs in: REPL locals first, then the real globals.
///
/// Design: one Lua table `E` holds the values of names declared at the prompt (`local x`,
/// rewritten by `LocalRewriter`, and `_`), and a set `declared` remembers which names are
/// REPL locals even while they hold nil. `E`'s metatable sends everything else to `_G`:
///
/// - reading a name: a REPL local's value, else `_G[name]`;
/// - assigning a name: a REPL local is updated in `E`, anything else goes to `_G`
///   (so `x = 1` still makes a global, as in `lua`);
/// - `__fupin_repl.name = v` (what `local name = v` becomes) declares `name` in `E`.
///
/// So a local typed on one line is readable and assignable on later lines, and by functions
/// defined at the prompt, without ever becoming a real global. Inputs are compiled with the
/// standard `load(source, name, "t", E)`, captured before user code runs.
///
/// ```swift
/// let env = try ReplEnvironment(lua: lua)
/// try env.compile("local x = 41", chunkName: "=stdin").get().call()
/// env.value(of: "x")        // .integer(41); lua.global("x") is still nil
/// ```
final class ReplEnvironment {
    let lua: LuaState
    /// The environment table (`E`).
    let table: LuaTable
    /// Names declared at the prompt, as keys with value `true`.
    let declared: LuaTable
    private let compileString: LuaFunction
    private let compileFile: LuaFunction

    private static let bootstrap = """
        local G, load, loadfile = ...
        local rawget, rawset, setmetatable = rawget, rawset, setmetatable
        local declared, E = {}, {}
        local D = setmetatable({}, {
          __newindex = function(_, k, v) declared[k] = true; rawset(E, k, v) end,
          __index = function(_, k) return rawget(E, k) end,
        })
        setmetatable(E, {
          __index = function(_, k)
            if declared[k] then return nil end
            if k == "\(LocalRewriter.proxyName)" then return D end
            return G[k]
          end,
          __newindex = function(t, k, v)
            if declared[k] then rawset(t, k, v) else G[k] = v end
          end,
        })
        local function compile(source, name) return load(source, name, "t", E) end
        local function compilefile(path) return loadfile(path, "bt", E) end
        return E, declared, compile, compilefile
        """

    init(lua: LuaState) throws {
        self.lua = lua
        let setup = try lua.load(string: ReplEnvironment.bootstrap, chunkName: "=(repl environment)")
        let parts = try setup.call(.table(lua.globals), lua.global("load"), lua.global("loadfile"))
        guard parts.count == 4, let table = parts[0].tableValue, let declared = parts[1].tableValue,
            let compileString = parts[2].functionValue, let compileFile = parts[3].functionValue
        else {
            throw LuaError(
                kind: .runtime, message: "the REPL environment could not be built (load or loadfile missing?)")
        }
        self.table = table
        self.declared = declared
        self.compileString = compileString
        self.compileFile = compileFile
    }

    /// Compiles `source` with this environment; a syntax error comes back as a failure
    /// (kind `.syntax`), so callers can tell an incomplete chunk from a wrong one.
    func compile(_ source: String, chunkName: String) throws -> Result<LuaFunction, LuaError> {
        try loaded(compileString.call(.text(source), .text(chunkName)))
    }

    /// Compiles the file at `path` with this environment.
    func compile(file path: String) throws -> Result<LuaFunction, LuaError> {
        try loaded(compileFile.call(.text(path)))
    }

    private func loaded(_ results: [LuaValue]) -> Result<LuaFunction, LuaError> {
        if let function = results.first?.functionValue { return .success(function) }
        let message = results.count > 1 ? results[1].description : "cannot compile"
        return .failure(LuaError(kind: .syntax, message: message))
    }

    /// Declares (or updates) a REPL local.
    func declare(_ name: String, _ value: LuaValue) {
        declared.rawSet(.string(LuaString(name)), true)
        table.rawSet(.string(LuaString(name)), value)
    }

    /// Whether `name` is a REPL local.
    func isDeclared(_ name: String) -> Bool {
        declared.rawGet(.string(LuaString(name))).isTruthy
    }

    /// The value a name has at the prompt, read raw (a REPL local, else the raw global).
    func value(of name: String) -> LuaValue {
        let key = LuaKey.string(LuaString(name))
        if isDeclared(name) { return table.rawGet(key) }
        return lua.globals.rawGet(key)
    }

    /// The names of REPL locals, sorted.
    var localNames: [String] {
        var names: [String] = []
        declared.forEach { key, _ in
            if case .string(let s)? = key, let name = s.string { names.append(name) }
        }
        return names.sorted()
    }
}
