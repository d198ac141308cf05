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
                // Lua raises "index is NaN" for such a key; a table cannot hold it, so skip it.
                if case .number(let d) = k, d.isNaN { continue }
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
            _ = lua_pushlstring(
                L, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buf.count)
        }
    }

    /// Pushes raw bytes as a Lua string (NULs and invalid UTF-8 kept).
    public func pushBytes(_ bytes: [UInt8], on L: OpaquePointer) {
        bytes.withUnsafeBufferPointer { buf in
            _ = lua_pushlstring(
                L, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buf.count)
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

    /// Makes room for `count` more values on `L`, growing its stack as `table.unpack` does,
    /// or throws "too many results" when Lua's stack limit (a million slots) would be passed.
    /// Every push of a count the caller controls goes through here: Lua guarantees a C
    /// function only LUA_MINSTACK (20) free slots, and writing past them corrupts the heap.
    /// `lua_checkstack` reports failure instead of raising, so nothing unwinds Swift.
    /// Leaves the stack as it is.
    public func reserveStack(_ count: Int, on L: OpaquePointer) throws {
        guard count >= 0, count < Self.stackLimit, lua_checkstack(L, Int32(count)) != 0 else {
            throw LuaScriptError("too many results (\(count) values do not fit on the Lua stack)")
        }
    }

    /// Lua's LUAI_MAXSTACK: no thread holds more values than this.
    static let stackLimit = 1_000_000

    /// Slots a Swift-built table needs while `push` builds it (the table, a key and a value).
    static let containerSlack = 3

    /// Pushes `values` in order after making room for them (see `reserveStack`), or throws
    /// with the stack as it was. Leaves `values.count` values on the stack.
    public func push(values: [LuaValue], on L: OpaquePointer) throws {
        try reserveStack(values.count + Self.containerSlack, on: L)
        for value in values { push(value, on: L) }
    }

    /// Pops `n` values.
    public func pop(_ n: Int32 = 1, on L: OpaquePointer) { clua_pop(L, n) }
}
