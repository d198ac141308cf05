import Foundation
import Testing

/// What a person meets on the command line: the shared options anywhere, a workspace that is
/// not there named with what is missing, and output files written where the user says.
@Suite struct CommandLineTests {
    /// A fresh sample workspace (the bundled plugins included).
    static func sample() throws -> URL {
        let ws = try FupinBinary.scratchFolder().appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", ws.path, "--sample"])
        #expect(r.status == 0, "\(r.stderr)")
        return ws
    }

    /// `--workspace` and `--operator` before the command's name work as they do after it, for
    /// built-in commands, nested ones (`plugins info`) and plugin commands.
    @Test func sharedOptionsComeBeforeOrAfterTheCommand() throws {
        let ws = try Self.sample()
        for words in [
            ["--workspace", ws.path, "eval", "return fp.households:count()"],
            ["--workspace=\(ws.path)", "eval", "return fp.households:count()"],
            ["eval", "--workspace", ws.path, "return fp.households:count()"],
            ["--operator", "王明刚", "--workspace", ws.path, "eval", "return fp.households:count()"],
        ] {
            let r = try FupinBinary.run(words)
            #expect(r.status == 0, "\(words): \(r.stderr)")
            #expect(r.stdout == "6\n", "\(words)")
        }
        let info = try FupinBinary.run(["--workspace", ws.path, "plugins", "info", "report"])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.hasPrefix("report — "))
        // The words a person tries first give the same: `plugins NAME`, `plugins show NAME`.
        for words in [["plugins", "report"], ["plugins", "show", "report"]] {
            let same = try FupinBinary.run(["--workspace", ws.path] + words)
            #expect(same.status == 0 && same.stdout == info.stdout, "\(words): \(same.stderr)")
        }
        // Every command with subcommands takes the shared options before its name.
        let store = try FupinBinary.run(["--workspace", ws.path, "store", "info"])
        #expect(store.status == 0 && store.stdout.hasPrefix("store: SQLite"), "\(store.stderr)")
        // access needs a PostgreSQL store: a SQLite workspace is refused, saying what to give.
        let access = try FupinBinary.run(["--workspace", ws.path, "access", "list"])
        #expect(access.status == 1, "\(access.stdout)")
        #expect(access.stderr.contains("keeps its data in SQLite") && access.stderr.contains("--store postgresql://"))
        let missing = try FupinBinary.run(["--workspace", ws.path, "plugins", "nosuch"])
        #expect(missing.status == 1 && missing.stderr.contains("no plugin called nosuch"), "\(missing.stderr)")
        let list = try FupinBinary.run(["--workspace", ws.path, "plugins"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("produce-sales"))
        let plugin = try FupinBinary.run([
            "--workspace", ws.path, "--operator", "王明刚", "produce-sales", "top", "--year", "2019", "--limit", "1",
        ])
        #expect(plugin.status == 0, "\(plugin.stderr)")
        let help = try FupinBinary.run(["--workspace", ws.path, "help", "eval"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: fupin eval"), "\(help.stderr)")
        let rootHelp = try FupinBinary.run(["--workspace", ws.path, "--help"])
        #expect(rootHelp.stdout.contains("SUBCOMMANDS:"), "\(rootHelp.stdout)")
        let audit = try FupinBinary.run(["--operator", "王明刚", "--workspace", ws.path, "audit", "--limit", "1"])
        #expect(audit.status == 0, "\(audit.stderr)")
        // The operator given before the command is the one recorded.
        let write = try FupinBinary.run([
            "--operator", "李四", "--workspace", ws.path, "eval", "fp.visits:update(1, { result = 'x' })",
        ])
        #expect(write.status == 0, "\(write.stderr)")
        let who = try FupinBinary.run([
            "eval", "--workspace", ws.path,
            "return fp.sql('SELECT operator FROM audit_log ORDER BY id DESC LIMIT 1')[1].operator",
        ])
        #expect(who.stdout == "李四\n")
    }

    /// A workspace the user names that is not there: the folder and what is missing, the way
    /// to make one, exit 1 — for every command that needs one.
    @Test func aMissingWorkspaceIsNamed() throws {
        let scratch = try FupinBinary.scratchFolder()
        let missing = scratch.appendingPathComponent("no-such").path
        let script = scratch.appendingPathComponent("s.lua")
        try "return 1".write(to: script, atomically: true, encoding: .utf8)
        let commands: [[String]] = [
            ["eval", "--workspace", missing, "fp.households:count()"],
            ["--workspace", missing, "run", script.path],
            ["import", "households", script.path, "--workspace", missing],
            ["export", "households", "--workspace", missing],
            ["audit", "--workspace", missing],
            ["report", "annual", "--year", "2019", "--workspace", missing],
        ]
        for words in commands {
            let r = try FupinBinary.run(words)
            #expect(r.status == 1, "\(words)")
            #expect(
                r.stderr.hasPrefix(
                    "fupin: no workspace at \(missing): no such folder; create one with `fupin init \(missing)`"),
                "\(words): \(r.stderr)")
            #expect(!r.stderr.contains("traceback"))
        }
        // A folder without a database is told apart from no folder at all.
        let empty = try FupinBinary.run(["eval", "--workspace", scratch.path, "fp.households:count()"])
        #expect(empty.status == 1)
        #expect(
            empty.stderr.contains(
                "no workspace at \(scratch.path): the folder has no fupin.sqlite; create one with `fupin init \(scratch.path)`"
            ))
        // Without --workspace, a folder that is no workspace runs plain Lua, and a script that
        // reaches for fp is told why it is missing.
        let plain = try FupinBinary.run(["eval", "return 6 * 7"], directory: scratch)
        #expect(plain.stdout == "42\n")
        let noFp = try FupinBinary.run(
            ["eval", "return fp.households:count()"], directory: scratch, environment: ["FUPIN_WORKSPACE": ""])
        #expect(noFp.status == 1)
        #expect(noFp.stderr.contains("no workspace is open: \(scratch.path) has no fupin.sqlite"))
    }

