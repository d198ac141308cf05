import Testing

@testable import LuaKit

struct Boom: Error, CustomStringConvertible {
    var description: String { "boom from Swift" }
}

/// Errors cross the boundary without a longjmp ever passing through a Swift frame.
@Suite struct ErrorTests {
    @Test func swiftThrowIsCaughtByLuaPcall() throws {
        let lua = try LuaState()
        lua.register("fail") { (_: LuaCallFrame) in throw Boom() }
        let r = try lua.run(
            string: "local ok, err = pcall(function() fail() end) return ok, err", chunkName: "@caller.lua")
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue == "caller.lua:1: boom from Swift")
    }

    @Test func swiftErrorCanRaiseATableValue() throws {
        struct Coded: LuaErrorValueConvertible { var luaErrorValue: LuaValue { ["code": 7] } }
        let lua = try LuaState()
        lua.register("fail") { (_: LuaCallFrame) in throw Coded() }
        let r = try lua.run(string: "local ok, err = pcall(fail) return type(err), err.code")
        #expect(r.map(\.description) == ["table", "7"])
    }

    /// Lua → Swift → Lua → Swift, the innermost raises; every Swift frame's `defer` runs
    /// (they would not if a longjmp skipped them), and Lua code sees the error.
    @Test func nestedCallsUnwindEverySwiftFrame() throws {
        let lua = try LuaState()
        final class Counter: @unchecked Sendable { var unwound = 0 }
        let counter = Counter()
        lua.register("inner") { (_: LuaCallFrame) in
            defer { counter.unwound += 1 }
            throw LuaScriptError("innermost failure")
        }
        lua.register("outer") { frame in
            defer { counter.unwound += 1 }
            let callback = try #require(frame.value(1).functionValue)
            _ = try callback.call()
            Issue.record("the callback should have thrown")
            return 0
        }
        let r = try lua.run(
            string: """
                local ok, err = pcall(outer, function() inner() end)
                return ok, err
                """, chunkName: "=nest")
        #expect(counter.unwound == 2)
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue?.contains("innermost failure") == true)
        // The state is intact afterwards.
        #expect(try lua.run(string: "return 40 + 2").first?.intValue == 42)
        #expect(lua.memoryUsed > 0)
    }

    @Test func luaErrorReachesSwiftWithMessageAndTraceback() throws {
        let lua = try LuaState()
        do {
            try lua.run(string: "local function f()\n  error('bad thing')\nend\nf()", chunkName: "@script.lua")
            Issue.record("should have thrown")
        } catch let e as LuaError {
            #expect(e.kind == .runtime)
            #expect(e.message == "script.lua:2: bad thing")
            let tb = try #require(e.traceback)
            #expect(tb.hasPrefix("stack traceback:"))
            #expect(tb.contains("script.lua:2:"))
            #expect(tb.contains("script.lua:4:"))
        }
    }

    @Test func tableErrorValuesAndFailingToStringAreHandled() throws {
        let lua = try LuaState()
        do {
            try lua.run(string: "error({ code = 42 })")
            Issue.record("should have thrown")
        } catch let e as LuaError {
            #expect(e.message.hasPrefix("(error object is a table value)") || e.message.hasPrefix("table:"))
            let t = try #require(e.value?.tableValue)
            #expect(t.rawGet("code").intValue == 42)
        }
        do {
            try lua.run(string: "error(setmetatable({}, { __tostring = function() error('tostring fails too') end }))")
            Issue.record("should have thrown")
        } catch let e as LuaError {
            #expect(e.kind == .runtime)
            #expect(e.message == "(error object is a table value)")
        }
        do {
            try lua.run(string: "error(setmetatable({}, { __tostring = function() return 'described' end }))")
        } catch let e as LuaError {
            #expect(e.message == "described")
        }
    }

    @Test func syntaxErrorsAreTyped() throws {
        let lua = try LuaState()
        #expect {
            try lua.run(string: "return +", chunkName: "=bad")
        } throws: { ($0 as? LuaError)?.kind == .syntax }
    }

    @Test func argumentErrorsNameTheArgument() throws {
        let lua = try LuaState()
        lua.register("twice") { frame in
            frame.push(try frame.integer(1) * 2)
            return 1
        }
        #expect(try lua.run(string: "return twice(21)").first?.intValue == 42)
        let r = try lua.run(string: "return pcall(twice, 'x')", chunkName: "=args")
        #expect(r[1].stringValue?.contains("bad argument #1") == true)
    }

    @Test func errorPassingThroughSwiftKeepsItsValue() throws {
        let lua = try LuaState()
        lua.register("call") { frame in
            let f = try #require(frame.value(1).functionValue)
            _ = try f.call()
            return 0
        }
        let r = try lua.run(
            string: """
                local marker = {}
                local ok, err = pcall(call, function() error(marker) end)
                return rawequal(err, marker)
                """)
        #expect(r.first?.boolValue == true)
    }
}
