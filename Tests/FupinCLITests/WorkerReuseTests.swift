import Foundation
import Testing

/// A plugin's worker is kept for the plugin's next command while the host runs (one
/// `fupin eval`/`run` script, the REPL), each command starting from a fresh environment; a
/// worker that hit a limit is replaced. Spec files run in workers like commands. Through the
/// real binary, on the workspace of `PluginWorkerTests` (plugins `spin` and `slow`).
@Suite struct WorkerReuseTests {
    /// A plugin that leaves state everywhere it can reach, and a command that looks for it.
    static let leaky = """
        return { name = "leaky", version = "1.0.0", api = 1, limits = { seconds = 1 }, commands = {
          leave = { run = function(args, ctx)
            left_global = "global"
            pcall(function() fp.left = "fp" end)
            string.left = "string library"
            table.left = "table library"
            local mt = getmetatable(fp.households:get(1))
            if mt then mt.__index = function() return "metatable" end end
            local n = 0
            for h in fp.households:iter() do n = n + 1 end
            return n
          end },
          look = { run = function(args, ctx)
            local h = fp.households:get(1)
            return table.concat({ tostring(left_global), tostring(fp.left), tostring(string.left), tostring(table.left),
                                  tostring(h.no_such_field), tostring(rawget(_G, "left_global")) }, ",")
          end },
          spin = { run = function() return string.find(("a"):rep(5000), ".-.-.-b") end },
        } }
        """

    /// The Lua of a trusted script: `kids()` lists the host's child processes (its workers).
    static let kids = """
        local function kids()
          local pid = io.open("/proc/self/stat"):read("n")
          local f = io.open("/proc/" .. pid .. "/task/" .. pid .. "/children")
          local s = f:read("a") f:close()
          return (s:gsub("%s+$", ""))
        end

        """

    @Test func aWorkerIsReusedWithAFreshEnvironmentPerCommand() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        try PluginWorkerTests.addPlugin(ws, "leaky", WorkerReuseTests.leaky)
        let r = try FupinBinary.run(["eval", "--workspace", ws.path, WorkerReuseTests.kids + """
            local n = fp.plugins.leaky.leave{}
            local first = kids()
            local seen = fp.plugins.leaky.look{}
            local second = kids()
            return n == fp.households:count(), first ~= "" and first == second, seen
            """], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        // One worker served both commands, and nothing the first left reached the second.
        #expect(r.stdout == "true\ttrue\tnil,nil,nil,nil,nil,nil\n", "\(r.stdout)")
    }

    @Test func aWorkerThatHitItsLimitIsReplaced() throws {
        let (ws, env) = try PluginWorkerTests.workspace()
        try PluginWorkerTests.addPlugin(ws, "leaky", WorkerReuseTests.leaky)
        let r = try FupinBinary.run(["eval", "--workspace", ws.path, WorkerReuseTests.kids + """
            fp.plugins.leaky.look{}
            local first = kids()
            local ok, problem = pcall(fp.plugins.leaky.spin, {})
            local after = kids()
            local seen = fp.plugins.leaky.look{}
            local replaced = kids()
            return ok, tostring(problem):find("ran longer than its limit of 1 s", 1, true) ~= nil,
                   first ~= "", after == "", replaced ~= "" and replaced ~= first, seen
            """], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "false\ttrue\ttrue\ttrue\ttrue\tnil,nil,nil,nil,nil,nil\n", "\(r.stdout)")
    }

    /// With FUPIN_WORKER_REUSE=0 every command gets a new process (what the benchmark compares).
    @Test func reuseCanBeTurnedOff() throws {
        var (ws, env) = try PluginWorkerTests.workspace()
        try PluginWorkerTests.addPlugin(ws, "leaky", WorkerReuseTests.leaky)
        env["FUPIN_WORKER_REUSE"] = "0"
        let r = try FupinBinary.run(["eval", "--workspace", ws.path, WorkerReuseTests.kids + """
            fp.plugins.leaky.look{}
            return kids()
            """], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "\n", "\(r.stdout)")
    }
}
