import CLua
import LuaKit
import Testing

@testable import FupinScripting
@testable import FupinWire

/// Lua values to bytes and back, the two ways the worker protocol uses: through `WireValue`
/// and straight between Lua and bytes (iter's hot path). Both must agree with the codec.
@Suite struct WireLuaTests {
    let lua: LuaState
    init() throws { lua = try LuaState() }

    func value(_ code: String) throws -> LuaValue { try lua.run(string: code).first ?? .nil }

    @Test func theStraightEncoderWritesWhatTheCodecReads() throws {
        let v = try value(
            """
            return { 1, 2.5, "甲", true, nested = { x = { y = "z" } }, [10] = false,
                     rec = setmetatable({ id = 7 }, { __fp_collection = "households" }) }
            """)
        var reader = WireLua(state: lua)
        let tree = try reader.wire(v, what: "t")
        lua.push(v, on: lua.L)
        defer { lua_settop(lua.L, 0) }
        var bytes: [UInt8] = []
        try WireLua(state: lua).append(at: -1, on: lua.L, into: &bytes, what: "t")
        let decoded = try WireCodec.decode(bytes)
        // Same entries (the order of a Lua table's traversal is the same both times).
        #expect(decoded == tree)
        #expect(decoded.tableValue?["rec"]?.tableValue?.collection == "households")
    }

    @Test func decodedBytesBecomeFreshTables() throws {
        let bytes = try WireCodec.encode(.record([("a", .list([.integer(1), .text("二")])), ("b", .number(0.5))]))
        let L = lua.L
        try WireLua(state: lua).pushDecoded(bytes, on: L)
        let t = lua.value(at: -1, on: L)
        lua_settop(L, 0)
        let f = try #require(
            try lua.run(string: "return function(t) return t.a[2], t.b, getmetatable(t) end").first?.functionValue)
        let r = try f.call(t)
        #expect(r[0].stringValue == "二")
        #expect(r[1].doubleValue == 0.5)
        #expect(r[2].isNil)
    }

    @Test func malformedBytesAreRefusedAndLeaveTheStackAsItWas() throws {
        let L = lua.L
        lua_settop(L, 0)
        for bad: [UInt8] in [[], [9], [6, 2, 0, 0, 0, 3], [6, 1, 0, 0, 0, 0, 2], [5, 9, 0, 0, 0, 65], [0, 0]] {
            #expect(throws: (any Error).self) { try WireLua(state: lua).pushDecoded(bad, on: L) }
            #expect(lua_gettop(L) == 0)
        }
        var deep: [UInt8] = []
        for _ in 0...WireCodec.maxDepth { deep += [6, 1, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0] }
        deep.append(0)
        #expect(throws: (any Error).self) { try WireLua(state: lua).pushDecoded(deep, on: L) }
        #expect(lua_gettop(L) == 0)
    }

    @Test func functionsCyclesAndHugeValuesDoNotCross() throws {
        let L = lua.L
        for code in ["return { print }", "local t = {} t.t = t return t", "return { [{}] = 1 }"] {
            let v = try value(code)
            lua.push(v, on: L)
            var bytes: [UInt8] = []
            #expect(throws: WireLua.Refusal.self) {
                try WireLua(state: lua).append(at: -1, on: L, into: &bytes, what: "x")
            }
            lua_settop(L, 0)
        }
        let big = try value("return { string.rep('x', 2000) }")
        var small = WireLua(state: lua)
        small.budget = 1000
        #expect(throws: WireLua.Refusal.self) { try small.wire(big, what: "x") }
    }

    @Test func recordBatchesPushAsTheCodecDecodes() throws {
        var bytes: [UInt8] = [8, 1, 0, 0, 0, 0x68, 2, 0, 0, 0, 2, 0, 0, 0, 0x69, 0x64, 1, 0, 0, 0, 0x6e, 2, 0, 0, 0]
        for r: UInt8 in 1...2 {
            bytes += [2, 0, 0, 0, 0, 0, 0, 0, 3, r, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 1, 0, 0, 0, 0x61]
        }
        let L = lua.L
        lua_settop(L, 0)
        var marked: LuaTable?
        try WireLua(state: lua).pushDecoded(bytes, on: L) { name in
            marked = try? lua.run(string: "return { __fp_collection = '" + name + "' }").first?.tableValue
            return marked
        }
        #expect(lua_gettop(L) == 1)
        var reader = WireLua(state: lua)
        let pushed = try reader.read(at: -1, on: L, what: "batch")
        lua_settop(L, 0)
        let decoded = try WireCodec.decode(bytes)
        #expect(pushed.tableValue?.sequence.count == 2)
        #expect(
            pushed.tableValue?.sequence.map { $0.tableValue?["id"] }
                == decoded.tableValue?.sequence.map { $0.tableValue?["id"] })
        #expect(pushed.tableValue?.sequence.first?.tableValue?.collection == "h")
        #expect(pushed.tableValue?.sequence.last?.tableValue?["n"] == .text("a"))
        bytes[bytes.count - 10] = 7  // a field index past the two names
        #expect(throws: (any Error).self) { try WireLua(state: lua).pushDecoded(bytes, on: L) }
        #expect(lua_gettop(L) == 0)
    }
}
