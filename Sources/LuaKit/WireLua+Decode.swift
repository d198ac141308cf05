import CLua
import CLuaShim
import FupinWire

/// The decoder that pushes as it reads: one per message, so that no closure or buffer is
/// passed (and retained) per value.
struct WirePusher {
    let b: UnsafeBufferPointer<UInt8>
    var offset = 0
    let L: OpaquePointer
    let resolve: (String) -> LuaTable?
    /// The state's counters: the memory limit is lifted while Swift runs (so no push here can
    /// raise), and this decoder, which builds as much as the other process sent, honours it
    /// itself by checking before each allocation (`reserve`).
    let limits: UnsafeMutablePointer<clua_limits>?
    /// The last record's collection name and metatable: a batch holds one collection.
    var lastName: [UInt8] = []
    var lastTable: LuaTable?

    init(b: UnsafeBufferPointer<UInt8>, L: OpaquePointer, resolve: @escaping (String) -> LuaTable?) {
        self.b = b
        self.L = L
        self.resolve = resolve
        self.limits = clua_getlimits(L)
    }

    /// Throws "not enough memory" (a `LuaError` of kind `.memory`, as Lua's own refusal
    /// reads) when making about `bytes` more would take the state past its memory limit.
    /// Called before each string and table the decoder makes, so the limit holds before the
    /// allocation rather than after it (a worker's address-space cap sits just above it).
    func reserve(_ bytes: Int) throws {
        guard let limits, limits.pointee.limit != 0, limits.pointee.used + bytes > limits.pointee.limit else { return }
        throw LuaError(kind: .memory, message: "not enough memory")
    }

    /// About what Lua allocates for a string of `length` bytes (header and terminator).
    static func stringCost(_ length: Int) -> Int { length + 32 }

    /// About what Lua allocates for a table presized for `count` entries (header and nodes).
    static func tableCost(_ count: Int) -> Int { 64 + 40 * count }

    func need(_ n: Int) throws { if b.count - offset < n { throw WireError(.truncated, at: offset) } }

    mutating func u32() throws -> Int {
        try need(4)
        let n = Int(b[offset]) | Int(b[offset + 1]) << 8 | Int(b[offset + 2]) << 16 | Int(b[offset + 3]) << 24
        offset += 4
        return n
    }

