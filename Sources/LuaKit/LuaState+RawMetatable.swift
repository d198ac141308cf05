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

    /// Field `name` of the metatable of the value at `index` of `L` as text, read raw as
    /// `luaL_getmetafield` does: nil when there is no metatable, no such field, or it is not a
    /// string. A metatable's own metatable never runs (a hostile `__index` there would
    /// otherwise raise across the caller's Swift frames). Leaves the stack as it was.
    public func metafieldString(_ name: String, ofValueAt index: Int32, on L: OpaquePointer) -> String? {
        guard luaL_getmetafield(L, index, name) != LUA_TNIL else { return nil }
        defer { clua_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TSTRING else { return nil }
        return string(at: -1, on: L)
    }
}
