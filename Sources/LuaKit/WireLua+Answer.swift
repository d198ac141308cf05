import CLua
import CLuaShim

extension WireLua {
    /// What the host answered to a worker's request.
    public enum Answer {
        /// The request succeeded; this many values are on the stack.
        case values(Int32)
        /// The host refused it, saying why.
        case refused(String)
    }

    /// Unpacks the answer table `{ ok, error, values = { n = k, ... } }` at the top of `L`
    /// (as `pushDecoded` built it). Leaves the answer's values (at most 250) in its place when
    /// it is `ok`, nothing when it is refused; throws, leaving the answer, when it is no table.
    public func unpackAnswer(on L: OpaquePointer) throws -> Answer {
        let answer = lua_gettop(L)
        guard lua_type(L, answer) == LUA_TTABLE else { throw LuaScriptError("the host sent no answer") }
        lua_pushstring(L, "ok")
        lua_rawget(L, answer)
        let ok = lua_toboolean(L, -1) != 0
        clua_pop(L, 1)
        if !ok {
            lua_pushstring(L, "error")
            lua_rawget(L, answer)
            let message = state.string(at: -1, on: L) ?? "the host refused"
            clua_pop(L, 2)
            return .refused(message)
        }
        lua_pushstring(L, "values")
        lua_rawget(L, answer)
        guard lua_type(L, -1) == LUA_TTABLE else { clua_pop(L, 2); return .values(0) }
        let values = lua_gettop(L)
        lua_pushstring(L, "n")
        lua_rawget(L, values)
        let count = Int32(clamping: max(0, min(clua_tointeger(L, -1), 250)))
        clua_pop(L, 1)
        guard lua_checkstack(L, count + 2) != 0 else { throw LuaScriptError("too many results") }
        for i in 0..<count { lua_rawgeti(L, values, lua_Integer(i + 1)) }
        // Leaves the results only: drop the answer and its values table beneath them.
        clua_remove(L, values)
        clua_remove(L, answer)
        return .values(count)
    }
}
