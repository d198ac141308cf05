import Testing

@testable import LuaKit

/// Every push of a count the caller controls checks stack space first: it grows the stack
/// (as `table.unpack` does) or raises "too many results" as a Lua error, never writes past it.
@Suite struct StackSpaceTests {
    /// A Swift function returning what its Lua callback returned: the shape of
    /// `fp.transaction` (results of a Lua call pushed back to Lua).
    func relay(_ lua: LuaState) {
        lua.register("relay") { frame in
            let fn = try #require(frame.value(1).functionValue)
            return try frame.push(results: try fn.call())
        }
    }

    @Test func manyResultsOfACallbackInsideACoroutine() throws {
        let lua = try LuaState()
        relay(lua)
        let r = try lua.run(
            string: """
                local t = {} for i = 1, 5000 do t[i] = i end
                local co = coroutine.wrap(function()
                    return select('#', relay(function() return table.unpack(t, 1, 5000) end)),
                           select(4999, relay(function() return table.unpack(t, 1, 5000) end))
                end)
                return co()
                """)
        #expect(r.map(\.intValue) == [5000, 4999, 5000])
    }

    @Test func manyResultsOfAValuesFunctionInsideACoroutine() throws {
        let lua = try LuaState()
        lua.register(
            "many",
            values: { args in
                (1...(args.first?.intValue ?? 0)).map { LuaValue.integer($0) }
            })
        let r = try lua.run(
            string: """
                return coroutine.wrap(function() return select('#', many(3000)), (select(3000, many(3000))) end)()
                """)
        #expect(r.map(\.intValue) == [3000, 3000])
    }

    @Test func manyArgumentsToALuaFunction() throws {
        let lua = try LuaState()
        let count = try lua.load(string: "return select('#', ...), (select(-1, ...))")
        let r = try count.call(arguments: (1...20_000).map { LuaValue.integer($0) })
        #expect(r.map(\.intValue) == [20_000, 20_000])
    }

    @Test func manyResultsOfALuaCallFromSwift() throws {
        let lua = try LuaState()
        let many = try lua.load(string: "local t = {} for i = 1, 20000 do t[i] = {i} end return table.unpack(t)")
        let r = try many.call()
        #expect(r.count == 20_000)
        #expect(try r.last?.tableValue?.rawGet(1).intValue == 20_000)
    }

    /// Past Lua's own stack limit (LUAI_MAXSTACK, a million slots) the push fails as a Lua
    /// error the script can catch, and the state stays usable.
    @Test func pastTheStackLimitIsALuaError() throws {
        let lua = try LuaState()
        lua.register("huge") { frame in
            try frame.push(results: Array(repeating: LuaValue.integer(1), count: 1_100_000))
        }
        let r = try lua.run(
            string: """
                local ok, err = pcall(function() return coroutine.wrap(huge)() end)
                return ok, err
                """)
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue?.contains("too many results") == true)
        #expect(try lua.run(string: "return 1 + 1").first?.intValue == 2)
    }

    @Test func tooManyArgumentsIsAnError() throws {
        let lua = try LuaState()
        let f = try lua.load(string: "return select('#', ...)")
        #expect(throws: LuaError.self) { try f.call(arguments: Array(repeating: .integer(1), count: 1_100_000)) }
        #expect(try f.call(1, 2).first?.intValue == 2)
    }
}
