import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// Values with hostile metatables given to `fp`: no metamethod runs inside a Swift frame, so
/// an error, a yield or a loop in one can never skip the host's bookkeeping (the view a
/// plugin's natives swap in and must put back).
@Suite struct FpHostileValueTests {
    /// The attack from issue 14: a plugin hands fp.format a list whose first item has a
    /// metatable whose own metatable raises on every read. Before, the host read
    /// `__fp_collection` with `lua_getfield`, the error unwound past `defer { view = saved }`,
    /// and trusted code afterwards saw ID numbers masked (the plugin's view stayed in place).
    @Test func aRaisingMetaMetatableInFormatLeavesTheTrustedViewWhole() throws {
        let fixture = try PluginFixture()
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.plugin(
            "evil",
            """
            { name = "evil", version = "1.0.0", api = 1, permissions = { "read" },
              commands = { go = { run = function()
                local M = setmetatable({}, { __index = function() error("boom") end })
                local ok, err = pcall(fp.format, { setmetatable({}, M) })
                return ok, tostring(err)
              end } } }
            """)
        let host = try fixture.host()
        let whole = try FpTestSupport.run(host, "return fp.members:order_by('id'):first().id_number").first?.stringValue
        #expect(whole?.contains("*") == false)
        let (results, _) = try host.runPluginCommand("evil", "go", arguments: [:])
        #expect(results.first?.boolValue == false)
        #expect(host.view.source == "test")
        #expect(host.view.masksPersonalData == false)
        let after = try FpTestSupport.run(host, "return fp.members:order_by('id'):first().id_number").first?.stringValue
        #expect(after == whole)
    }

