import Foundation
import Testing

@testable import LuaKit

/// Memory and time limits stop runaway code and leave the state usable.
@Suite struct LimitTests {
    @Test func hugeStringRepIsRefused() throws {
        let lua = try LuaState()
        lua.memoryLimit = 32 << 20
        #expect {
            try lua.run(string: #"local s = string.rep("x", 1 << 30) return #s"#)
        } throws: { ($0 as? LuaError)?.kind == .memory }
        #expect(try lua.run(string: "return #string.rep('x', 1000)").first?.intValue == 1000)
    }

    @Test func growingTableIsStoppedAndStateStaysUsable() throws {
        let lua = try LuaState()
        lua.memoryLimit = 32 << 20
        let r = try lua.run(
            string: """
                local ok, err = pcall(function()
                  local t = {}
                  for i = 1, math.huge do t[i] = { i, tostring(i) } end
                end)
                return ok, err
                """)
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue?.contains("not enough memory") == true)
        lua.collectGarbage()
        #expect(lua.memoryUsed < 32 << 20)
        #expect(try lua.run(string: "local t = {} for i = 1, 1000 do t[i] = i end return #t").first?.intValue == 1000)
    }

    @Test func swiftAllocationsAreNeverRefused() throws {
        let lua = try LuaState()
        lua.memoryLimit = lua.memoryUsed + (1 << 20)
        lua.register("big") { (frame: LuaCallFrame) in
            frame.push(.text(String(repeating: "y", count: 4 << 20)))
            return 1
        }
        // Swift pushed 4 MiB past the limit without a longjmp; Lua code is refused afterwards.
        #expect {
            try lua.run(string: "local s = big() return s .. s")
        } throws: { ($0 as? LuaError)?.kind == .memory }
    }

    @Test func infiniteLoopStopsAtTheTimeLimit() throws {
        let lua = try LuaState()
        lua.timeLimit = .milliseconds(200)
        #expect {
            try lua.run(string: "while true do end")
        } throws: { ($0 as? LuaError)?.kind == .timeLimit }
        #expect(try lua.run(string: "return 1").first?.intValue == 1)
    }

    @Test func pcallCannotSwallowTheTimeLimit() throws {
        let lua = try LuaState()
        lua.timeLimit = .milliseconds(200)
        #expect {
            try lua.run(string: "while true do pcall(function() while true do end end) end")
        } throws: { ($0 as? LuaError)?.kind == .timeLimit }
        #expect {
            try lua.run(
                string: """
                    local function deep(n) if n == 0 then while true do end end
                      return pcall(deep, n - 1) end
                    while true do deep(50) end
                    """)
        } throws: { ($0 as? LuaError)?.kind == .timeLimit }
        #expect {
            try lua.run(
                string: """
                    local co = coroutine.wrap(function() while true do coroutine.yield() end end)
                    while true do pcall(co) end
                    """)
        } throws: { ($0 as? LuaError)?.kind == .timeLimit }
    }

    @Test func nestedTimeLimitNeverExtendsTheOuterOne() throws {
        let lua = try LuaState()
        let loop = try lua.load(string: "while true do end")
        #expect {
            try lua.withTimeLimit(.milliseconds(100)) { try loop.call() }
        } throws: { ($0 as? LuaError)?.kind == .timeLimit }
        #expect(try lua.run(string: "return 'after'").first?.stringValue == "after")
    }

    @Test func interruptFromAnotherThread() throws {
        let lua = try LuaState()
        let handle = lua.interruptHandle
        let started = DispatchSemaphore(value: 0)
        lua.register("started") { (_: LuaCallFrame) in
            started.signal(); return 0
        }
        let other = Thread {
            started.wait()
            handle.interrupt()
        }
        other.start()
        #expect {
            try lua.run(string: "started() while true do end")
        } throws: { ($0 as? LuaError)?.kind == .interrupted }
        #expect(
            try lua.run(string: "local n = 0 for i = 1, 100000 do n = n + i end return n").first?.intValue
                == 5_000_050_000)
    }

    /// `isStopDue` is what a PostgreSQL store's watchdog asks from its own thread: it sees a
    /// passed deadline or an interrupt but trips nothing; the state's thread trips it.
    @Test func stopDueReadsWithoutTripping() throws {
        let lua = try LuaState()
        let handle = lua.interruptHandle
        #expect(!handle.isStopDue)
        var trippedBeforeAsking: String?
        var dueSeen = false
        lua.register("wait_past_deadline") { [unowned lua] (_: LuaCallFrame) in
            // Busy until the clock passes the 5 ms deadline (no Lua runs meanwhile to trip it).
            while !handle.isStopDue {}
            dueSeen = true
            trippedBeforeAsking = lua.limitMessage
            #expect(lua.limitReached())
            return 0
        }
        #expect {
            try lua.withTimeLimit(.milliseconds(5)) { try lua.run(string: "wait_past_deadline() while true do end") }
        } throws: { ($0 as? LuaError)?.kind == .timeLimit }
        #expect(dueSeen)
        #expect(trippedBeforeAsking == nil)
        #expect(!handle.isStopDue)
        handle.interrupt()
        #expect(handle.isStopDue)
        #expect(lua.limitMessage == nil)
        #expect(lua.limitReached())
        #expect(lua.limitMessage == "interrupted")
        // A new top-level call starts clear.
        #expect(try lua.run(string: "return 1").first?.intValue == 1)
        #expect(!handle.isStopDue)
    }

    @Test func memoryAllowanceIsScoped() throws {
        let lua = try LuaState()
        #expect {
            try lua.withMemoryAllowance(4 << 20) {
                try lua.run(string: "local t = {} for i = 1, 1e7 do t[i] = i end")
            }
        } throws: { ($0 as? LuaError)?.kind == .memory }
        #expect(lua.memoryLimit == 0)
        #expect(
            try lua.run(string: "local t = {} for i = 1, 1e6 do t[i] = i end return #t").first?.intValue == 1_000_000)
    }
}
