import CLua
import CLuaShim

/// The standard libraries a state opens.
public struct LuaLibraries: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let base = LuaLibraries(rawValue: 1 << 0)
    public static let package = LuaLibraries(rawValue: 1 << 1)
    public static let coroutine = LuaLibraries(rawValue: 1 << 2)
    public static let table = LuaLibraries(rawValue: 1 << 3)
    public static let io = LuaLibraries(rawValue: 1 << 4)
    public static let os = LuaLibraries(rawValue: 1 << 5)
    public static let string = LuaLibraries(rawValue: 1 << 6)
    public static let math = LuaLibraries(rawValue: 1 << 7)
    public static let utf8 = LuaLibraries(rawValue: 1 << 8)
    public static let debug = LuaLibraries(rawValue: 1 << 9)

    /// Everything `lua` itself opens.
    public static let all: LuaLibraries = [
        .base, .package, .coroutine, .table, .io, .os, .string, .math, .utf8, .debug,
    ]
    /// The libraries with no access to files, processes or internals.
    public static let pure: LuaLibraries = [.base, .coroutine, .table, .string, .math, .utf8]

    static let names: [(LuaLibraries, String)] = [
        (.base, "_G"), (.package, "package"), (.coroutine, "coroutine"), (.table, "table"),
        (.io, "io"), (.os, "os"), (.string, "string"), (.math, "math"), (.utf8, "utf8"), (.debug, "debug"),
    ]
}

/// One Lua 5.4 interpreter.
///
/// Every call into Lua is protected (`lua_pcall` with a message handler that records a
/// traceback); errors come back as `LuaError`. Swift functions called from Lua never see a
/// `longjmp`: they return normally and a C trampoline raises their error afterwards.
/// A state is used from one thread at a time; only `interruptHandle` may be used from others.
///
/// ```swift
/// let lua = try LuaState()
/// let values = try lua.run(string: "return 6 * 7")   // [.integer(42)]
/// ```
public final class LuaState {
    /// The main thread's `lua_State *`.
    public let L: OpaquePointer
    /// Depth of protected calls from Swift currently running (limits apply per top-level call).
    var callDepth = 0
    /// Per-type metatable names of registered Swift classes.
    var registeredClasses: [ObjectIdentifier: String] = [:]
    /// Time limit for each top-level call, if any.
    var timeLimitNanoseconds: Int64 = 0

    /// Creates a state with the given standard libraries open.
    public init(libraries: LuaLibraries = .all) throws {
        _ = LuaState.bootstrap
        guard let L = clua_newstate() else {
            throw LuaError(kind: .memory, message: "cannot create a Lua state")
        }
        self.L = L
        clua_getlimits(L).pointee.host = Unmanaged.passUnretained(self).toOpaque()
        for (lib, name) in LuaLibraries.names where libraries.contains(lib) {
            let libName = lib == .base ? "base" : name
            if clua_openlib(L, libName) != LUA_OK {
                let message = popErrorText(L)
                clua_close(L)
                throw LuaError(kind: .memory, message: "cannot open library \(name): \(message)")
            }
        }
    }

    deinit {
        clua_close(L)
    }

    /// Registers, once per process, the functions the C trampoline calls.
    private static let bootstrap: Void = {
        clua_set_dispatch(luakitDispatch)
        clua_set_release(luakitRelease)
    }()

    /// The state that owns `L` (any thread of it), from its limits record.
    static func owner(of L: OpaquePointer) -> LuaState {
        Unmanaged<LuaState>.fromOpaque(clua_getlimits(L).pointee.host).takeUnretainedValue()
    }

    /// The global table.
    public var globals: LuaTable {
        clua_pushglobaltable(L)
        return LuaTable(state: self, popping: L)
    }

    /// Sets a global variable (raw: no metamethods of `_G` run, so nothing can raise here).
    public func setGlobal(_ name: String, _ value: LuaValue) {
        clua_pushglobaltable(L)
        pushString(name, on: L)
        push(value, on: L)
        lua_rawset(L, -3)
        clua_pop(L, 1)
    }

    /// Reads a global variable (raw: no metamethods of `_G` run).
    public func global(_ name: String) -> LuaValue {
        clua_pushglobaltable(L)
        lua_pushstring(L, name)
        lua_rawget(L, -2)
        let v = value(at: -1, on: L)
        clua_pop(L, 2)
        return v
    }

    /// Runs a full garbage collection.
    public func collectGarbage() { clua_gc_collect(L) }

    /// Pops the error value on top of `L` and returns it as text, never raising.
    func popErrorText(_ L: OpaquePointer) -> String {
        var text = "(error object is a \(String(cString: lua_typename(L, lua_type(L, -1)))) value)"
        if clua_ptostring(L, -1) == LUA_OK, let s = string(at: -1, on: L) {
            text = s
        }
        clua_pop(L, 2)
        return text
    }
}