    /// Builds the hostile values and the argument lists, and makes one call of a native.
    static let harness = #"""
        local natives, unit = ...
        local behaviours = {
          raise = function() error("hostile") end,
          yield = function() return coroutine.yield("hostile") end,
          loop = function() while true do end end,
        }
        local events = { "__index", "__newindex", "__len", "__tostring", "__name", "__eq", "__lt", "__le",
          "__concat", "__call", "__pairs", "__unm", "__add", "__sub", "__mul", "__div", "__mod", "__pow",
          "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr", "__bnot", "__close" }
        -- No __gc: Lua runs finalizers with hooks off, so a looping one would hang the test (and
        -- the host: a separate issue), and a raising one only prints a warning.
        -- A value whose every metamethod behaves as `b`, and whose metatable's own metatable too.
        local function hostile(b, locked)
          local f = behaviours[b]
          local M = {}
          for _, e in ipairs(events) do M[e] = f end
          if locked then M.__metatable = "locked" end
          setmetatable(M, { __index = f, __newindex = f, __len = f, __tostring = f })
          return setmetatable({}, M), M
        end
        local wrappers = {
          function(h) return h end,
          function(h) return { h } end,
          function(h) return { h, h, n = h } end,
          function(h) return { _c = "households", _f = { h } } end,
          function(h) return { _c = "households", _f = { { head_name = h } } } end,
          function(h) return { _c = "households", _f = { { head_name = { h } } } } end,
          function(h) return { _c = "households", _f = { { head_name = { "in", h } } } } end,
          function(h) return { _c = "households", _f = { { head_name = { "between", h, h } } } } end,
          function(h) return { _c = "households", _o = { h } } end,
          function(h) return { _c = "households", _o = { { h } } } end,
          function(h) return { _c = "households", _g = h, _l = h, _s = h } end,
          function(h) return { _c = h } end,
          function(h) return { head_name = h, [h] = 1 } end,
          function(h) return { limit = h, unmask = h, fields = h, mode = h } end,
          function(h) return { fields = { h }, n = { "sum", h }, m = h } end,
          function(_, M) return { setmetatable({ id = 1 }, M) } end,
          function(_, M) return setmetatable({ _c = "households" }, M) end,
          function(h) return { _c = "households", _f = h, _o = h } end,
        }
        local spec = { _c = "households" }
        local good = {
          { "households", 1, {} },
          { spec, "count" },
          { spec, "list" },
          { spec, "aggregate", { n = "count" } },
          { spec, "sum", "household_size" },
          { "households", 1, { head_name = "x" } },
          { "select 1", {} },
          { 1, 2019 },
        }
        local made = {}
        return { wrappers = #wrappers, good = #good, call = function(name, b, locked, w, g, position)
          local args = table.move(good[g], 1, 3, 1, {})
          local key = b .. tostring(locked)
          made[key] = made[key] or { hostile(b, locked) }
          local h, M = made[key][1], made[key][2]
          args[position] = position == 1 and name == "transaction" and behaviours[b] or wrappers[w](h, M)
          local co = coroutine.wrap(function() return pcall(natives[name], table.unpack(args, 1, 3)) end)
          return co()
        end }
        """#

    /// Every native of a plugin's `fp`, given hostile values in every argument and in the
    /// tables it reads, under a time limit: afterwards the host acts under its own view again,
    /// the plugin's view is as it was, and trusted code reads personal data whole.
    @Test func everyNativeWithHostileValuesKeepsViewsAndMasking() throws {
        let host = try FpTestSupport.sampleHost()
        let pluginView = FpView(source: "plugin:evil:go", allowsWrites: true, masksPersonalData: true)
        let caller = FpCaller(view: pluginView)
        let natives = host.natives(for: caller)
        #expect(natives.count >= 14)
        var functions: [LuaKey: LuaValue] = [:]
        for (name, body) in natives { functions[.string(LuaString(name))] = .function(host.lua.function(body)) }
        let table = try #require(
            try host.lua.load(string: Self.harness, chunkName: "=harness")
                .call(.dictionary(functions)).first?.tableValue)
        let call = try #require(table.rawGet("call").functionValue)
        let wrappers = try #require(table.rawGet("wrappers").intValue)
        let goods = try #require(table.rawGet("good").intValue)
        let whole = try FpTestSupport.run(host, "return fp.members:order_by('id'):first().id_number").first?.stringValue
        var attempts = 0
        var refused = 0
        _ = try host.runUnit(dryRun: true) {
            for name in natives.keys.sorted() {
                for behaviour in ["raise", "yield", "loop"] {
                    for w in 1...wrappers {
                        let locked = w % 2 == 0
                        for g in 1...goods {
                            for position in 1...3 {
                                // transaction's first argument is the function itself: once is enough.
                                if name == "transaction" && position == 1 && (w > 1 || g > 1) { continue }
                                attempts += 1
                                do {
                                    try host.lua.withTimeLimit(.milliseconds(100)) {
                                        let r = try call.call(
                                            .text(name), .text(behaviour), .boolean(locked),
                                            .integer(w), .integer(Int64(g)), .integer(Int64(position)))
                                        if r.count > 1, r[1].description.contains("time limit exceeded") {
                                            refused += 1
                                        }
                                    }
                                } catch let error as LuaError {
                                    // Only a loop the native itself runs (transaction's callback) may time out.
                                    #expect(
                                        error.kind == .timeLimit && name == "transaction",
                                        "\(name) \(behaviour) \(w) \(g) \(position): \(error)")
                                    refused += 1
                                }
                                if host.view.source != "test" || host.view.masksPersonalData || !host.view.allowsWrites
                                    || caller.view.source != pluginView.source || !caller.view.masksPersonalData
                                {
                                    Issue.record(
                                        "\(name) with a \(behaviour) value (wrapper \(w), arguments \(g), position \(position)) left view \(host.view.source)"
                                    )
                                    host.view = FpView(source: "test", operatorName: "测试员")
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(attempts > 1000)
        #expect(refused > 0)
        let after = try FpTestSupport.run(host, "return fp.members:order_by('id'):first().id_number").first?.stringValue
        #expect(after == whole)
        #expect(whole?.contains("*") == false)
    }
}
