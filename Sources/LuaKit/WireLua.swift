import CLua
import CLuaShim
import FupinWire

/// Lua values to and from `WireValue`: tables are read raw (no metamethod runs, so nothing of
/// the sending side's code executes while it is copied) and rebuilt as fresh tables on the
/// other side. A record (a table whose metatable names `__fp_collection`) keeps that name.
public struct WireLua {
    public let state: LuaState
    /// Bytes the copy may take before it is refused (the message cap).
    public var budget = WireCodec.defaultLimit
    /// When set, a function is copied as the marker table `{ [functionKey] = true }` instead of
    /// refused: a manifest's shape crosses, its functions stay in the worker.
    public var functionsAsMarkers = false
    public static let functionKey = "fupin.function"
    public static let functionMarker = WireValue.table(WireTable([WireEntry(.text(functionKey), .boolean(true))]))

    /// Why a value cannot cross.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// A converter for `state` with the message cap as its budget.
    public init(state: LuaState) { self.state = state }

    /// The value at stack index `index` of `L` as plain data. Leaves the stack as it was.
    public mutating func read(at index: Int32, on L: OpaquePointer, what: String) throws -> WireValue {
        var path: [UnsafeRawPointer] = []
        return try read(lua_absindex(L, index), on: L, what: what, path: &path)
    }

    private mutating func charge(_ bytes: Int, _ what: String) throws {
        budget -= bytes
        if budget < 0 {
            throw Refusal(
                description:
                    "\(what) is larger than \(WireCodec.defaultLimit >> 20) MB, the most that can cross between processes"
            )
        }
    }

