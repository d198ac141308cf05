import Testing

@testable import LuaKit

/// What LuaKit does from Swift, outside any protected call, never runs a metamethod: a
/// hostile `_G`, registry or metatable cannot raise across Swift (the state would abort).
@Suite struct RawAccessTests {
    final class Box { var n = 1 }

    @Test func setGlobalAndRegisterIgnoreAHostileGlobalTable() throws {
        let lua = try LuaState()
        try lua.run(
            string: """
                setmetatable(_G, { __newindex = function() error("no new globals") end,
                                   __index = function() error("no such global") end })
                """)
        lua.setGlobal("answer", 42)
        lua.register("twice") { frame in
            frame.push(try frame.integer(1) * 2); return 1
        }
        #expect(lua.global("answer").intValue == 42)
        #expect(try lua.run(string: "return twice(answer)").first?.intValue == 84)
    }

    @Test func aHostileRegistryMetatableRunsNothingFromSwift() throws {
        let lua = try LuaState()
        try lua.run(
            string: """
                local boom = function() error("registry touched") end
                debug.setmetatable(debug.getregistry(), { __index = boom, __newindex = boom })
                """)
        lua.register(Box.self, name: "Box") { c in c.property("n", get: { .integer(Int64($0.n)) }) }
        lua.setGlobal("box", lua.value(for: Box()))
        #expect(try lua.run(string: "return box.n").first?.intValue == 1)
        lua.register("fail") { (_: LuaCallFrame) in throw LuaScriptError("from Swift") }
        #expect(throws: LuaError.self) { try lua.run(string: "fail()") }
        _ = lua.function { (_: LuaCallFrame) in 0 }
    }

    @Test func metafieldsAreReadRaw() throws {
        let lua = try LuaState()
        let v =
            try lua.run(
                string: """
                    local M = setmetatable({ tag = "kept" }, { __index = function() error("meta-meta ran") end })
                    return setmetatable({}, M)
                    """
            ).first ?? .nil
        lua.push(v, on: lua.L)
        defer { lua.pop(on: lua.L) }
        #expect(lua.metafieldString("missing", ofValueAt: -1, on: lua.L) == nil)
        #expect(lua.metafieldString("tag", ofValueAt: -1, on: lua.L) == "kept")
    }

    @Test func aNaNKeyIsSkippedNotRaised() throws {
        let lua = try LuaState()
        lua.setGlobal("t", .dictionary([.number(.nan): 1, "a": 2]))
        #expect(
            try lua.run(string: "local n = 0 for _ in pairs(t) do n = n + 1 end return n, t.a").map(\.intValue) == [
                1, 2,
            ])
        let t = try #require(lua.global("t").tableValue)
        t.rawSet(.number(.nan), 3)
        #expect(t.rawGet("a").intValue == 2)
    }
}
