import Foundation
import Testing

/// Plugin commands run in worker processes (issue 15, docs/worker-protocol.md): the host kills
/// a worker at its time limit wherever it is, the command's writes roll back, the exit status
/// stays below 128, and the worker is confined (seccomp, rlimits, one socket). Run as the real
/// binary over a workspace holding one plugin.
@Suite struct PluginWorkerTests {
    static let manifest = """
        return {
          name = "spin", version = "1.0.0", api = 1, permissions = { "read", "write" },
          limits = { seconds = 1 },
          commands = {
            cfind = { summary = "writes, then loops inside string.find", run = function(args, ctx)
                fp.visits:add{ date = "2019-12-01", cadre_id = 1, household_id = 1, mode = "入户" }
                return string.find(("a"):rep(5000), ".-.-.-b")
              end },
            move = { summary = "writes, then loops inside table.move", run = function(args, ctx)
                fp.visits:add{ date = "2019-12-01", cadre_id = 1, household_id = 1, mode = "入户" }
                return table.move({}, 1, 2e9, 2, {})
              end },
            finalizer = { summary = "writes, then arms a finalizer that would loop", run = function(args, ctx)
                fp.visits:add{ date = "2019-12-01", cadre_id = 1, household_id = 1, mode = "入户" }
                setmetatable({}, { __gc = function() string.find(("a"):rep(5000), ".-.-.-b") end })
                local t = {}
                for i = 1, 1e8 do t[i % 1000] = { i } end
              end },
            lua = { summary = "loops in Lua", run = function() while true do end end },
            count = { summary = "counts and lists households", run = function(args, ctx)
                local n = 0
                for h in fp.households:iter() do n = n + 1 end
                ctx.print(("%d %d %s"):format(n, fp.households:count(), fp.households:get(1).head_id_number))
                return ctx.result({ n = n }, "(" .. n .. " households)")
              end },
          },
        }
        """

    /// A workspace with the sample data and the spin plugin in its plugins/ folder.
    static func workspace() throws -> (URL, [String: String]) {
        let folder = try FupinBinary.scratchFolder()
        let env = [
            "FUPIN_BUNDLED_PLUGINS": "", "FUPIN_PLUGIN_PATH": "",
            "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
        ]
        let plugin = folder.appendingPathComponent("ws/plugins/spin")
        try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
        try manifest.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        // A plugin with a long limit, for Ctrl-C to stop first.
        let slow = folder.appendingPathComponent("ws/plugins/slow")
        try FileManager.default.createDirectory(at: slow, withIntermediateDirectories: true)
        try """
        return { name = "slow", version = "1.0.0", api = 1, limits = { seconds = 60 }, commands = {
          spin = { run = function(args, ctx) ctx.print("spinning") return string.find(("a"):rep(5000), ".-.-.-b") end } } }
        """.write(to: slow.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let ws = folder.appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", ws.path, "--sample"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return (ws, env)
    }

    static func visits(_ ws: URL, _ env: [String: String]) throws -> String {
        try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.visits:count()"], environment: env).stdout
    }

    @Test(arguments: ["cfind", "move", "lua"])
    func theTimeLimitHoldsWhereverThePluginLoops(_ command: String) throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        let before = try PluginWorkerTests.visits(ws, env)
        let started = Date()
        let r = try FupinBinary.run(["spin", command, "--workspace", ws.path], environment: env)
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(
            r.stderr.contains(
                "spin \(command): stopped: it ran longer than its limit of 1 s; its changes were rolled back"),
            "\(r.stderr)")
        // The limit (1 s) plus the host's grace (0.5 s) plus start-up on a busy machine.
        #expect(elapsed < 3.5, "took \(elapsed) s")
        #expect(try PluginWorkerTests.visits(ws, env) == before)
    }

