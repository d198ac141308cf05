import CLua
import CLuaShim

/// Loading and running chunks, and the protected call every entry into Lua goes through.
extension LuaState {
    /// Compiles a chunk without running it. `chunkName` follows Lua: "=name" is shown as is,
    /// "@file" as a file name. `mode` is "t", "b" or "bt".
    ///
    /// ```swift
    /// let f = try lua.load(string: "return ...", chunkName: "=demo")
    /// ```
    public func load(string source: String, chunkName: String = "=(load)", mode: String = "bt") throws -> LuaFunction {
        try load(bytes: Array(source.utf8), chunkName: chunkName, mode: mode)
    }

    /// Compiles a chunk from raw bytes.
    public func load(bytes: [UInt8], chunkName: String, mode: String = "bt") throws -> LuaFunction {
        let status = bytes.withUnsafeBytes { raw -> Int32 in
            let chars = raw.bindMemory(to: CChar.self)
            return clua_loadbuffer(L, chars.baseAddress, chars.count, chunkName, mode)
        }
        if status != LUA_OK { throw takeError(status: status, on: L) }
        return LuaFunction(state: self, popping: L)
    }

    /// Compiles a file (a first line starting with `#` is skipped, as `lua` does).
    public func load(file path: String) throws -> LuaFunction {
        let status = luaL_loadfilex(L, path, nil)
        if status == LUA_ERRFILE {
            let message = string(at: -1, on: L) ?? "cannot open \(path)"
            clua_pop(L, 1)
            throw LuaError(kind: .file, message: message)
        }
        if status != LUA_OK { throw takeError(status: status, on: L) }
        return LuaFunction(state: self, popping: L)
    }

    /// Compiles and runs a chunk; returns what it returns.
    ///
    /// ```swift
    /// try lua.run(string: "return 1, 'two'")   // [.integer(1), .string("two")]
    /// ```
    @discardableResult
    public func run(string source: String, chunkName: String = "=(string)") throws -> [LuaValue] {
        try load(string: source, chunkName: chunkName).call(arguments: [])
    }

    /// Compiles and runs a file with `arguments` as its `...`; returns what it returns.
    @discardableResult
    public func run(file path: String, arguments: [LuaValue] = []) throws -> [LuaValue] {
        try load(file: path).call(arguments: arguments)
    }

    /// Calls the function below `arguments` values on `L` under `clua_pcall_traced`, applying
    /// the time limit to top-level calls. Leaves the results, or throws with the stack restored
    /// to below the function.
    func protectedCall(_ L: OpaquePointer, arguments: Int32, results: Int32) throws {
        let limits = clua_getlimits(L)!
        if callDepth == 0 {
            clua_reset_trip(L)
            if timeLimitNanoseconds > 0 {
                limits.pointee.deadline_ns = clua_now_ns() + timeLimitNanoseconds
                clua_install_limit_hook(L)
            }
        }
        callDepth += 1
        let status = clua_pcall_traced(L, arguments, results)
        callDepth -= 1
        defer {
            if callDepth == 0 {
                limits.pointee.deadline_ns = 0
                clua_reset_trip(L)
            }
        }
        if status != LUA_OK { throw takeError(status: status, on: L) }
    }

    /// Pops every value above `base` and returns them in order. A call may leave results up to
    /// the very end of the stack, and reading a table takes one more slot: when even that one
    /// cannot be had, the results are dropped and this throws.
    func popResults(above base: Int32, on L: OpaquePointer) throws -> [LuaValue] {
        let top = lua_gettop(L)
        guard top > base else { return [] }
        guard lua_checkstack(L, 1) != 0 else {
            lua_settop(L, base)
            throw LuaError(kind: .runtime, message: "too many results (\(top - base)) from a Lua call")
        }
        var results: [LuaValue] = []
        results.reserveCapacity(Int(top - base))
        for i in (base + 1)...top { results.append(value(at: i, on: L)) }
        lua_settop(L, base)
        return results
    }

    /// After a protected single-result helper: returns the result (popping it and `extra`
    /// values below), or throws its error.
    func finishProtected(_ status: Int32, on L: OpaquePointer, popping extra: Int32) throws -> LuaValue {
        if status != LUA_OK { throw takeError(status: status, on: L, poppingAlso: extra) }
        let v = value(at: -1, on: L)
        clua_pop(L, 1 + extra)
        return v
    }

    /// Turns the error value on top of `L` into a `LuaError` and pops it (and `extra` more).
    func takeError(status: Int32, on L: OpaquePointer, poppingAlso extra: Int32 = 0) -> LuaError {
        let errorValue = value(at: -1, on: L)
        let message: String
        if case .string(let s) = errorValue {
            message = s.description
        } else if clua_ptostring(L, -1) == LUA_OK, let s = string(at: -1, on: L) {
            message = s
            clua_pop(L, 1)
        } else {
            clua_pop(L, 1)
            message = "(error object is a \(errorValue.typeName) value)"
        }
        clua_pop(L, 1 + extra)
        var traceback: String? = nil
        if status == LUA_ERRRUN {
            // Raw: a registry given a metatable (debug.setmetatable) runs nothing here.
            _ = clua_rawgetfield(L, clua_registryindex(), CLUA_TRACEBACK_KEY)
            traceback = string(at: -1, on: L)
            clua_pop(L, 1)
            lua_pushnil(L)
            clua_rawsetfield(L, clua_registryindex(), CLUA_TRACEBACK_KEY)
        }
        var kind: LuaError.Kind
        switch status {
        case LUA_ERRSYNTAX: kind = .syntax
        case LUA_ERRMEM: kind = .memory
        case LUA_ERRERR: kind = .handler
        default: kind = .runtime
        }
        if kind == .runtime, let limits = clua_getlimits(L) {
            switch Int(limits.pointee.tripped) {
            case Int(CLUA_TRIP_TIME): kind = .timeLimit
            case Int(CLUA_TRIP_INTERRUPT): kind = .interrupted
            default: break
            }
        }
        let keptValue: LuaValue?
        switch errorValue {
        case .string: keptValue = nil
        default: keptValue = errorValue
        }
        return LuaError(kind: kind, message: message, traceback: traceback, value: keptValue)
    }
}
