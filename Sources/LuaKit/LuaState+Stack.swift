import CLua
import CLuaShim

/// Moving values between Swift and a Lua stack. None of these run metamethods or raise:
/// tables are read and written raw, and allocations made here run with the memory limit
/// lifted (the limit binds Lua code, see CLuaShim's allocator).
extension LuaState {
    /// Pushes `value` onto `L`. Leaves one value on the stack.
    public func push(_ value: LuaValue, on L: OpaquePointer) {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, i)
        case .number(let d): lua_pushnumber(L, d)
        case .string(let s): pushBytes(s.bytes, on: L)
        case .table(let ref as LuaRef), .function(let ref as LuaRef), .userdata(let ref), .other(let ref):
            ref.push(on: L)
        case .array(let items):
            lua_createtable(L, Int32(clamping: items.count), 0)
            for (i, item) in items.enumerated() {
                push(item, on: L)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        case .dictionary(let dict):
            lua_createtable(L, 0, Int32(clamping: dict.count))
            for (k, v) in dict {
                push(k.value, on: L)
                push(v, on: L)
                lua_rawset(L, -3)
            }
        }
    }

    /// Pushes a Swift string's UTF-8 bytes. Leaves one string on the stack.
    public func pushString(_ s: String, on L: OpaquePointer) {
        var s = s
        s.withUTF8 { buf in
            _ = lua_pushlstring(L, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buf.count)
        }
    }

    /// Pushes raw bytes as a Lua string (NULs and invalid UTF-8 kept).
    public func pushBytes(_ bytes: [UInt8], on L: OpaquePointer) {
        bytes.withUnsafeBufferPointer { buf in
            _ = lua_pushlstring(L, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buf.count)
        }
    }

    /// The value at `index` of `L`, without popping it.
    public func value(at index: Int32, on L: OpaquePointer) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(clua_tointeger(L, index)) }
            return .number(clua_tonumber(L, index))
        case LUA_TSTRING: return .string(LuaString(bytes: bytes(at: index, on: L) ?? []))
        case LUA_TTABLE:
            lua_pushvalue(L, index)
            return .table(LuaTable(state: self, popping: L))
        case LUA_TFUNCTION:
            lua_pushvalue(L, index)
            return .function(LuaFunction(state: self, popping: L))
        case LUA_TUSERDATA:
            lua_pushvalue(L, index)
            return .userdata(LuaRef(state: self, popping: L))
        default:
            lua_pushvalue(L, index)
            return .other(LuaRef(state: self, popping: L))
        }
    }

    /// The bytes of the string (or number, converted in place as Lua does) at `index`.
    public func bytes(at index: Int32, on L: OpaquePointer) -> [UInt8]? {
        var len = 0
        guard let p = clua_tolstring(L, index, &len) else { return nil }
        return [UInt8](UnsafeRawBufferPointer(start: p, count: len))
    }

    /// The string at `index` decoded as UTF-8 (invalid bytes replaced); nil if not a string/number.
    public func string(at index: Int32, on L: OpaquePointer) -> String? {
        var len = 0
        guard let p = clua_tolstring(L, index, &len) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }

    /// Pops `n` values.
    public func pop(_ n: Int32 = 1, on L: OpaquePointer) { clua_pop(L, n) }
}
