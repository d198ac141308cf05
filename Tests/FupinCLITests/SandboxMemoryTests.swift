import Foundation
import Testing

/// What the host holds for a plugin counts against its memory limit: results are built row by
/// row with the limit checked, and open iterators (SQLite statements) are charged too.
@Suite struct SandboxMemoryTests {
    /// Runs `fupin probe COMMAND` under /usr/bin/time when present; returns the result and the
    /// peak resident set in KB (nil without /usr/bin/time).
    static func measured(_ probe: SandboxProbe, _ command: String) throws -> (FupinBinary.Result, Int?) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            return (try probe.run(command), nil)
        }
        var r = try FupinBinary.run(
            [
                "/usr/bin/time", "-f", "peak=%M", FupinBinary.path, "probe", command, "--workspace",
                probe.workspace.path,
            ],
            environment: probe.environment, viaEnv: true)
        let lines = r.stderr.split(separator: "\n")
        let peak = lines.last.flatMap { $0.hasPrefix("peak=") ? Int($0.dropFirst(5)) : nil }
        r.stderr = lines.filter { !$0.hasPrefix("peak=") && !$0.hasPrefix("Command exited") }.joined(separator: "\n")
        return (r, peak)
    }

    @Test func hugeResultsAndManyIteratorsStopAtTheLimit() throws {
        let probe = try SandboxProbe(
            permissions: ["read", "pii"],
            commands: [
                "sql":
                    "return #fp.sql([[WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) "
                    + "SELECT x, 'some padding to make each row larger' AS p FROM c]])",
                "list": "return #fp.t:list()",
                "iters": "local keep = {} for i = 1, 1000000 do keep[i] = fp.households:iter() end return #keep",
                "dropped": "for i = 1, 3000 do local it = fp.households:iter() it() end return 'fine'",
            ],
            extra:
                "limits = { memory_mb = 16, seconds = 60 }, ledgers = { t = { fields = { { name = 'text', type = 'text' } } } },"
        )
        // 40 MB of records in the plugin's own ledger, added by trusted code.
        let fill = try probe.eval(
            "local s = string.rep('x', 8000) for i = 1, 5000 do fp.t:add{ text = s .. i } end return fp.t:count()")
        #expect(fill.stdout == "5000\n", "\(fill.stderr)")
        for command in ["sql", "list", "iters"] {
            let (r, peak) = try SandboxMemoryTests.measured(probe, command)
            #expect(r.status != 0 && r.status < 128, "\(command): \(r.stdout)")
            #expect(
                r.stderr.contains("memory limit") || r.stderr.contains("more memory than its limit"),
                "\(command): \(r.stderr)")
            if let peak { #expect(peak < 300_000, "\(command) peaked at \(peak) KB under a 16 MB limit") }
        }
        // Iterators the plugin drops are collected, so a loop of short reads stays within the limit.
        let dropped = try probe.run("dropped")
        #expect(dropped.status == 0 && dropped.stdout == "fine\n", "\(dropped.stderr)")
        // Trusted code has no such limit.
        let trusted = try probe.eval("return #fp.t:list()")
        #expect(trusted.stdout == "5000\n", "\(trusted.stderr)")
    }
}
