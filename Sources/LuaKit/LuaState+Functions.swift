import CLua
import CLuaShim

/// The body of a Swift function called from Lua, at the lowest level: read the arguments
/// from `frame`, push the results, return how many were pushed. Throwing raises a Lua error
/// (after this Swift frame has returned).
public typealias LuaFunctionBody = (LuaCallFrame) throws -> Int32

/// The arguments of one call from Lua into Swift, and where its results go.
///
/// ```swift
/// lua.register("twice") { frame in
///     frame.push(try frame.integer(1) * 2)
///     return 1
/// }
/// ```
public struct LuaCallFrame {
    /// The Lua thread making the call (the main thread or a coroutine).
    public let L: OpaquePointer
    /// The owning state, unretained: a frame only lives during the call, while the state does.
    @usableFromInline let stateRef: Unmanaged<LuaState>

    /// The state the call belongs to.
    public var state: LuaState { stateRef.takeUnretainedValue() }

    /// How many arguments were passed.
    public var argumentCount: Int32 { lua_gettop(L) }

    /// Argument `i` (1-based) as a value.
    public func value(_ i: Int32) -> LuaValue { state.value(at: i, on: L) }

    /// All arguments as values.
    public var arguments: [LuaValue] {
        let n = lua_gettop(L)
        return n == 0 ? [] : (1...n).map { state.value(at: $0, on: L) }
    }

    /// Argument `i` as an integer (a float with an integral value is accepted, as in Lua).
    @inlinable public func integer(_ i: Int32) throws -> Int64 {
        var isNum: Int32 = 0
        let v = lua_tointegerx(L, i, &isNum)
        if isNum == 0 {
            // As Lua says it: a float without an integer value, else the wrong type.
            if lua_type(L, i) == LUA_TNUMBER {
                throw argumentError(i, expected: "number has no integer representation", typeOnly: true)
            }
            throw argumentError(i, expected: "number")
        }
        return v
    }

    /// Argument `i` as a float.
    @inlinable public func number(_ i: Int32) throws -> Double {
        var isNum: Int32 = 0
        let v = lua_tonumberx(L, i, &isNum)
        if isNum == 0 { throw argumentError(i, expected: "number") }
        return v
    }

    /// Argument `i` as text (numbers are converted, as Lua does).
    public func string(_ i: Int32) throws -> String {
        guard lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER, let s = state.string(at: i, on: L) else {
            throw argumentError(i, expected: "string")
        }
        return s
    }

    /// Argument `i` as text, or nil when absent or nil.
    public func optionalString(_ i: Int32) throws -> String? {
        clua_isnoneornil(L, i) != 0 ? nil : try string(i)
    }

    /// Pushes `values` as results after making room for them; returns how many, for the
    /// body to return. Past Lua's stack limit it throws "too many results" (raised in Lua).
    public func push(results values: [LuaValue]) throws -> Int32 {
        try state.push(values: values, on: L)
        return Int32(values.count)
    }

    /// Pushes a result (one of a fixed few: Lua leaves a C function 20 free slots; a count
    /// the caller controls goes through `push(results:)`).
    public func push(_ value: LuaValue) { state.push(value, on: L) }
    @inlinable public func push(_ i: Int64) { lua_pushinteger(L, i) }
    @inlinable public func push(_ d: Double) { lua_pushnumber(L, d) }
    public func push(_ s: String) { state.pushString(s, on: L) }
    @inlinable public func push(_ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }
    @inlinable public func pushNil() { lua_pushnil(L) }

    /// The error Lua's `luaL_argerror` would give: "bad argument #i (number expected, got nil)".
    public func argumentError(_ i: Int32, expected: String, typeOnly: Bool = false) -> LuaScriptError {
        let got = String(cString: lua_typename(L, lua_type(L, i)))
        if typeOnly { return LuaScriptError("bad argument #\(i) (\(expected))") }
        return LuaScriptError("bad argument #\(i) (\(expected) expected, got \(got == "no value" ? "no value" : got))")
    }
}

