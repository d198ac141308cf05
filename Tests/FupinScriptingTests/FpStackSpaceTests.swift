import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// `fp` natives that hand back a number of values the script chooses check stack space:
/// inside a coroutine (whose stack is small) they return every value, and past Lua's limit
/// they raise "too many results" instead of writing past the stack.
@Suite struct FpStackSpaceTests {
    @Test func transactionReturnsManyResultsInsideACoroutine() throws {
        let host = try FpTestSupport.sampleHost()
        let r = try FpTestSupport.run(
            host,
            """
            local t = {} for i = 1, 3000 do t[i] = i end
            local co = coroutine.wrap(function()
                local n = select('#', fp.transaction(function() return table.unpack(t, 1, 100) end))
                return n, select('#', fp.transaction(function() return table.unpack(t) end)),
                       (select(3000, fp.transaction(function() return table.unpack(t) end)))
            end)
            return co()
            """)
        #expect(r.map(\.intValue) == [100, 3000, 3000])
    }

    @Test func pluginCommandReturnsManyResultsInsideACoroutine() throws {
        let fixture = try PluginFixture()
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.plugin(
            "many",
            """
            { name = "many", version = "1.0.0", api = 1, permissions = { "read" },
              commands = { spill = { args = { { name = "n", type = "integer" } },
                                     run = function(args)
                                       local t = {} for i = 1, args.n do t[i] = i end
                                       return table.unpack(t)
                                     end } } }
            """)
        let host = try fixture.host()
        let r = try FpTestSupport.run(
            host,
            """
            return coroutine.wrap(function()
                local spill = fp.plugins.many.spill
                return select('#', spill{ n = 100 }), select('#', spill{ n = 2500 }), (select(2500, spill{ n = 2500 }))
            end)()
            """)
        #expect(r.map(\.intValue) == [100, 2500, 2500])
    }
}
