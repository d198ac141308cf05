import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// Escape and abuse attempts from plugin code: each is stopped with a clear error, and the
/// host, the database and the file system are unharmed.
@Suite(.serialized) struct PluginSandboxTests {
    static let marker = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-escaped-\(getpid())")

    /// A plugin that runs the Lua text it is given, with `ctx` as `...`.
    static let evil = """
        { name = "evil", version = "1.0.0", api = 1, permissions = { "read" },
          limits = { seconds = 0.3, memory_mb = 16 },
          commands = { attempt = { args = { { name = "code", type = "text", required = true } },
            run = function(args, ctx) local f = assert(load(args.code)); return f(ctx) end } } }
        """

    static let attempts: [(String, String)] = [
        ("os.execute('touch \(marker.path)')", "field 'execute'"),
        ("return io.open('\(marker.path)', 'w')", "global 'io'"),
        ("return io.popen('id')", "global 'io'"),
        ("return package.loadlib('libc.so.6', 'system')", "global 'package'"),
        ("return require('lfs')", "no module lfs.lua in plugin evil"),
        ("return require('../../../etc/passwd')", "a plugin may require its own modules"),
        ("return require('other')", "does not list other in requires"),
        ("return load(string.dump(function() end))", "field 'dump'"),
        ("return assert(load('\\27Lua'))", "binary chunks are not allowed"),
        ("return ('x').dump(function() end)", "field 'dump'"),
        ("return debug.getinfo(1)", "global 'debug'"),
        ("getmetatable('').__index = {}", "string metatable cannot be"),
        ("return getmetatable('').__index.upper", "string metatable cannot be read"),
        ("setmetatable(_ENV, {})", "cannot change a protected metatable"),
        ("return dofile('/etc/passwd')", "global 'dofile'"),
        ("return loadfile('/etc/passwd')", "global 'loadfile'"),
        ("return os.getenv('HOME')", "field 'getenv'"),
        ("os.remove('\(marker.path)')", "field 'remove'"),
        ("collectgarbage('stop')", "not allowed in the sandbox"),
        ("while true do pcall(function() while true do end end) end", "ran longer than its limit"),
        (
            "local co = coroutine.wrap(function() while true do coroutine.yield() end end) while true do co() end",
            "ran longer than its limit"
        ),
        ("local function f() return 1 + f() end return f()", "more memory than its limit"),
        ("local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 100000) .. i end", "more memory than its limit"),
        ("error(setmetatable({}, { __tostring = function() error('nested') end }))", " attempt"),
        (
            "fp.visits:add{ date = '2019-12-01', cadre_id = 1, household_id = 1, mode = '入户' }",
            "has no 'write' permission"
        ),
        (
            "fp.transaction(function() fp.households:update(1, { phone = '13800000000' }) end)",
            "has no 'write' permission"
        ),
        ("local ctx = ... return ctx.write_file('x.txt', 'data')", "has no 'export' permission"),
        ("return fp.sql('SELECT head_id_number FROM households')", "needs the 'pii' permission"),
        ("fp.show(fp.households, { unmask = true })", "needs the 'pii' permission"),
        ("return fp.plugins.other.peek{}", "field 'plugins'"),
        ("return load('return io', 'x', 't', { io = 1 })() .open", "attempt to index a nil value"),
    ]

    func fixture() throws -> PluginFixture {
        let fixture = try PluginFixture()
        try fixture.plugin("evil", PluginSandboxTests.evil)
        // Memory bombs run where time is plentiful, so the memory limit is what stops them.
        try fixture.plugin(
            "hog",
            PluginSandboxTests.evil.replacingOccurrences(of: "\"evil\"", with: "\"hog\"")
                .replacingOccurrences(of: "seconds = 0.3", with: "seconds = 60"))
        try fixture.plugin(
            "other",
            """
            { name = "other", version = "1.0.0", api = 1, commands = { peek = { run = function() return secret end } } }
            """, extra: ["lib/x.lua": "return 1"])
        return fixture
    }

