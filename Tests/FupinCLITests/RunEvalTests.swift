import Foundation
import Testing

/// `fupin run` and `fupin eval` behave like the standalone `lua` for trusted code.
@Suite struct RunEvalTests {
    @Test func evalPrintsExpressionValues() throws {
        let r = try FupinBinary.run(["eval", "6 * 7, 1.0, 'x', nil"])
        #expect(r.status == 0)
        #expect(r.stdout == "42\t1.0\tx\tnil\n")
    }

    @Test func evalRunsStatements() throws {
        let r = try FupinBinary.run(["eval", "local t = {} for i = 1, 3 do t[#t+1] = i end print(#t)"])
        #expect(r.status == 0)
        #expect(r.stdout == "3\n")
    }

    /// FUPIN_TRACE_SQL prints each statement to stderr with `?` for its values: the name a
    /// script looks for does not appear, and stdout is untouched.
    @Test func traceSQLShowsStatementsWithoutValues() throws {
        let ws = try FupinBinary.scratchFolder().appendingPathComponent("ws").path
        #expect(try FupinBinary.run(["init", ws, "--sample"]).status == 0)
        let query = "return fp.members:where{ name = '郝九为' }:count()"
        let traced = try FupinBinary.run(["eval", "--workspace", ws, query], environment: ["FUPIN_TRACE_SQL": "1"])
        #expect(traced.status == 0)
        #expect(traced.stdout == "1\n")
        let lines = traced.stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("sql: SELECT COUNT(*) FROM \"members\" WHERE") && $0.contains("?") })
        #expect(!traced.stderr.contains("郝九为"))
        let quiet = try FupinBinary.run(["eval", "--workspace", ws, query])
        #expect(quiet.stderr.isEmpty)
    }

    @Test func runSetsArgAndVarargs() throws {
        let dir = try FupinBinary.scratchFolder()
        let script = dir.appendingPathComponent("args.lua")
        try "print(select('#', ...), ...)\nprint(arg[0], arg[1], arg[2], #arg)\n".write(
            to: script, atomically: true, encoding: .utf8)
        let r = try FupinBinary.run(["run", script.path, "2019", "--verbose"])
        #expect(r.status == 0)
        #expect(r.stdout == "2\t2019\t--verbose\n\(script.path)\t2019\t--verbose\t2\n")
    }

    @Test func runErrorPrintsPositionAndTracebackAndFails() throws {
        let dir = try FupinBinary.scratchFolder()
        let script = dir.appendingPathComponent("fail.lua")
        try "local function check(n)\n  if n > 1 then error('too many: ' .. n) end\nend\ncheck(3)\n".write(
            to: script, atomically: true, encoding: .utf8)
        let r = try FupinBinary.run(["run", script.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("fail.lua:2: too many: 3"))
        #expect(r.stderr.contains("stack traceback:"))
        #expect(r.stderr.contains("fail.lua:4:"))
    }

    @Test func syntaxErrorAndMissingFileFail() throws {
        let bad = try FupinBinary.run(["eval", "return +"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unexpected symbol"))
        let missing = try FupinBinary.run(["run", "/nonexistent/script.lua"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot open /nonexistent/script.lua"))
    }

    @Test func helpDescribesCommands() throws {
        let r = try FupinBinary.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("run"))
        #expect(r.stdout.contains("eval"))
        let run = try FupinBinary.run(["run", "--help"])
        #expect(run.stdout.contains("arg[0]"))
    }
}

/// Scripts, eval and piped stdin see `fp` over the workspace, one transaction per unit.
@Suite struct WorkspaceScriptTests {
    func sampleWorkspace() throws -> URL {
        let dir = try FupinBinary.scratchFolder().appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", dir.path, "--sample"])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    @Test func evalQueriesTheWorkspace() throws {
        let ws = try sampleWorkspace()
        let r = try FupinBinary.run([
            "eval", "--workspace", ws.path,
            "fp.households:where{ standard = '国家' }:count(), fp.ranger_posts:sum('wage')",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "6\t13800\n")
    }

    @Test func failingScriptRollsBackAndDryRunWritesNothing() throws {
        let ws = try sampleWorkspace()
        let script = ws.appendingPathComponent("add.lua")
        try """
        fp.poverty_lines:add{ year = 2030, amount = 5000 }
        if arg[1] == 'fail' then error('stop here') end
        """.write(to: script, atomically: true, encoding: .utf8)
        let count = { try FupinBinary.run(["eval", "--workspace", ws.path, "fp.poverty_lines:count()"]).stdout }
        let before = try count()
        let failed = try FupinBinary.run(["run", "--workspace", ws.path, script.path, "fail"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("add.lua:2: stop here"))
        #expect(try count() == before)
        let dry = try FupinBinary.run(["run", "--dry-run", "--workspace", ws.path, script.path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stderr.contains("poverty_lines: 1 added"))
        #expect(try count() == before)
        let real = try FupinBinary.run(["run", "--workspace", ws.path, script.path])
        #expect(real.status == 0)
        #expect(try count() != before)
    }

    @Test func pipedStdinUsesTheWorkspace() throws {
        let ws = try sampleWorkspace()
        let r = try FupinBinary.run(["--workspace", ws.path], stdin: "print(fp.villages:count())\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2\n")
    }

    /// `eval` prints a table as the REPL shows it, not as `table: 0x…`: plain tables written
    /// out, records and queries as ledger tables with personal data masked.
    @Test func evalShowsTablesAsTheREPLDoes() throws {
        let ws = try sampleWorkspace()
        func eval(_ code: String) throws -> String {
            let r = try FupinBinary.run(["eval", "--workspace", ws.path, code])
            #expect(r.status == 0, "\(code): \(r.stderr)")
            return r.stdout
        }
        #expect(try eval("fp.households:group_by('village_id'):count()") == "{ 3, 3 }\n")
        #expect(try eval("{ a = 1, b = { 2, 3 } }, 5, 'x'") == "{ a = 1, b = { 2, 3 } }\t5\tx\n")
        #expect(try eval("6 * 7") == "42\n")
        let record = try eval("fp.households:get(1)")
        let idNumber = try eval("fp.households:get(1).head_id_number").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(idNumber.count == 18)
        #expect(record.hasPrefix("households #1") && record.contains("郝九为"), "\(record)")
        #expect(record.contains(String(idNumber.prefix(4)) + "**********" + String(idNumber.suffix(4))))
        #expect(!record.contains(idNumber) && !record.contains("table: 0x") && !record.contains("fp.record"))
        let query = try eval("fp.households:where{ size = 3 }")
        #expect(query.contains("杨来才") && query.hasSuffix("(2 rows)\n") && !query.contains(idNumber), "\(query)")
        let nested = try eval("{ fp.households:get(1) }")
        #expect(nested.contains("1506") && !nested.contains(idNumber))
    }

    /// `run` and `eval` word errors as the REPL does: the traceback keeps the script's own
    /// frames and leaves out those of the Lua inside fupin (`fp:97`), and a raised table shows
    /// as that table.
    @Test func errorsShowTheScriptsFramesAndRaisedTables() throws {
        let ws = try sampleWorkspace()
        let script = ws.appendingPathComponent("get.lua")
        try "local function f()\n  local r = fp.households:get('abc')\n  return r\nend\nf()\n".write(
            to: script, atomically: true, encoding: .utf8)
        let run = try FupinBinary.run(["run", "--workspace", ws.path, script.path])
        #expect(run.status == 1)
        // (Lua shortens a long chunk name from the left: `...ws/get.lua`.)
        let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
            first.hasPrefix("fupin: ")
                && first.hasSuffix(
                    "get.lua:2: households:get: the id must be an integer record id (got string \"abc\")"),
            "\(run.stderr)")
        #expect(run.stderr.contains("get.lua:2: in local 'f'") && run.stderr.contains("get.lua:5: in main chunk"))
        #expect(!run.stderr.contains("fp:") && !run.stderr.contains("in upvalue 'checkId'"), "\(run.stderr)")
        // An argument to a terminal that takes none is refused where the script passed it.
        let listed = try FupinBinary.run([
            "eval", "--workspace", ws.path, "local r = fp.households:list{ limit = 2 } return r",
        ])
        #expect(listed.status == 1 && listed.stdout.isEmpty)
        #expect(
            listed.stderr.hasPrefix("fupin: ")
                && listed.stderr.contains(
                    ":1: households:list takes no arguments, got table (filter with :where{...}, cap rows with :limit(n))"
                ),
            "\(listed.stderr)")
        let counted = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.households:count('size')"])
        #expect(counted.status == 1 && counted.stderr.contains("households:count takes no arguments, got string"))
        let raised = try FupinBinary.run(["eval", "--workspace", ws.path, "error({ code = 1 })"])
        #expect(raised.status == 1)
        let shown = raised.stderr
        #expect(shown.hasPrefix("fupin: error object: { code = 1 }\n"), "\(shown)")
    }
}
