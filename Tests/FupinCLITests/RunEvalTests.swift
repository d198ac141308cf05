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

    @Test func runSetsArgAndVarargs() throws {
        let dir = try FupinBinary.scratchFolder()
        let script = dir.appendingPathComponent("args.lua")
        try "print(select('#', ...), ...)\nprint(arg[0], arg[1], arg[2], #arg)\n".write(to: script, atomically: true, encoding: .utf8)
        let r = try FupinBinary.run(["run", script.path, "2019", "--verbose"])
        #expect(r.status == 0)
        #expect(r.stdout == "2\t2019\t--verbose\n\(script.path)\t2019\t--verbose\t2\n")
    }

    @Test func runErrorPrintsPositionAndTracebackAndFails() throws {
        let dir = try FupinBinary.scratchFolder()
        let script = dir.appendingPathComponent("fail.lua")
        try "local function check(n)\n  if n > 1 then error('too many: ' .. n) end\nend\ncheck(3)\n".write(to: script, atomically: true, encoding: .utf8)
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
