import CLua
import CLuaShim

/// A Lua value held by Swift through a registry reference, released on deinit.
///
/// A reference keeps its state alive. It belongs to the state's thread: it is not `Sendable`,
/// so the compiler refuses to hand it to another thread.
public class LuaRef {
    public let state: LuaState
    let ref: Int32

    /// Takes the value on top of `L` into the registry (pops it).
    init(state: LuaState, popping L: OpaquePointer) {
        self.state = state
        self.ref = clua_ref(L)
    }

    deinit {
        clua_unref(state.L, ref)
    }

    /// Pushes the referenced value. Leaves one value on the stack.
    public func push(on L: OpaquePointer) {
        _ = clua_getref(L, ref)
    }

    /// Lua's type name of the referenced value.
    public var typeName: String {
        let L = state.L
        push(on: L)
        defer { clua_pop(L, 1) }
        return String(cString: lua_typename(L, lua_type(L, -1)))
    }

    /// Whether two references name the same Lua object (`rawequal`).
    public func isSame(as other: LuaRef) -> Bool {
        let L = state.L
        push(on: L)
        other.push(on: L)
        defer { clua_pop(L, 2) }
        return lua_rawequal(L, -1, -2) != 0
    }
}

// Explicitly not Sendable (as GRDB marks its cursors): a reference is used on its state's
// thread only, and subclasses inherit the refusal.
@available(*, unavailable)
extension LuaRef: Sendable {}

/// A Lua function held by Swift.
///
/// ```swift
/// let add = try lua.run(string: "return function(a, b) return a + b end")[0].functionValue!
/// try add.call(1, 2)   // [.integer(3)]
/// ```
public final class LuaFunction: LuaRef {
    /// Calls the function with `arguments` under a protected call; returns all its results.
    @discardableResult
    public func call(_ arguments: LuaValue...) throws -> [LuaValue] {
        try call(arguments: arguments)
    }

    /// Calls the function with an array of arguments; returns all its results.
    @discardableResult
    public func call(arguments: [LuaValue]) throws -> [LuaValue] {
        let L = state.L
        let base = lua_gettop(L)
        do {
            // The function, its arguments, and the message handler the protected call adds.
            try state.reserveStack(arguments.count + 2, on: L)
        } catch {
            throw LuaError(kind: .runtime, message: "too many arguments (\(arguments.count)) for a Lua call")
        }
        push(on: L)
        for a in arguments { state.push(a, on: L) }
        try state.protectedCall(L, arguments: Int32(arguments.count), results: LUA_MULTRET)
        return try state.popResults(above: base, on: L)
    }
}

/// A Lua table held by Swift. `get`/`set` run metamethods under protection; the `raw`
/// variants and conversions do not run any.
///
/// ```swift
/// let t = lua.globals
/// try t.set("answer", 42)
/// try t.get("answer")        // .integer(42)
/// ```
public final class LuaTable: LuaRef {
    /// `t[key]`, running `__index` if needed.
    public func get(_ key: LuaKey) throws -> LuaValue {
        let L = state.L
        push(on: L)
        state.push(key.value, on: L)
        let status = clua_pgettable(L, -2)
        return try state.finishProtected(status, on: L, popping: 1)
    }

    /// `t[key] = value`, running `__newindex` if needed.
    public func set(_ key: LuaKey, _ value: LuaValue) throws {
        let L = state.L
        push(on: L)
        state.push(key.value, on: L)
        state.push(value, on: L)
        let status = clua_psettable(L, -3)
        if status != LUA_OK {
            throw state.takeError(status: status, on: L, poppingAlso: 1)
        }
        clua_pop(L, 1)
    }

    /// `rawget(t, key)`.
    public func rawGet(_ key: LuaKey) -> LuaValue {
        let L = state.L
        push(on: L)
        state.push(key.value, on: L)
        lua_rawget(L, -2)
        let v = state.value(at: -1, on: L)
        clua_pop(L, 2)
        return v
    }

    /// `rawset(t, key, value)`. A NaN key, which Lua refuses with an error, is ignored.
    public func rawSet(_ key: LuaKey, _ value: LuaValue) {
        if case .number(let d) = key, d.isNaN { return }
        let L = state.L
        push(on: L)
        state.push(key.value, on: L)
        state.push(value, on: L)
        lua_rawset(L, -3)
        clua_pop(L, 1)
    }

    /// The raw length `#t` (no `__len`).
    public var rawLength: Int {
        let L = state.L
        push(on: L)
        defer { clua_pop(L, 1) }
        return Int(lua_rawlen(L, -1))
    }

    /// The values at keys 1...#t (raw).
    public func toArray() -> [LuaValue] {
        let L = state.L
        push(on: L)
        defer { clua_pop(L, 1) }
        let n = lua_rawlen(L, -1)
        var result: [LuaValue] = []
        result.reserveCapacity(Int(n))
        var i: lua_Integer = 1
        while i <= lua_Integer(n) {
            lua_rawgeti(L, -1, i)
            result.append(state.value(at: -1, on: L))
            clua_pop(L, 1)
            i += 1
        }
        return result
    }

    /// Every key and value (raw). Keys that are not numbers, strings or booleans are skipped.
    public func toDictionary() -> [LuaKey: LuaValue] {
        var result: [LuaKey: LuaValue] = [:]
        forEach { key, value in
            if let key { result[key] = value }
        }
        return result
    }

    /// Calls `body` for each raw entry, in `next` order; a key of another kind is passed as nil.
    /// `lua_next` raises only for a key missing from the table, which only adding keys during
    /// the walk can cause: `body` must not add keys to this table.
    public func forEach(_ body: (LuaKey?, LuaValue) -> Void) {
        let L = state.L
        push(on: L)
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            let key: LuaKey?
            switch state.value(at: -2, on: L) {
            case .integer(let i): key = .integer(i)
            case .number(let d): key = .number(d)
            case .string(let s): key = .string(s)
            case .boolean(let b): key = .boolean(b)
            default: key = nil
            }
            body(key, state.value(at: -1, on: L))
            clua_pop(L, 1)
        }
        clua_pop(L, 1)
    }
}