    @Test func everyEscapeAttemptIsStoppedAndLeavesNoTrace() throws {
        #expect(PluginSandboxTests.attempts.count >= 25)
        let host = try fixture().host(inFolder: true)
        let auditBefore = try FpTestSupport.count(host, "audit_log")
        let householdsBefore = try FpTestSupport.run(host, "return fp.households:list()[1].phone").first?.stringValue
        for (code, expected) in PluginSandboxTests.attempts {
            do {
                let plugin = expected.contains("more memory") ? "hog" : "evil"
                let result = try host.run(plugin, "attempt", ["code": .text(code)])
                Issue.record("not stopped: \(code) → \(result)")
            } catch let error as PluginCommandError {
                #expect(error.description.contains(expected), "\(code): \(error.description)")
            }
            // The host still works, with its full library, after each attempt.
            let check = try FpTestSupport.run(host, "return string.rep('a', 2), type(io.open), fp.households:count()")
            #expect(check.first?.stringValue == "aa")
            #expect(check[1].stringValue == "function")
        }
        #expect(!FileManager.default.fileExists(atPath: PluginSandboxTests.marker.path))
        #expect(try FpTestSupport.count(host, "audit_log") == auditBefore, "nothing was written")
        #expect(
            try FpTestSupport.run(host, "return fp.households:list()[1].phone").first?.stringValue == householdsBefore)
        let integrity = try host.workspace.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    @Test func changesAPluginMakesToItsLibrariesStayInItsSandbox() throws {
        let host = try fixture().host()
        _ = try host.run(
            "evil", "attempt",
            [
                "code": .text(
                    """
                    string.rep = nil; table.concat = nil; rawset(math, 'floor', nil)
                    getmetatable(fp.households).__index.list = function() return 'hacked' end
                    secret = 'mine'
                    """)
            ])
        let r = try FpTestSupport.run(
            host, "return string.rep('b', 3), math.floor(2.5), type(fp.households:list()), secret")
        #expect(r[0].stringValue == "bbb")
        #expect(r[1].intValue == 2)
        #expect(r[2].stringValue == "table")
        #expect(r[3].isNil, "a plugin's globals are its own")
        #expect(try host.run("other", "peek").first?.isNil ?? true, "another plugin does not see them either")
    }

