import Testing

@testable import LuaKit

/// Values cross the boundary both ways without losing kind or bytes.
@Suite struct ValueTests {
    let lua: LuaState
    let identity: LuaFunction

    init() throws {
        lua = try LuaState()
        identity = try #require(try lua.run(string: "return function(...) return ... end").first?.functionValue)
    }

    @Test func scalarsRoundTrip() throws {
        let values: [LuaValue] = [
            .nil, true, false, 0, -7, .integer(Int64.max), .integer(Int64.min), 1.5, -0.25, .number(1e300),
        ]
        let back = try identity.call(arguments: values)
        #expect(back.count == values.count)
        for (a, b) in zip(values, back) {
            #expect(a.description == b.description)
            #expect(a.typeName == b.typeName)
        }
    }

    @Test func integersStayIntegersAndFloatsStayFloats() throws {
        let r = try lua.run(string: "return 1, 1.0, 3 // 2, 3 / 2")
        #expect(r.count == 4)
        guard case .integer(1) = r[0] else { Issue.record("1 should be an integer: \(r[0])"); return }
        guard case .number(1.0) = r[1] else { Issue.record("1.0 should be a float: \(r[1])"); return }
        guard case .integer(1) = r[2] else { Issue.record("3 // 2 should be an integer"); return }
        guard case .number(1.5) = r[3] else { Issue.record("3 / 2 should be a float"); return }
        let f = try #require(
            try lua.run(string: "return function(a, b) return math.type(a), math.type(b) end").first?.functionValue)
        let kinds = try f.call(.integer(2), .number(2.0))
        #expect(kinds.map(\.description) == ["integer", "float"])
    }

    @Test func stringsAreBytes() throws {
        let raw: [UInt8] = [0x61, 0x00, 0x62, 0xff, 0xfe, 0xe4, 0xb8, 0xad]
        let back = try identity.call(.string(LuaString(bytes: raw)))
        guard case .string(let s) = back.first else { Issue.record("not a string"); return }
        #expect(s.bytes == raw)
        #expect(s.string == nil)
        let lengthOf = try #require(try lua.run(string: "return function(s) return #s end").first?.functionValue)
        #expect(try lengthOf.call(.string(LuaString(bytes: raw))).first?.intValue == 8)
        let chinese = try identity.call(.text("扶贫 郝九为"))
        #expect(chinese.first?.stringValue == "扶贫 郝九为")
    }

    @Test func arraysDictionariesAndNestedTables() throws {
        let nested: LuaValue = ["name": "杨来才", "chicks": 30, "items": [1, 2.5, "three", ["deep": true]]]
        let describe = try #require(
            try lua.run(
                string: """
                    return function(t)
                      return t.name, t.chicks, #t.items, t.items[2], t.items[3], t.items[4].deep, math.type(t.chicks)
                    end
                    """
            ).first?.functionValue)
        let r = try describe.call(nested)
        #expect(r.map(\.description) == ["杨来才", "30", "4", "2.5", "three", "true", "integer"])

        let made = try lua.run(string: "return {10, 20, 30, x = 'y', [true] = 1.5}")
        let table = try #require(made.first?.tableValue)
        #expect(table.toArray().map(\.description) == ["10", "20", "30"])
        let dict = table.toDictionary()
        #expect(dict["x"]?.stringValue == "y")
        #expect(dict[.boolean(true)]?.doubleValue == 1.5)
        #expect(dict[1]?.intValue == 10)
    }

    @Test func multipleResultsAndArguments() throws {
        let f = try #require(
            try lua.run(string: "return function(...) return select('#', ...), ... end").first?.functionValue)
        let r = try f.call(1, nil, 3)
        #expect(r.count == 4)
        #expect(r[0].intValue == 3)
        #expect(r[2].isNil)
    }

    @Test func functionsAndTablesHeldBySwiftAreReleasedOnDeinit() throws {
        try lua.run(
            string: """
                collected = false
                held = setmetatable({}, { __gc = function() collected = true end })
                """)
        var ref: LuaTable? = try #require(lua.global("held").tableValue)
        try lua.run(string: "held = nil")
        lua.collectGarbage()
        lua.collectGarbage()
        #expect(lua.global("collected").boolValue == false, "Swift's reference keeps the table alive")
        #expect(ref != nil)
        ref = nil
        lua.collectGarbage()
        lua.collectGarbage()
        #expect(lua.global("collected").boolValue == true, "dropping the reference lets Lua collect it")
    }

    @Test func globalsAndTableAccess() throws {
        let g = lua.globals
        try g.set("answer", 42)
        #expect(try lua.run(string: "return answer").first?.intValue == 42)
        try lua.run(string: "proxy = setmetatable({}, { __index = function(_, k) return k .. '!' end })")
        let proxy = try #require(lua.global("proxy").tableValue)
        #expect(try proxy.get("hi").stringValue == "hi!")
        #expect(proxy.rawGet("hi").isNil)
    }

    @Test func metamethodErrorsInTableAccessAreCaught() throws {
        try lua.run(
            string:
                "bad = setmetatable({}, { __index = function() error('no way') end, __newindex = function() error('read only') end })"
        )
        let bad = try #require(lua.global("bad").tableValue)
        #expect(throws: LuaError.self) { _ = try bad.get("x") }
        #expect(throws: LuaError.self) { try bad.set("x", 1) }
        #expect(try lua.run(string: "return 1 + 1").first?.intValue == 2)
    }
}
