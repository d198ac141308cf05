import Testing

@testable import LuaKit

/// Swift functions get a fast C trampoline (a static slot) while slots last, and the general
/// one (upvalue lookup) after; either way every function calls its own body, errors still
/// reach Lua, and the slots of a closed state are reused.
@Suite struct FunctionSlotTests {
    @Test func moreFunctionsThanSlotsEachCallTheirOwnBody() throws {
        let lua = try LuaState()
        for i in 0..<300 {
            lua.register("f\(i)") { frame in
                frame.push(Int64(i))
                return 1
            }
        }
        let r = try lua.run(
            string: "local s = 0 for i = 0, 299 do assert(_G['f' .. i]() == i) s = s + _G['f' .. i]() end return s")
        #expect(r.first?.intValue == (0..<300).reduce(0, +))
    }

    @Test func errorsAndCollectionWorkOnBothTrampolines() throws {
        final class Probe {}
        weak var released: Probe?
        let lua = try LuaState()
        do {
            for i in 0..<200 {
                lua.register("boom\(i)") { (_: LuaCallFrame) in throw LuaScriptError("boom \(i)") }
            }
            let r = try lua.run(string: "local ok1, e1 = pcall(boom0) local ok2, e2 = pcall(boom199) return e1, e2")
            #expect(r[0].stringValue?.hasSuffix("boom 0") == true)
            #expect(r[1].stringValue?.hasSuffix("boom 199") == true)
            let probe = Probe()
            released = probe
            lua.register("holder") { (_: LuaCallFrame) in
                _ = probe; return 0
            }
        }
        #expect(released != nil)
        _ = try lua.run(string: "holder = nil collectgarbage() collectgarbage()")
        #expect(released == nil)  // the holder's __gc released the body and what it captured
    }

    @Test func closedStatesGiveTheirSlotsBack() throws {
        for round in 0..<5 {
            let lua = try LuaState()
            for i in 0..<100 {
                lua.register("g\(i)") { frame in
                    frame.push(Int64(round * 1000 + i))
                    return 1
                }
            }
            let r = try lua.run(string: "return g0(), g99()")
            #expect(r.map(\.intValue) == [Int64(round * 1000), Int64(round * 1000 + 99)])
        }
    }
}
