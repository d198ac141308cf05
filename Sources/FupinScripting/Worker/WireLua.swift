import CLua
import CLuaShim
import FupinWire
import LuaKit

/// Lua values to and from `WireValue`: tables are read raw (no metamethod runs, so nothing of
/// the sending side's code executes while it is copied) and rebuilt as fresh tables on the
/// other side. A record (a table whose metatable names `__fp_collection`) keeps that name.
struct WireLua {
    let state: LuaState
    /// Bytes the copy may take before it is refused (the message cap).
    var budget = WireCodec.defaultLimit
    /// When set, a function is copied as the marker table `{ [functionKey] = true }` instead of
    /// refused: a manifest's shape crosses, its functions stay in the worker.
    var functionsAsMarkers = false
    static let functionKey = "fupin.function"
    static let functionMarker = WireValue.table(WireTable([WireEntry(.text(functionKey), .boolean(true))]))

    /// Why a value cannot cross.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// The value at stack index `index` of `L` as plain data. Leaves the stack as it was.
    mutating func read(at index: Int32, on L: OpaquePointer, what: String) throws -> WireValue {
        var path: [UnsafeRawPointer] = []
        return try read(lua_absindex(L, index), on: L, what: what, path: &path)
    }

    private mutating func charge(_ bytes: Int, _ what: String) throws {
        budget -= bytes
        if budget < 0 { throw Refusal(description: "\(what) is larger than \(WireCodec.defaultLimit >> 20) MB, the most that can cross between processes") }
    }

    private mutating func read(_ index: Int32, on L: OpaquePointer, what: String, path: inout [UnsafeRawPointer]) throws -> WireValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE:
            try charge(1, what)
            return .nil
        case LUA_TBOOLEAN:
            try charge(1, what)
            return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            try charge(9, what)
            if lua_isinteger(L, index) != 0 { return .integer(clua_tointeger(L, index)) }
            return .number(clua_tonumber(L, index))
        case LUA_TSTRING:
            var length = 0
            guard let p = clua_tolstring(L, index, &length) else { return .nil }
            try charge(5 + length, what)
            return .string(Array(UnsafeRawBufferPointer(start: p, count: length)))
        case LUA_TTABLE:
            guard let pointer = lua_topointer(L, index) else { return .nil }
            if path.contains(pointer) { throw Refusal(description: "\(what) contains itself (a cycle cannot be copied)") }
            if path.count >= WireCodec.maxDepth - 1 { throw Refusal(description: "\(what) nests tables deeper than \(WireCodec.maxDepth - 1) levels") }
            path.append(pointer)
            defer { path.removeLast() }
            try charge(5, what)
            var collection: String?
            if lua_getmetatable(L, index) != 0 {
                lua_pushstring(L, "__fp_collection")
                lua_rawget(L, -2)
                collection = lua_type(L, -1) == LUA_TSTRING ? state.string(at: -1, on: L) : nil
                clua_pop(L, 2)
            }
            var entries: [WireEntry] = []
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                let keyType = lua_type(L, -2)
                guard keyType == LUA_TSTRING || keyType == LUA_TNUMBER || keyType == LUA_TBOOLEAN else {
                    clua_pop(L, 2)
                    throw Refusal(description: "\(what) has a key of type \(String(cString: lua_typename(L, keyType))) (only strings, numbers and booleans cross)")
                }
                // Read the key without lua_tolstring converting it in place (that would break lua_next).
                let key = try read(lua_absindex(L, -2), on: L, what: what, path: &path)
                let value: WireValue
                do { value = try read(lua_absindex(L, -1), on: L, what: what, path: &path) } catch {
                    clua_pop(L, 2)
                    throw error
                }
                entries.append(WireEntry(key, value))
                clua_pop(L, 1)
            }
            if let name = collection, name.utf8.count > WireCodec.maxCollectionName || name.isEmpty { collection = nil }
            return .table(WireTable(entries, collection: collection))
        case LUA_TFUNCTION where functionsAsMarkers:
            try charge(20, what)
            return WireLua.functionMarker
        default:
            let type = String(cString: lua_typename(L, lua_type(L, index)))
            throw Refusal(description: "\(what) holds a \(type); only plain data (nil, booleans, numbers, strings, tables) crosses between processes")
        }
    }

    /// Pushes `value` as new Lua values; a record gets the metatable `recordMetatable` gives
    /// for its collection (none when it gives nil). Leaves one value on the stack.
    func push(_ value: WireValue, on L: OpaquePointer, recordMetatable: (String) -> LuaTable?, functionStub: LuaFunction? = nil) {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let n): lua_pushinteger(L, n)
        case .number(let d): lua_pushnumber(L, d)
        case .string(let bytes): state.pushBytes(bytes, on: L)
        case .table(let table):
            if let functionStub, value == WireLua.functionMarker {
                functionStub.push(on: L)
                return
            }
            lua_createtable(L, 0, Int32(clamping: table.entries.count))
            for entry in table.entries {
                push(entry.key, on: L, recordMetatable: recordMetatable, functionStub: functionStub)
                push(entry.value, on: L, recordMetatable: recordMetatable, functionStub: functionStub)
                lua_rawset(L, -3)
            }
            if let name = table.collection, let mt = recordMetatable(name) {
                mt.push(on: L)
                lua_setmetatable(L, -2)
            }
        }
    }

    /// `value` as a LuaValue (tables built fresh in `state`).
    func luaValue(_ value: WireValue, recordMetatable: (String) -> LuaTable?, functionStub: LuaFunction? = nil) -> LuaValue {
        let L = state.L
        push(value, on: L, recordMetatable: recordMetatable, functionStub: functionStub)
        let v = state.value(at: -1, on: L)
        clua_pop(L, 1)
        return v
    }

    /// `value` (read from `state`) as plain data.
    mutating func wire(_ value: LuaValue, what: String) throws -> WireValue {
        let L = state.L
        state.push(value, on: L)
        defer { clua_pop(L, 1) }
        return try read(at: -1, on: L, what: what)
    }
}
