import CLua
import CLuaShim

/// Reading a value's metatable without running anything, for tools that must never call
/// user code (the REPL's tab completion walks `__index` tables this way).
extension LuaState {
    /// The metatable of `value`, read raw: a `__metatable` field is not honoured and no
    /// metamethod runs. Strings share one metatable (the `string` library's); nil for
    /// values without one.
    ///
    /// ```swift
    /// let s: LuaValue = "abc"
    /// lua.rawMetatable(of: s)?.rawGet("__index")   // the string table
    /// ```
    public func rawMetatable(of value: LuaValue) -> LuaTable? {
        push(value, on: L)
        defer { clua_pop(L, 1) }
        guard lua_getmetatable(L, -1) != 0 else { return nil }
        return LuaTable(state: self, popping: L)
    }
}