    @Test func personalDataReachesAPluginWithoutPiiMasked() throws {
        let fixture = try fixture()
        try fixture.plugin(
            "trusted-pii",
            """
            { name = "trusted-pii", version = "1.0.0", api = 1, permissions = { "read", "pii" },
              commands = { id = { run = function() return fp.households:order_by("id"):first().head_id_number end } } }
            """)
        let host = try fixture.host()
        let masked =
            try host.run(
                "evil", "attempt", ["code": .text("return fp.households:order_by('id'):first().head_id_number")]
            ).first?.stringValue ?? ""
        let iterated =
            try host.run(
                "evil", "attempt",
                ["code": .text("for h in fp.households:order_by('id'):iter() do return h.head_id_number end")]
            ).first?.stringValue ?? ""
        let full = try host.run("trusted-pii", "id").first?.stringValue ?? ""
        #expect(masked.contains("*"))
        #expect(iterated == masked)
        #expect(full.count == 18 && !full.contains("*"))
        #expect(masked.prefix(4) == full.prefix(4))
        // The trusted host sees it too, unmasked, whatever the plugin's view was.
        #expect(
            try FpTestSupport.run(host, "return fp.households:order_by('id'):first().head_id_number").first?.stringValue
                == full)
    }

    /// `write:own`: the plugin writes its own ledgers (through fp and ctx.import_csv) and nothing
    /// else; a refused write names what it may write and leaves the database as it was.
    @Test func writeOwnWritesOnlyThePluginsLedgers() throws {
        let fixture = try fixture()
        try fixture.plugin(
            "tally",
            """
            { name = "tally", version = "1.0.0", api = 1, permissions = { "read", "write:own" },
              ledgers = { tallies = { label = "计数", fields = { { name = "n", type = "integer", required = true } } } },
              commands = {
                own = { run = function(args, ctx) return fp.tallies:add{ n = 1 }.id end },
                core = { run = function(args, ctx) fp.notes:add{ unit_id = 1, year = 2019, kind = "problem", text = "x" } end },
                edit = { run = function(args, ctx) fp.households:update(1, { size = 9 }) end },
                drop = { run = function(args, ctx) fp.households:remove(1) end },
              } }
            """)
        let host = try fixture.host()
        #expect(try host.run("tally", "own").first?.intValue == 1)
        let before = try host.workspace.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") }
        for (command, what) in [("core", "notes:add"), ("edit", "households:update"), ("drop", "households:remove")] {
            do {
                _ = try host.run("tally", command)
                Issue.record("\(command) wrote")
            } catch let error as PluginCommandError {
                #expect(
                    error.message.contains(
                        "\(what): this caller (plugin:tally:\(command)) may write only its own ledgers (tallies)"),
                    "\(error.message)")
            }
        }
        let after = try host.workspace.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") }
        #expect(after == before)
        #expect(try host.workspace.get("households", id: 1)?.value("size") != .integer(9))
    }

    /// The ctx a command receives has exactly the documented members (FpAPI.ctx, ctxFields),
    /// which the stubs and docs/plugins.md are made from.
    @Test func ctxHasExactlyTheDocumentedMembers() throws {
        let fixture = try fixture()
        try fixture.plugin(
            "lister",
            """
            { name = "lister", version = "1.0.0", api = 1, permissions = { "read" },
              commands = { keys = { run = function(args, ctx)
                local out = {}
                for k, v in pairs(ctx) do out[#out + 1] = k .. ":" .. type(v) end
                table.sort(out)
                return table.concat(out, ",")
              end } } }
            """)
        let host = try fixture.host()
        let listed = try host.run("lister", "keys").first?.stringValue ?? ""
        let documented = (FpAPI.ctx.map { "\($0.name):function" } + FpAPI.ctxFields.map { "\($0.name):string" })
            .sorted()
        #expect(listed == documented.joined(separator: ","))
        let guide = try String(
            contentsOf: LuaAPIDocTests.docURL.deletingLastPathComponent().appendingPathComponent("plugins.md"),
            encoding: .utf8)
        for member in FpAPI.ctx {
            #expect(guide.contains("`ctx.\(member.name)("), "docs/plugins.md: ctx.\(member.name)")
        }
        for field in FpAPI.ctxFields {
            #expect(guide.contains("`ctx.\(field.name)`"), "docs/plugins.md: ctx.\(field.name)")
        }
    }

    @Test func exportsGoOnlyUnderExportsFolder() throws {
        let fixture = try fixture()
        try fixture.plugin(
            "exporter",
            """
            { name = "exporter", version = "1.0.0", api = 1, permissions = { "read", "export" },
              commands = { save = { args = { { name = "path", type = "path", required = true } },
                run = function(args, ctx) return ctx.write_file(args.path, "数据") end } } }
            """)
        let host = try fixture.host(inFolder: true)
        let folder = try #require(host.workspace.folder)
        let saved = try host.run("exporter", "save", ["path": .text("reports/2019.txt")]).first?.stringValue
        #expect(saved == folder.appendingPathComponent("exports/reports/2019.txt").path)
        #expect(try String(contentsOfFile: saved ?? "", encoding: .utf8) == "数据")
        for bad in [
            "../escape.txt", "/etc/fupin-escape", "a/../../b.txt", folder.appendingPathComponent("fupin.sqlite").path,
        ] {
            #expect(throws: PluginCommandError.self, "\(bad)") {
                try host.run("exporter", "save", ["path": .text(bad)])
            }
        }
        // A symbolic link inside exports/ may not lead out either.
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("exports/out").path, withDestinationPath: "/tmp")
        do {
            _ = try host.run("exporter", "save", ["path": .text("out/escaped.txt")])
            Issue.record("wrote through a link")
        } catch let error as PluginCommandError {
            #expect(error.message.contains("leads outside exports/"))
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/escaped.txt"))
    }

    @Test func aCommandThatFailsOrHitsALimitRollsBackItsWrites() throws {
        let fixture = try fixture()
        try fixture.plugin(
            "writer",
            """
            { name = "writer", version = "1.0.0", api = 1, permissions = { "read", "write" }, limits = { seconds = 0.3 },
              commands = {
                loop = { run = function() fp.towns:add{ name = "新镇" } while true do end end },
                fail = { run = function(_, ctx) fp.towns:add{ name = "新镇" } ctx.fail("the input was wrong") end },
                ok = { run = function() return fp.towns:add{ name = "新镇" }.id end } } }
            """)
        let host = try fixture.host()
        let before = try FpTestSupport.count(host, "towns")
        do { _ = try host.run("writer", "loop"); Issue.record("loop ended") } catch let error as PluginCommandError {
            #expect(error.message.contains("ran longer than its limit of 0.3 s; its changes were rolled back"))
            #expect(!error.isUserError)
        }
        do { _ = try host.run("writer", "fail"); Issue.record("fail succeeded") } catch let error as PluginCommandError
        {
            #expect(error.description == "writer fail: the input was wrong", "a user error has no traceback")
            #expect(error.isUserError)
        }
        #expect(try FpTestSupport.count(host, "towns") == before)
        _ = try host.run("writer", "ok")
        #expect(try FpTestSupport.count(host, "towns") == before + 1)
        let source = try host.workspace.read { db in
            try String.fetchOne(db, sql: "SELECT source FROM audit_log ORDER BY id DESC LIMIT 1")
        }
        #expect(source == "plugin:writer:ok")
        // From a script, a failing command rolls back only its own savepoint.
        let r = try FpTestSupport.run(
            host,
            """
            fp.towns:add{ name = '脚本镇' }
            local ok, err = pcall(fp.plugins.writer.fail, {})
            return ok, err, fp.towns:where{ name = '新镇' }:count()
            """)
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue?.contains("writer fail: the input was wrong") == true)
        #expect(r[2].intValue == 1)
    }

    @Test func errorsNamePluginFileAndLineWithoutHostFrames() throws {
        let fixture = try fixture()
        try fixture.plugin(
            "buggy",
            PluginFixture.manifest(
                "buggy", "commands = { go = { run = function() return require('lib.deep').go() end } }"),
            extra: ["lib/deep.lua": "local M = {}\nfunction M.go()\n  local t = nil\n  return t.field\nend\nreturn M\n"]
        )
        let host = try fixture.host()
        do { _ = try host.run("buggy", "go"); Issue.record("no error") } catch let error as PluginCommandError {
            #expect(error.message.contains("buggy/lib/deep.lua:4: attempt to index a nil value"))
            let traceback = error.traceback ?? ""
            #expect(traceback.contains("buggy/lib/deep.lua:4"))
            #expect(!traceback.contains("[C]"))
        }
    }
}