    /// A finalizer would run whenever the collector gets to it, after the command: the
    /// sandbox refuses to arm one, the command fails as the plugin's error, its write undone.
    @Test func aFinalizerIsRefusedAndTheCommandRollsBack() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        let before = try PluginWorkerTests.visits(ws, env)
        let r = try FupinBinary.run(["spin", "finalizer", "--workspace", ws.path], environment: env)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("finalizers (__gc) are not allowed in the sandbox"), "\(r.stderr)")
        #expect(try PluginWorkerTests.visits(ws, env) == before)
    }

    @Test func commandsGetMaskedPlainDataAndTheirResultLine() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        let r = try FupinBinary.run(["spin", "count", "--workspace", ws.path], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(r.stdout)")
        let words = lines.first?.split(separator: " ").map(String.init) ?? []
        #expect(words.count == 3 && words[0] == words[1] && Int(words[0]) ?? 0 > 0, "\(r.stdout)")
        // The plugin has no 'pii': the ID number reaches it masked.
        #expect(words.last?.contains("*") == true, "\(r.stdout)")
        #expect(lines.last == "(\(words.first ?? "") households)")
        // Trusted code calling the command gets plain data back through the worker.
        let script = try FupinBinary.run(
            [
                "eval", "--workspace", ws.path,
                "local r = fp.plugins.spin.count{} return r.n == fp.households:count(), tostring(r)",
            ], environment: env)
        #expect(
            script.stdout.hasSuffix("true\t(\(words.first ?? "") households)\n"), "\(script.stdout) \(script.stderr)")
    }

    @Test func pluginsSaysHowCommandsAreIsolated() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        let list = try FupinBinary.run(["plugins", "--workspace", ws.path], environment: env)
        #expect(list.stdout.contains("isolation: plugin commands run in worker processes"), "\(list.stdout)")
        #expect(list.stdout.contains("with a seccomp filter") || list.stdout.contains("seccomp is unavailable ("))
        var inProcess = env
        inProcess["FUPIN_PLUGIN_WORKERS"] = "0"
        let off = try FupinBinary.run(["plugins", "--workspace", ws.path], environment: inProcess)
        #expect(off.stdout.contains("isolation: plugin commands run in the host process"))
    }

    /// While a command spins, its worker is a child of fupin with the filter on, no new
    /// privileges, a capped address space and processor time, and descriptors 0–3 only.
    @Test func theWorkerIsConfined() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FupinBinary.path)
        process.arguments = ["spin", "cfind", "--workspace", ws.path]
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.waitUntilExit() }
        // Polls /proc until the worker has confined itself (bounded by the command's own limit).
        var status = ""
        var limits = ""
        var descriptors: [String] = []
        let deadline = Date().addingTimeInterval(1.2)
        while Date() < deadline {
            let children =
                (try? String(
                    contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children",
                    encoding: .utf8)) ?? ""
            if let child = children.split(separator: " ").first {
                status = (try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8)) ?? ""
                if status.contains("Seccomp:\t2") {
                    limits = (try? String(contentsOfFile: "/proc/\(child)/limits", encoding: .utf8)) ?? ""
                    descriptors = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(child)/fd")) ?? [])
                        .sorted()
                    break
                }
            }
            usleep(5_000)
        }
        #expect(status.contains("Seccomp:\t2"), "no worker with a seccomp filter was seen")
        #expect(status.contains("NoNewPrivs:\t1"))
        let address = limits.split(separator: "\n").first { $0.hasPrefix("Max address space") } ?? ""
        let cpu = limits.split(separator: "\n").first { $0.hasPrefix("Max cpu time") } ?? ""
        #expect(!address.isEmpty && !address.contains("unlimited"), "\(limits)")
        #expect(cpu.contains(" 2 "), "\(cpu)")
        #expect(descriptors == ["0", "1", "2", "3"], "\(descriptors)")
    }

    /// The REPL session and its locals survive a plugin killed at its limit.
    @Test func theReplSurvivesAKilledPlugin() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        let sandbox = try ReplInteractiveTests.Sandbox()
        var environment = sandbox.environment
        for (k, v) in env { environment[k] = v }
        let term = try PseudoTerminal(FupinBinary.path, arguments: ["--workspace", ws.path], environment: environment)
        try term.expect("> ")
        term.send("local kept = 41\r")
        try term.expect("\n> ")
        term.send(":run spin cfind\r")
        #expect(try term.expect("\n> ").contains("ran longer than its limit of 1 s"))
        term.send("pcall(fp.plugins.spin.lua, {})\r")
        #expect(try term.expect("\n> ").contains("false"))
        term.send("kept + 1, fp.visits:count() > 0\r")
        #expect(try term.expect("\n> ").contains("42\ttrue"))
        // Ctrl-C stops a worker busy inside a C function, long before its limit of 60 s.
        let started = Date()
        term.send(":run slow spin\r")
        try term.expect("spinning")
        term.send("\u{3}")
        #expect(try term.expect("\n> ").contains("slow spin: interrupted; its changes were rolled back"))
        #expect(Date().timeIntervalSince(started) < 10)
        term.send("kept * 2\r")
        #expect(try term.expect("\n> ").contains("82"))
    }

    /// A manifest that loops inside a C function is read in a worker: it disables only its
    /// plugin, with the reason, and the result is cached by content, so later commands do not
    /// wait for it again; a changed manifest is read again.
    @Test func aLoopingManifestDisablesOnlyItsPluginOnce() throws {
        var (ws, env) = try PluginWorkerTests.workspace()
        env["XDG_CACHE_HOME"] = ws.deletingLastPathComponent().appendingPathComponent("cache").path
        let loopy = ws.appendingPathComponent("plugins/loopy")
        try FileManager.default.createDirectory(at: loopy, withIntermediateDirectories: true)
        let looping = """
            string.find(("a"):rep(5000), ".-.-.-b")
            return { name = "loopy", version = "1.0.0", api = 1 }
            """
        try looping.write(to: loopy.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        var started = Date()
        let first = try FupinBinary.run(["plugins", "--workspace", ws.path], environment: env)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(
            first.stdout.split(separator: "\n").contains {
                $0.hasPrefix("loopy") && $0.contains("disabled")
                    && $0.contains("plugin.lua failed: it ran longer than 2 s while being read")
            }, "\(first.stdout)")
        started = Date()
        let second = try FupinBinary.run(["spin", "count", "--workspace", ws.path], environment: env)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Date().timeIntervalSince(started) < 1.5, "the looping manifest was read again")
        try looping.replacingOccurrences(of: "string.find", with: "local _ = string.len")
            .write(to: loopy.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let fixed = try FupinBinary.run(["plugins", "--workspace", ws.path], environment: env)
        #expect(
            fixed.stdout.split(separator: "\n").contains { $0.hasPrefix("loopy") && $0.contains("enabled") },
            "\(fixed.stdout)")
    }

    /// Writes plugin `name`'s plugin.lua into the workspace.
    static func addPlugin(_ ws: URL, _ name: String, _ manifest: String) throws {
        let folder = ws.appendingPathComponent("plugins/\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try manifest.write(to: folder.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
    }

    /// A plugin changing the metatable of the records it gets changes nothing trusted code
    /// reads: its records are its own copies. (Finalizers, the way to do it later, are refused.)
    @Test func aPluginCannotChangeWhatTrustedCodeReads() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        try PluginWorkerTests.addPlugin(
            ws, "spy",
            """
            local function tamper()
              local mt = getmetatable(fp.households:get(1))
              if mt then mt.__index = function() return "spied" end end
            end
            return { name = "spy", version = "1.0.0", api = 1, commands = {
              tamper = { run = function(args, ctx)
                tamper()
                return ctx.result({ tampered = getmetatable(fp.households:get(1)) ~= nil }, "tampered")
              end } } }
            """)
        let r = try FupinBinary.run(
            [
                "eval", "--workspace", ws.path,
                """
                local before = fp.households:get(1)
                local t = fp.plugins.spy.tamper{}
                collectgarbage() collectgarbage()
                local after = fp.households:get(1)
                return t.tampered, tostring(before.no_such_field), tostring(after.no_such_field), (getmetatable(after) == false or rawget(getmetatable(after), "__index") == nil)
                """,
            ], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "true\tnil\tnil\ttrue\n", "\(r.stdout)")
    }

    /// `require("other-plugin")` gives a copy: what one command changes in it is gone for the
    /// next command and for the plugin that exports it.
    @Test func requiredExportsArriveAsCopies() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        try PluginWorkerTests.addPlugin(
            ws, "lib",
            """
            local rates = { 3, 5 }
            return { name = "lib", version = "1.0.0", api = 1, exports = { rates = rates },
              commands = { rate = { run = function() return rates[1] end } } }
            """)
        try PluginWorkerTests.addPlugin(
            ws, "user",
            """
            return { name = "user", version = "1.0.0", api = 1, requires = { "lib >= 1" }, commands = {
              poison = { run = function() local l = require("lib") l.rates[1] = 99 return l.rates[1] end },
              read = { run = function() return require("lib").rates[1] end } } }
            """)
        let r = try FupinBinary.run(
            [
                "eval", "--workspace", ws.path,
                """
                return fp.plugins.user.poison{}, fp.plugins.user.read{}, fp.plugins.lib.rate{}
                """,
            ], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "99\t3\t3\n", "\(r.stdout)")
    }

    /// Records a plugin iterates are encoded straight from the cursor for its worker: every
    /// value of every collection (kinds included, personal data masked) must read exactly as
    /// in-process, and as `list` gives it.
    @Test func iteratedRecordsReadAsInProcess() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        try PluginWorkerTests.addPlugin(
            ws, "dump",
            """
            local function line(r)
              local keys = {}
              for k in pairs(r) do keys[#keys + 1] = k end
              table.sort(keys)
              local parts = {}
              for _, k in ipairs(keys) do
                local v = r[k]
                parts[#parts + 1] = k .. "=" .. (math.type(v) or type(v)) .. ":" .. tostring(v)
              end
              return table.concat(parts, " ")
            end
            return { name = "dump", version = "1.0.0", api = 1, commands = {
              all = { run = function(args, ctx)
                for _, c in ipairs(fp.collections()) do
                  local listed = fp[c]:order_by("id"):list()
                  local i = 0
                  for r in fp[c]:order_by("id"):iter() do
                    i = i + 1
                    local a, b = line(r), line(listed[i])
                    if a ~= b then error(c .. " #" .. i .. ": iter " .. a .. " but list " .. b) end
                    ctx.print(c .. " " .. a)
                  end
                end
              end } } }
            """)
        let worker = try FupinBinary.run(["dump", "all", "--workspace", ws.path], environment: env)
        var inProcessEnv = env
        inProcessEnv["FUPIN_PLUGIN_WORKERS"] = "0"
        let inProcess = try FupinBinary.run(["dump", "all", "--workspace", ws.path], environment: inProcessEnv)
        #expect(worker.status == 0, "\(worker.stderr)")
        #expect(inProcess.status == 0, "\(inProcess.stderr)")
        #expect(worker.stdout.split(separator: "\n").count > 100)
        #expect(worker.stdout == inProcess.stdout)
        // The plugin has no 'pii': ID numbers reach it masked.
        #expect(worker.stdout.contains("head_id_number=string:") && worker.stdout.contains("*"))
    }
}
