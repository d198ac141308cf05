import Foundation
import Testing

/// Read-only SQL is held to reading by SQLite itself (the SQL guard's authorizer), for a plugin
/// holding `read` and `pii` — the only plugins `fp.sql` serves — and for trusted code.
@Suite struct SandboxSQLTests {
    /// Statements SQLite calls read-only, or that change the connection while compiling.
    static let attacks: [(sql: String, expect: String)] = [
        ("PRAGMA query_only(1)", "PRAGMA query_only(1) is not allowed"),
        ("PRAGMA query_only = 1", "PRAGMA query_only(1) is not allowed"),
        ("PRAGMA writable_schema(1)", "PRAGMA writable_schema(1) is not allowed"),
        ("PRAGMA locking_mode(EXCLUSIVE)", "PRAGMA locking_mode(EXCLUSIVE) is not allowed"),
        ("pragma LOCKING_MODE = exclusive", "is not allowed"),
        ("PRAGMA main.locking_mode(EXCLUSIVE)", "is not allowed"),
        ("PRAGMA foreign_keys(0)", "PRAGMA foreign_keys(0) is not allowed"),
        ("SELECT fts3_tokenizer('simple')", "SQL function fts3_tokenizer()"),
        ("SELECT load_extension('/tmp/x.so')", "SQL function load_extension()"),
        ("SELECT readfile('/etc/passwd')", "fp.sql"),
        ("SELECT zeroblob(1000000000)", "SQL function zeroblob()"),
        ("ATTACH DATABASE '/tmp/fupin-probe.sqlite' AS x", "cannot attach or detach databases (ATTACH)"),
        ("DETACH DATABASE main", "(DETACH)"),
        ("/* x */ SAVEPOINT s", "cannot end or nest the unit's transaction"),
        ("-- c\n COMMIT", "(COMMIT)"),
        ("WITH x AS (SELECT 1) SELECT * FROM x; DELETE FROM notes", "fp.sql"),
        ("UPDATE sqlite_master SET sql = 'x' WHERE 0", "sqlite_master may not be modified"),
        ("SELECT * FROM pragma_foreign_keys(0)", "fp.sql"),
        ("VACUUM INTO '/tmp/fupin-probe-vacuum.sqlite'", "fp.sql is read-only"),
        ("EXPLAIN DELETE FROM notes", "would write"),
    ]

    @Test func aPluginCannotRunAnythingButReadsThroughFpSQL() throws {
        var commands: [String: String] = [:]
        for (i, attack) in SandboxSQLTests.attacks.enumerated() {
            commands["a\(i)"] = "local rows = fp.sql([==[\(attack.sql)]==]) ctx.print('ran') return #rows"
        }
        commands["ok"] = "return fp.sql('SELECT upper(?) AS u, count(*) AS n FROM households', { 'x' })[1].u"
        let probe = try SandboxProbe(permissions: ["read", "pii"], commands: commands)
        for (i, attack) in SandboxSQLTests.attacks.enumerated() {
            let r = try probe.run("a\(i)")
            #expect(r.status != 0 && r.status < 128, "\(attack.sql) ran: \(r.stdout)")
            #expect(!r.stdout.contains("ran"), "\(attack.sql)")
            #expect(r.stderr.contains(attack.expect), "\(attack.sql): \(r.stderr)")
        }
        // The refused pragmas never took effect (they act while compiling, before any check).
        // query_only/writable_schema/locking_mode are read in the same process as the attempts.
        commands["both"] =
            "pcall(fp.sql, 'PRAGMA query_only(1)') pcall(fp.sql, 'PRAGMA writable_schema(1)') "
            + "pcall(fp.sql, 'PRAGMA locking_mode(EXCLUSIVE)') "
            + "ctx.print(fp.sql('PRAGMA query_only')[1].query_only .. fp.sql('PRAGMA writable_schema')[1].writable_schema)"
        let again = try SandboxProbe(permissions: ["read", "pii"], commands: commands)
        let both = try again.run("both")
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout == "00\n", "\(both.stdout)")
        let ok = try probe.run("ok")
        #expect(ok.status == 0 && ok.stdout == "X\n", "\(ok.stderr)")
        // Nothing was attached or created beside the workspace.
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fupin-probe.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fupin-probe-vacuum.sqlite"))
    }

    @Test func trustedCodeIsHeldToReadingToo() throws {
        let probe = try SandboxProbe(permissions: ["read"], commands: ["go": "return 1"])
        let pragma = try probe.eval("return fp.sql('PRAGMA writable_schema = 1')")
        #expect(
            pragma.status == 1 && pragma.stderr.contains("PRAGMA writable_schema(1) is not allowed"), "\(pragma.stderr)"
        )
        let tokenizer = try probe.eval("return fp.sql(\"SELECT fts3_tokenizer('simple')\")")
        #expect(tokenizer.status == 1 && tokenizer.stderr.contains("fts3_tokenizer()"), "\(tokenizer.stderr)")
        let reading = try probe.eval(
            "return fp.sql('PRAGMA table_info(households)')[2].name .. fp.sql('SELECT date(\\'2019-01-31\\', \\'+1 day\\') AS d')[1].d"
        )
        #expect(reading.status == 0 && reading.stdout == "number2019-02-01\n", "\(reading.stderr)")
        // Table-valued functions read too.
        let valued = try probe.eval(
            "return fp.sql(\"SELECT name FROM pragma_table_info('households') LIMIT 1\")[1].name .. fp.sql(\"SELECT sum(value) AS s FROM json_each('[1,2]')\")[1].s"
        )
        #expect(valued.status == 0 && valued.stdout == "id3\n", "\(valued.stderr)")
    }
}