    private mutating func read(_ index: Int32, on L: OpaquePointer, what: String, path: inout [UnsafeRawPointer]) throws
        -> WireValue
    {
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
            if path.contains(pointer) {
                throw Refusal(description: "\(what) contains itself (a cycle cannot be copied)")
            }
            if path.count >= WireCodec.maxDepth - 1 {
                throw Refusal(description: "\(what) nests tables deeper than \(WireCodec.maxDepth - 1) levels")
            }
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
            guard lua_checkstack(L, 4) != 0 else { throw Refusal(description: "\(what) nests too deeply") }
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                try checkKey(on: L, what: what)
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
            throw Refusal(
                description:
                    "\(what) holds a \(type); only plain data (nil, booleans, numbers, strings, tables) crosses between processes"
            )
        }
    }

    /// Pushes `value` as new Lua values; a record gets the metatable `recordMetatable` gives
    /// for its collection (none when it gives nil). Leaves one value on the stack.
    public func push(
        _ value: WireValue, on L: OpaquePointer, recordMetatable: (String) -> LuaTable?,
        functionStub: LuaFunction? = nil
    ) {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let n): lua_pushinteger(L, n)
        case .number(let d): lua_pushnumber(L, d)
        case .string(let bytes): state.pushBytes(bytes, on: L)
        case .encoded(let bytes):
            if (try? pushDecoded(bytes, on: L)) == nil { lua_pushnil(L) }
        case .table(let table):
            if let functionStub, value == WireLua.functionMarker {
                functionStub.push(on: L)
                return
            }
            // Each level holds a table and a key on the stack: make room before going deeper.
            guard lua_checkstack(L, 4) != 0 else { lua_pushnil(L); return }
            lua_createtable(L, 0, Int32(clamping: table.entries.count))
            for entry in table.entries {
                push(entry.key, on: L, recordMetatable: recordMetatable, functionStub: functionStub)
                // lua_rawset raises on a nil or NaN key, across this Swift frame. The decoder
                // refuses such keys, but a WireValue built in Swift (or an `.encoded` key that
                // does not decode) may carry one: a table cannot hold it, so it is dropped.
                if WireLua.isNilOrNaN(at: -1, on: L) {
                    clua_pop(L, 1)
                    continue
                }
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
    public func luaValue(_ value: WireValue, recordMetatable: (String) -> LuaTable?, functionStub: LuaFunction? = nil)
        -> LuaValue
    {
        let L = state.L
        push(value, on: L, recordMetatable: recordMetatable, functionStub: functionStub)
        let v = state.value(at: -1, on: L)
        clua_pop(L, 1)
        return v
    }

    /// `value` (read from `state`) as plain data.
    public mutating func wire(_ value: LuaValue, what: String) throws -> WireValue {
        let L = state.L
        state.push(value, on: L)
        defer { clua_pop(L, 1) }
        return try read(at: -1, on: L, what: what)
    }

    // MARK: Straight between Lua and bytes (the hot path of iter: no WireValue in between)

    /// Appends the encoding of the value at `index` to `out`, with the checks of `read`.
    /// Leaves the stack as it was.
    public func append(at index: Int32, on L: OpaquePointer, into out: inout [UInt8], what: String) throws {
        var path: [UnsafeRawPointer] = []
        try append(lua_absindex(L, index), on: L, into: &out, what: what, path: &path)
    }

    private func append(
        _ index: Int32, on L: OpaquePointer, into out: inout [UInt8], what: String,
        path: inout [UnsafeRawPointer]
    ) throws {
        if out.count > budget {
            throw Refusal(
                description:
                    "\(what) is larger than \(WireCodec.defaultLimit >> 20) MB, the most that can cross between processes"
            )
        }
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: out.append(0)
        case LUA_TBOOLEAN: out.append(lua_toboolean(L, index) != 0 ? 2 : 1)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 {
                out.append(3)
                appendUInt64(UInt64(bitPattern: clua_tointeger(L, index)), to: &out)
            } else {
                out.append(4)
                appendUInt64(clua_tonumber(L, index).bitPattern, to: &out)
            }
        case LUA_TSTRING:
            var length = 0
            guard let p = clua_tolstring(L, index, &length) else { out.append(0); return }
            out.append(5)
            appendUInt32(UInt32(truncatingIfNeeded: length), to: &out)
            out.append(contentsOf: UnsafeRawBufferPointer(start: p, count: length))
        case LUA_TTABLE:
            guard let pointer = lua_topointer(L, index) else { out.append(0); return }
            if path.contains(pointer) {
                throw Refusal(description: "\(what) contains itself (a cycle cannot be copied)")
            }
            if path.count >= WireCodec.maxDepth - 1 {
                throw Refusal(description: "\(what) nests tables deeper than \(WireCodec.maxDepth - 1) levels")
            }
            path.append(pointer)
            defer { path.removeLast() }
            var collection: [UInt8]?
            if lua_getmetatable(L, index) != 0 {
                lua_pushstring(L, "__fp_collection")
                lua_rawget(L, -2)
                var length = 0
                if lua_type(L, -1) == LUA_TSTRING, let p = clua_tolstring(L, -1, &length), length > 0,
                    length <= WireCodec.maxCollectionName
                {
                    let name = Array(UnsafeRawBufferPointer(start: p, count: length))
                    if String(validating: name, as: UTF8.self) != nil { collection = name }
                }
                clua_pop(L, 2)
            }
            if let collection {
                out.append(7)
                appendUInt32(UInt32(collection.count), to: &out)
                out.append(contentsOf: collection)
            } else {
                out.append(6)
            }
            let countAt = out.count
            appendUInt32(0, to: &out)
            var count: UInt32 = 0
            guard lua_checkstack(L, 4) != 0 else { throw Refusal(description: "\(what) nests too deeply") }
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                try checkKey(on: L, what: what)
                do {
                    try append(lua_absindex(L, -2), on: L, into: &out, what: what, path: &path)
                    try append(lua_absindex(L, -1), on: L, into: &out, what: what, path: &path)
                } catch {
                    clua_pop(L, 2)
                    throw error
                }
                count += 1
                clua_pop(L, 1)
            }
            for i in 0..<4 { out[countAt + i] = UInt8(truncatingIfNeeded: count >> UInt32(8 * i)) }
        case LUA_TFUNCTION where functionsAsMarkers:
            try WireCodec.encodeAppending(WireLua.functionMarker, to: &out)
        default:
            let type = String(cString: lua_typename(L, lua_type(L, index)))
            throw Refusal(
                description:
                    "\(what) holds a \(type); only plain data (nil, booleans, numbers, strings, tables) crosses between processes"
            )
        }
    }

    private func appendUInt32(_ n: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: n)); out.append(UInt8(truncatingIfNeeded: n >> 8))
        out.append(UInt8(truncatingIfNeeded: n >> 16)); out.append(UInt8(truncatingIfNeeded: n >> 24))
    }

    private func appendUInt64(_ n: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
    }

    /// Whether the value at `index` is nil or NaN, which `lua_rawset` refuses as a key by
    /// raising. Leaves the stack as it was.
    static func isNilOrNaN(at index: Int32, on L: OpaquePointer) -> Bool {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return true
        case LUA_TNUMBER: return lua_isinteger(L, index) == 0 && clua_tonumber(L, index).isNaN
        default: return false
        }
    }

    /// Decodes `bytes` (one value) and pushes it, with the decoder's checks (docs/worker-protocol.md);
    /// a record gets `recordMetatable`'s table. Leaves one value on the stack, or none when it throws.
    public func pushDecoded(
        _ bytes: [UInt8], on L: OpaquePointer, recordMetatable: (String) -> LuaTable? = { _ in nil }
    ) throws {
        let top = lua_gettop(L)
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                try withoutActuallyEscaping(recordMetatable) { resolve in
                    var pusher = WirePusher(b: buffer, L: L, resolve: resolve)
                    try pusher.value(depth: 0)
                    guard pusher.offset == buffer.count else {
                        throw WireError(.trailingBytes(buffer.count - pusher.offset), at: pusher.offset)
                    }
                }
            }
        } catch {
            lua_settop(L, top)
            throw error
        }
    }
}

extension WireLua {
    /// Checks the key of the pair `lua_next` left at -2 (value at -1) can cross: a string, a
    /// number other than NaN, or a boolean. Otherwise pops the pair and throws. Leaves the
    /// stack as it was when the key is fine.
    func checkKey(on L: OpaquePointer, what: String) throws {
        let keyType = lua_type(L, -2)
        guard keyType == LUA_TSTRING || keyType == LUA_TNUMBER || keyType == LUA_TBOOLEAN else {
            clua_pop(L, 2)
            throw Refusal(
                description:
                    "\(what) has a key of type \(String(cString: lua_typename(L, keyType))) (only strings, numbers and booleans cross)"
            )
        }
        if keyType == LUA_TNUMBER, lua_isinteger(L, -2) == 0, clua_tonumber(L, -2).isNaN {
            clua_pop(L, 2)
            throw Refusal(description: "\(what) has a NaN key")
        }
    }
}
