import Foundation
import Testing

/// The time limit and Ctrl-C stop SQL inside SQLite (the SQL guard's progress handler) as they
/// stop a Lua loop: within the limit plus a short grace, with the unit rolled back.
@Suite struct SandboxTimeLimitTests {
    /// A statement that would run for minutes: counts to ten billion.
    static let endless =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1e10) SELECT count(*) AS n FROM c"

    @Test func aPluginsRecursiveQueryStopsAtItsTimeLimitAndItsWritesRollBack() throws {
        let probe = try SandboxProbe(
            permissions: ["read", "write", "pii"],
            commands: [
                "cte": "fp.towns:add{ name = '探针镇' } return fp.sql([[\(SandboxTimeLimitTests.endless)]])[1].n",
                // pcall catches the first error; the tripped limit raises again at once.
                "swallow":
                    "fp.towns:add{ name = '探针镇' } local ok, e = pcall(fp.sql, [[\(SandboxTimeLimitTests.endless)]]) "
                    + "fp.towns:add{ name = '又一镇' } return 'went on'",
            ], extra: "limits = { seconds = 1 },")
        for command in ["cte", "swallow"] {
            let start = ContinuousClock.now
            let r = try probe.run(command)
            let took = ContinuousClock.now - start
            #expect(r.status != 0 && r.status < 128, "\(command): \(r.status) \(r.stdout)")
            #expect(r.stderr.contains("ran longer than its limit of 1 s"), "\(command): \(r.stderr)")
            #expect(!r.stdout.contains("went on"))
            #expect(took < .seconds(6), "\(command) took \(took)")
        }
        let towns = try probe.eval(
            "return fp.towns:where{ name = '探针镇' }:count() + fp.towns:where{ name = '又一镇' }:count()")
        #expect(towns.stdout == "0\n", "\(towns.stderr)")
    }

    @Test func ctrlCInTheREPLStopsALongStatementAndTheSessionGoesOn() throws {
        let folder = try FupinBinary.scratchFolder()
        let ws = folder.appendingPathComponent("ws")
        let env = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path,
            "XDG_STATE_HOME": folder.appendingPathComponent("state").path, "TERM": "xterm", "NO_COLOR": "1",
            "FUPIN_BUNDLED_PLUGINS": "",
        ]
        let made = try FupinBinary.run(["init", ws.path, "--sample"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let term = try PseudoTerminal(FupinBinary.path, arguments: ["--workspace", ws.path], environment: env)
        try term.expect("> ")
        term.send("print('counting') n = fp.sql([[\(SandboxTimeLimitTests.endless)]])\r")
        try term.expect("counting\n")
        let start = ContinuousClock.now
        term.send("\u{3}")
        let out = try term.expect("\n> ", timeout: .seconds(10))
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(out.contains("interrupted"), "\(out)")
        term.send("print(fp.households:count() > 0, n)\r")
        #expect(try term.expect("\n> ").contains("true\tnil"))
    }
}