    /// `-o PATH` typed by the user is written there; a bare name stays under exports/; a
    /// missing folder is one line without a traceback, and nothing is written.
    @Test func anOutputPathTheUserNamesIsWritten() throws {
        let ws = try Self.sample()
        let out = try FupinBinary.scratchFolder()
        let target = out.appendingPathComponent("y.html").path
        let r = try FupinBinary.run([
            "report", "annual", "--year", "2019", "--format", "html", "-o", target, "--workspace", ws.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("wrote \(target)\n"))
        let html = try String(contentsOfFile: target, encoding: .utf8)
        #expect(html.contains("<html"))
        let relative = try FupinBinary.run(
            ["report", "annual", "--year", "2019", "-o", "./here.md", "--workspace", ws.path], directory: out)
        #expect(relative.status == 0, "\(relative.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("here.md").path))
        let bare = try FupinBinary.run(
            ["report", "annual", "--year", "2019", "-o", "y.md", "--workspace", ws.path], directory: out)
        #expect(bare.stdout.hasPrefix("wrote \(ws.path)/exports/y.md\n"))
        let nowhere = try FupinBinary.run([
            "report", "annual", "--year", "2019", "-o", "/no/such/dir/y.html", "--workspace", ws.path,
        ])
        #expect(nowhere.status == 1)
        #expect(
            nowhere.stderr
                == "fupin: report annual: cannot write /no/such/dir/y.html: there is no folder /no/such/dir\n")
        let folder = try FupinBinary.run([
            "produce-sales", "export", "--year", "2019", "-o", out.path + "/", "--workspace", ws.path,
        ])
        #expect(folder.status == 1)
        #expect(folder.stderr.contains("it is a folder"))
        #expect(!folder.stderr.contains("traceback"))
    }