/// A Swift function as Lua holds it (the box behind the trampoline's upvalue).
final class FunctionBox {
    let body: LuaFunctionBody
    init(_ body: @escaping LuaFunctionBody) { self.body = body }
}

/// The one C-callable entry from the trampoline into Swift: runs the body, and on a throw
/// pushes the error value and returns -1 so the trampoline raises it after we return.
let luakitDispatch: @convention(c) (OpaquePointer, UnsafeMutableRawPointer?, UnsafeMutableRawPointer) -> Int32 = {
    L, box, host in
    // A NULL box: the function's holder was already finalized (a resurrecting finalizer).
    guard let box else { return 0 }
    // Hot path: no retain/release of the box or the state (both outlive the call).
    let frame = LuaCallFrame(L: L, stateRef: Unmanaged.fromOpaque(host))
    return Unmanaged<FunctionBox>.fromOpaque(box)._withUnsafeGuaranteedRef { function in
        do {
            return try function.body(frame)
        } catch {
            // Drop whatever the body pushed before it threw: the error needs a few slots of
            // its own, and only the LUA_MINSTACK slots above the arguments are certain.
            lua_settop(L, 0)
            frame.state.pushError(error, on: L)
            return -1
        }
    }
}

/// Called by a box holder's `__gc`: balances the retain made when the box was pushed.
let luakitRelease: @convention(c) (UnsafeMutableRawPointer?) -> Void = { box in
    guard let box else { return }
    Unmanaged<AnyObject>.fromOpaque(box).release()
}

extension LuaState {
    /// Pushes a Swift function as a Lua function. Leaves one function on the stack.
    public func pushFunction(_ body: @escaping LuaFunctionBody, on L: OpaquePointer) {
        let box = Unmanaged.passRetained(FunctionBox(body)).toOpaque()
        clua_push_swift_function(L, box)
    }

    /// A Swift function as a Lua value, at the lowest level (see `LuaFunctionBody`).
    public func function(_ body: @escaping LuaFunctionBody) -> LuaFunction {
        pushFunction(body, on: L)
        return LuaFunction(state: self, popping: L)
    }

    /// A Swift function taking and returning values.
    ///
    /// ```swift
    /// let f = lua.function { args in [.integer(Int64(args.count))] }
    /// ```
    public func function(_ body: @escaping ([LuaValue]) throws -> [LuaValue]) -> LuaFunction {
        function { (frame: LuaCallFrame) in
            try frame.push(results: try body(frame.arguments))
        }
    }

    /// Sets global `name` to a Swift function (lowest level).
    public func register(_ name: String, _ body: @escaping LuaFunctionBody) {
        clua_pushglobaltable(L)
        pushString(name, on: L)
        pushFunction(body, on: L)
        lua_rawset(L, -3)  // raw, as setGlobal: `_G`'s metamethods never run from Swift
        clua_pop(L, 1)
    }

    /// Sets global `name` to a Swift function taking and returning values.
    public func register(_ name: String, values body: @escaping ([LuaValue]) throws -> [LuaValue]) {
        setGlobal(name, .function(function(body)))
    }

    /// Pushes the Lua error value for a Swift error: the original value of a `LuaError`
    /// (so errors pass through Swift unchanged), or the message with the caller's position.
    func pushError(_ error: Error, on L: OpaquePointer) {
        switch error {
        case let e as LuaError:
            if let v = e.value { push(v, on: L) } else { pushString(e.message, on: L) }
        case let e as LuaErrorValueConvertible:
            push(e.luaErrorValue, on: L)
        case let e as LuaScriptError where !e.addsPosition:
            pushString(e.message, on: L)
        default:
            luaL_where(L, 1)
            pushString(String(describing: error), on: L)
            lua_concat(L, 2)
        }
    }
}
