import FupinWire
import Testing

@testable import LuaKit

/// The worker protocol's conversion keeps LuaKit's rule: nothing it does raises a Lua error
/// across a Swift frame. Data the other process sent honours the memory limit with a clean
/// error, and a key a Lua table cannot hold is dropped instead of raised.
@Suite struct WireLuaGuardTests {
    /// The encoding of a table of `count` distinct strings of about 100 bytes each.
    static func bigTable(_ count: Int) throws -> [UInt8] {
        let filler = String(repeating: "户", count: 30)
        return try WireCodec.encode(.list((1...count).map { .text("\($0) \(filler)") }))
    }

    @Test func decodingPastTheMemoryLimitIsACleanErrorAndLeavesTheStack() throws {
        let lua = try LuaState()
        let bytes = try WireLuaGuardTests.bigTable(20_000)  // about 2.5 MB once in Lua
        let L = lua.L
        lua.memoryLimit = lua.memoryUsed + (512 << 10)
        let top = lua.top(on: L)
        #expect {
            try WireLua(state: lua).pushDecoded(bytes, on: L)
        } throws: { ($0 as? LuaError)?.kind == .memory && "\($0)" == "not enough memory" }
        #expect(lua.top(on: L) == top)
        // The refusal came before the limit was passed, not after the whole table was built.
        #expect(lua.memoryUsed <= lua.memoryLimit)
        // The same bytes fit once the limit allows them: the refusal was the limit's.
        lua.memoryLimit = 0
        try WireLua(state: lua).pushDecoded(bytes, on: L)
        #expect(lua.top(on: L) == top + 1)
        #expect(lua.value(at: -1, on: L).tableValue?.rawLength == 20_000)
        lua.pop(1, on: L)
    }

    @Test func luaCodeReceivingTooMuchGetsACatchableError() throws {
        let lua = try LuaState()
        let bytes = try WireLuaGuardTests.bigTable(20_000)
        // A Swift function that hands Lua what "the other process" sent, as the worker's
        // request path does: the decoder's error becomes a Lua error once Swift has returned.
        lua.register("receive") { (frame: LuaCallFrame) in
            try WireLua(state: lua).pushDecoded(bytes, on: frame.L)
            return 1
        }
        lua.memoryLimit = lua.memoryUsed + (512 << 10)
        let r = try lua.run(
            string: """
                local ok, err = pcall(receive)
                local after = { 1, 2, 3 }
                return ok, err, #after
                """)
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue?.hasSuffix("not enough memory") == true, "\(r[1])")
        #expect(r[2].intValue == 3)
        lua.memoryLimit = 0
        #expect(try lua.run(string: "return #receive()").first?.intValue == 20_000)
    }

    @Test func keysATableCannotHoldAreDropped() throws {
        let lua = try LuaState()
        // lua_rawset raises on these keys; before the check this aborted the process (or,
        // under a protected call, unwound across the converter's Swift frames).
        let value = WireValue.table(
            WireTable([
                WireEntry(.nil, .integer(1)), WireEntry(.number(.nan), .integer(2)),
                WireEntry(.text("kept"), .integer(3)), WireEntry(.encoded([0]), .integer(4)),
            ]))
        let t = try #require(WireLua(state: lua).luaValue(value, recordMetatable: { _ in nil }).tableValue)
        #expect(t.rawGet("kept").intValue == 3)
        var count = 0
        t.forEach { _, _ in count += 1 }
        #expect(count == 1)
    }
}