    /// `eval` and `run` load the plugins only when the script first needs one: `return 1`
    /// reads no plugin (no ledger check reaches the database), `fp.sales`, `fp.plugins` and
    /// `fp.schema()` load them all, also in the middle of a unit of work.
    @Test func pluginsLoadOnFirstUse() throws {
        let ws = try Self.sample()
        let trace = ["FUPIN_TRACE_SQL": "1"]
        let plain = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "return fp.households:count()"], environment: trace)
        #expect(plain.stdout == "6\n")
        #expect(!plain.stderr.contains("ledger_fields"), "\(plain.stderr)")
        let sales = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "return fp.sales:count()"], environment: trace)
        #expect(sales.stdout == "13\n", "\(sales.stderr)")
        #expect(sales.stderr.contains("ledger_fields"))
        let schema = try FupinBinary.run([
            "eval", "--workspace", ws.path, "return fp.schema().sales ~= nil, fp.plugins['report'] ~= nil",
        ])
        #expect(schema.stdout == "true\ttrue\n", "\(schema.stderr)")
        let script = ws.appendingPathComponent("add.lua")
        try
            "local n = fp.households:count()\nfp.sales:add{ date = '2019-12-01', product = '鸡蛋', household_id = 1, quantity = 2, unit_price = 3 }\nprint(n, fp.sales:count())\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let dry = try FupinBinary.run(["run", "--dry-run", "--workspace", ws.path, script.path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == "6\t14\n")
        let after = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.sales:count()"])
        #expect(after.stdout == "13\n")
    }

    /// `eval` and `run` read their plain words themselves (start-up); anything else still gets
    /// ArgumentParser's usage errors and help.
    @Test func evalAndRunWordsOutsideThePlainFormGetUsageErrors() throws {
        let cases: [([String], String)] = [
            (["eval"], "Error: Missing expected argument '<code>'"),
            (["eval", "1", "2"], "Error: Unexpected argument '2'"),
            (["eval", "--hlep", "1"], "Error: Unknown option '--hlep'"),
            (["eval", "--workspace", "", "1"], "--workspace needs a folder"),
            (["run"], "Error: Missing expected argument '<file>'"),
        ]
        for (words, message) in cases {
            let r = try FupinBinary.run(words)
            #expect(r.status == 64, "\(words)")
            #expect(r.stderr.contains(message), "\(words): \(r.stderr)")
        }
        let help = try FupinBinary.run(["eval", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: fupin eval"))
        let dir = try FupinBinary.scratchFolder()
        let script = dir.appendingPathComponent("args.lua")
        try "print(select('#', ...), ...)".write(to: script, atomically: true, encoding: .utf8)
        let passed = try FupinBinary.run(["run", script.path, "--workspace", "x", "-v"], directory: dir)
        #expect(passed.stdout == "3\t--workspace\tx\t-v\n", "\(passed.stderr)")
        let negative = try FupinBinary.run(["eval", "--workspace=\(dir.path)", "return 6 * 7"], directory: dir)
        #expect(negative.status == 1)
        #expect(negative.stderr.contains("no workspace at \(dir.path)"))
    }

    /// At the REPL, `:run` with a path the user typed writes there too; a missing folder is
    /// one line, no traceback, and the session goes on.
    @Test func runAtThePromptWritesThePathTheUserTyped() throws {
        let ws = try Self.sample()
        let out = try FupinBinary.scratchFolder()
        let target = out.appendingPathComponent("annual.md").path
        let environment = [
            "HOME": out.path, "XDG_STATE_HOME": out.appendingPathComponent("state").path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TERM": "xterm", "NO_COLOR": "1",
        ]
        let term = try PseudoTerminal(FupinBinary.path, arguments: ["--workspace", ws.path], environment: environment)
        try term.expect("> ")
        term.send(":run report annual --year 2019 -o \(target)\r")
        #expect(try term.expect("\n> ").contains("wrote \(target)"))
        term.send(":run report annual --year 2019 -o /no/such/annual.md\r")
        let refused = try term.expect("\n> ")
        #expect(refused.contains("cannot write /no/such/annual.md: there is no folder /no/such"), "\(refused)")
        #expect(!refused.contains("traceback"))
        term.send("\u{4}")
        #expect(try term.waitForExit() == 0)
        #expect(FileManager.default.fileExists(atPath: target))
    }

    /// Bad input to plugin commands is reported as the user's error: the command, the field
    /// and the value, no traceback, exit 1, nothing written.
    @Test func badInputToPluginCommandsHasNoTraceback() throws {
        let ws = try Self.sample()
        let cases: [([String], String)] = [
            (
                [
                    "enterprise-partnership", "add", "--enterprise", "1", "--village", "东梁村", "--project", "x",
                    "--type", "产业", "--households", "-3",
                ],
                "fupin: enterprise-partnership add: partnerships.households: -3 is negative\n"
            ),
            (
                [
                    "produce-sales", "record", "--date", "2019-01-01", "--product", "鸡蛋", "--household", "1",
                    "--quantity", "3", "--unit-price", "2", "--amount", "99",
                ],
                "fupin: produce-sales record: sales.amount: 99 does not equal quantity 3 × unit_price 2 = 6; give two of the three and the third is computed\n"
            ),
            (
                ["produce-sales", "import", "/no/such.csv"],
                "fupin: produce-sales import: cannot read /no/such.csv: No such file or directory\n"
            ),
        ]
        let before = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.audit:count()"])
        for (words, message) in cases {
            let r = try FupinBinary.run(words + ["--workspace", ws.path])
            #expect(r.status == 1, "\(words)")
            #expect(r.stderr == message, "\(words)")
        }
        let after = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.audit:count()"])
        #expect(after.stdout == before.stdout)
    }
}
