import Foundation
import Testing

/// Shared state a plugin could reach in the one Lua state: the metatable of records, another
/// plugin's exports, and finalizers that would run after the command. Plugin commands run in
/// worker processes (PluginWorkerTests); these tests hold the host's own Lua state, where
/// spec files and `FUPIN_PLUGIN_WORKERS=0` run plugin code, to the same promises.
@Suite struct SandboxSharedStateTests {
    @Test func aPluginCannotReachTheMetatableOfRecords() throws {
        let probe = try SandboxProbe(
            permissions: ["read"],
            commands: [
                // Plant an __index that would see (and answer) every missing-field read of trusted code.
                "plant":
                    "local mt = getmetatable(fp.households:first()) mt.__index = function(t, k) return 'planted' end",
                "swap":
                    "setmetatable(fp.households:first(), { __index = function() return 'planted' end }) return 'swapped'",
                "look": "return tostring(getmetatable(fp.households:first()))",
            ], inProcess: true)
        let plant = try probe.run("plant")
        #expect(plant.status != 0 && plant.status < 128 && plant.stderr.contains("boolean"), "\(plant.stderr)")
        let swap = try probe.run("swap")
        #expect(swap.status != 0 && swap.stderr.contains("protected metatable"), "\(swap.stdout)\(swap.stderr)")
        #expect(try probe.run("look").stdout == "false\n")
        // Trusted code calling the plugin in the same process reads its records unchanged.
        let trusted = try probe.eval(
            """
            pcall(fp.plugins.probe.plant, {}) pcall(fp.plugins.probe.swap, {})
            local h = fp.households:first()
            return tostring(h.no_such_field), #fp.households:list() > 0 and fp.households:list()[1].zzz == nil
            """)
        #expect(trusted.stdout == "nil\ttrue\n", "\(trusted.stdout)\(trusted.stderr)")
    }

    @Test func finalizersAreRefusedAndNeverRunAfterTheCommand() throws {
        let probe = try SandboxProbe(
            permissions: ["read", "write"],
            commands: [
                "arm": "setmetatable({}, { __gc = function() fp.towns:add{ name = 'GC镇' } end }) return 'armed'",
                // __gc added after setmetatable: Lua never marks the object, so it never runs.
                "late":
                    "local mt = {} local t = setmetatable({}, mt) mt.__gc = function() fp.towns:add{ name = 'GC镇' } end "
                    + "keep = t return 'late'",
                "fail": "fp.towns:add{ name = '回滚镇' } setmetatable({}, { __gc = true })",
            ])
        let arm = try probe.run("arm")
        #expect(arm.status != 0 && arm.status < 128, "\(arm.stdout)")
        #expect(arm.stderr.contains("finalizers (__gc) are not allowed"), "\(arm.stderr)")
        let fail = try probe.run("fail")
        #expect(fail.status != 0 && fail.stderr.contains("finalizers"), "\(fail.stderr)")
        let run = try probe.eval(
            """
            pcall(fp.plugins.probe.arm, {}) pcall(fp.plugins.probe.fail, {}) fp.plugins.probe.late{}
            collectgarbage() collectgarbage()
            return fp.towns:where{ name = 'GC镇' }:count() + fp.towns:where{ name = '回滚镇' }:count()
            """)
        #expect(run.status == 0 && run.stdout == "0\n", "\(run.stdout)\(run.stderr)")
        let after = try probe.eval("return fp.towns:where{ name = 'GC镇' }:count()")
        #expect(after.stdout == "0\n", "\(after.stderr)")
        // A manifest that arms a finalizer disables only its plugin, with the reason.
        try "setmetatable({}, { __gc = function() end }) return { name = 'probe', version = '1.0.0', api = 1 }"
            .write(to: probe.pluginFolder.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let list = try FupinBinary.run(
            ["plugins", "list", "--workspace", probe.workspace.path], environment: probe.environment)
        #expect(
            list.stdout.contains("finalizers") || list.stderr.contains("finalizers"), "\(list.stdout)\(list.stderr)")
        let eval = try probe.eval("return 1 + 1")
        #expect(eval.stdout == "2\n")
    }

    @Test func nothingAPluginReturnsRunsItsCodeAfterTheCommand() throws {
        let probe = try SandboxProbe(
            permissions: ["read", "write"],
            commands: [
                "trap": """
                local function write() fp.towns:add{ name = '陷阱镇' } return 'ran' end
                return setmetatable({ n = 1 }, { __index = write, __tostring = write, __len = write, __eq = write }),
                       write, { nested = setmetatable({}, { __index = write }) }, coroutine.create(write)
                """,
                "record": "local h = fp.households:first() return ctx.result(h, '(household #' .. h.id .. ')')",
            ], inProcess: true)
        let r = try probe.eval(
            """
            local t, f, n, co = fp.plugins.probe.trap{}
            local seen = { tostring(t.zzz), tostring(n.nested.zzz), tostring(co), tostring(t):sub(1, 6), tostring(#t), tostring(t == {}) }
            local ok, e = pcall(f)
            seen[#seen + 1] = tostring(ok) .. ' ' .. e
            return table.concat(seen, ' '), fp.towns:where{ name = '陷阱镇' }:count(), tostring(fp.plugins.probe.record{})
            """)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout
                == "nil nil nil table: 0 false false a function returned by plugin probe cannot be called once its command has ended\t0\t(household #1)\n",
            "\(r.stdout)")
    }

    @Test func requireHandsOutACopyOfAnotherPluginsExports() throws {
        let probe = try SandboxProbe(
            permissions: ["read"],
            commands: [
                "spoil": "local lib = require('lib') lib.list[1] = 'spoiled' lib.inner.deep[1] = 'spoiled' "
                    + "lib.get().secret = 'spoiled' lib.list = nil return tostring(lib.inner.deep[1])"
            ], extra: "requires = { 'lib' },", inProcess: true)
        let lib = probe.workspace.appendingPathComponent("plugins/lib")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        try """
        local state = { secret = 'kept' }
        local list = { 'kept', 'kept' }
        local inner = { deep = { 'kept' } }
        return { name = 'lib', version = '1.0.0', api = 1, permissions = { 'read' },
          exports = { list = list, inner = inner, get = function() return state end },
          commands = { show = { run = function() return list[1] .. ' ' .. inner.deep[1] .. ' ' .. state.secret end } } }
        """.write(to: lib.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let r = try probe.eval("local s = fp.plugins.probe.spoil{} return s, fp.plugins.lib.show{}")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "spoiled\tkept kept kept\n", "\(r.stdout)")
    }
}