    mutating func u64() throws -> UInt64 {
        try need(8)
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(b[offset + i]) << UInt64(8 * i) }
        offset += 8
        return n
    }

    mutating func metatable(_ name: UnsafeBufferPointer<UInt8>) -> LuaTable? {
        if lastName.elementsEqual(name) { return lastTable }
        // A name that is not UTF-8 gets no metatable (the codec refuses it; here it is only a label).
        lastName = Array(name)
        lastTable = String(validating: name, as: UTF8.self).flatMap(resolve)
        return lastTable
    }

    /// Pushes the value at `offset`. Leaves one value on the stack.
    mutating func value(depth: Int) throws {
        try need(1)
        let start = offset
        let tag = b[offset]
        offset += 1
        switch tag {
        case 0: lua_pushnil(L)
        case 1: lua_pushboolean(L, 0)
        case 2: lua_pushboolean(L, 1)
        case 3: lua_pushinteger(L, Int64(bitPattern: try u64()))
        case 4: lua_pushnumber(L, Double(bitPattern: try u64()))
        case 5:
            let n = try u32()
            try need(n)
            try reserve(WirePusher.stringCost(n))
            b.baseAddress!.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: max(n, 1)) {
                _ = lua_pushlstring(L, $0, n)
            }
            offset += n
        case 6, 7:
            guard depth < WireCodec.maxDepth else { throw WireError(.tooDeep(WireCodec.maxDepth), at: start) }
            var mt: LuaTable?
            if tag == 7 {
                let at = offset
                let n = try u32()
                try need(n)
                guard n > 0, n <= WireCodec.maxCollectionName else { throw WireError(.badCollectionName, at: at) }
                mt = metatable(UnsafeBufferPointer(rebasing: b[offset..<offset + n]))
                offset += n
            }
            let countAt = offset
            let count = try u32()
            guard count <= (b.count - offset) / 2 else { throw WireError(.truncated, at: countAt) }
            // Each level holds a table and a key on the stack: make room before going deeper.
            guard lua_checkstack(L, 4) != 0 else { throw WireError(.tooDeep(depth), at: start) }
            try reserve(WirePusher.tableCost(count))
            lua_createtable(L, 0, Int32(clamping: count))
            for _ in 0..<count {
                let keyAt = offset
                try value(depth: depth + 1)
                let keyType = lua_type(L, -1)
                if keyType == LUA_TNIL { throw WireError(.badKey("nil"), at: keyAt) }
                if keyType == LUA_TNUMBER, lua_isinteger(L, -1) == 0, clua_tonumber(L, -1).isNaN {
                    throw WireError(.badKey("NaN"), at: keyAt)
                }
                try value(depth: depth + 1)
                lua_rawset(L, -3)
            }
            if let mt {
                mt.push(on: L)
                lua_setmetatable(L, -2)
            }
        case 8:
            try records(depth: depth, start: start)
        default:
            throw WireError(.unknownTag(tag), at: start)
        }
    }

    /// Tag 8 (a batch of records, field names given once): pushes the list of record tables,
    /// each key taken from a table of the names interned once. Leaves one table on the stack.
    mutating func records(depth: Int, start: Int) throws {
        guard depth + 1 < WireCodec.maxDepth else { throw WireError(.tooDeep(WireCodec.maxDepth), at: start) }
        let nameAt = offset
        let n = try u32()
        try need(n)
        guard n > 0, n <= WireCodec.maxCollectionName else { throw WireError(.badCollectionName, at: nameAt) }
        let mt = metatable(UnsafeBufferPointer(rebasing: b[offset..<offset + n]))
        offset += n
        let keyCountAt = offset
        let keyCount = try u32()
        guard keyCount <= (b.count - offset) / 4 else { throw WireError(.truncated, at: keyCountAt) }
        guard lua_checkstack(L, 6) != 0 else { throw WireError(.tooDeep(depth), at: start) }
        try reserve(WirePusher.tableCost(keyCount))
        lua_createtable(L, Int32(clamping: keyCount), 0)
        let keys = lua_gettop(L)
        for k in 0..<keyCount {
            let length = try u32()
            try need(length)
            try reserve(WirePusher.stringCost(length))
            b.baseAddress!.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: max(length, 1)) {
                _ = lua_pushlstring(L, $0, length)
            }
            offset += length
            lua_rawseti(L, keys, lua_Integer(k + 1))
        }
        let rowCountAt = offset
        let rowCount = try u32()
        guard rowCount <= (b.count - offset) / 4 else { throw WireError(.truncated, at: rowCountAt) }
        try reserve(WirePusher.tableCost(rowCount))
        lua_createtable(L, Int32(clamping: rowCount), 0)
        for r in 0..<rowCount {
            let fieldCountAt = offset
            let fieldCount = try u32()
            guard fieldCount <= (b.count - offset) / 5 else { throw WireError(.truncated, at: fieldCountAt) }
            try reserve(WirePusher.tableCost(fieldCount))
            lua_createtable(L, 0, Int32(clamping: fieldCount))
            for _ in 0..<fieldCount {
                let indexAt = offset
                let index = try u32()
                guard index < keyCount else { throw WireError(.badKey("field \(index) of \(keyCount)"), at: indexAt) }
                lua_rawgeti(L, keys, lua_Integer(index + 1))
                try value(depth: depth + 2)
                lua_rawset(L, -3)
            }
            if let mt {
                mt.push(on: L)
                lua_setmetatable(L, -2)
            }
            lua_rawseti(L, -2, lua_Integer(r + 1))
        }
        // Leaves the list only: the names table beneath it goes.
        clua_remove(L, keys)
    }
}
