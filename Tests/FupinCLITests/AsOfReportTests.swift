import Foundation
import Testing

/// `--as-of` on a plugin command, through the real binary and the bundled report plugin: the
/// ledgers as they stood at an earlier audit sequence, whatever was corrected since.
@Suite struct AsOfReportTests {
    /// A sample workspace (bundled plugins on) and the annual summary of 2019 printed from it.
    static func workspace() throws -> URL {
        let ws = try FupinBinary.scratchFolder().appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", ws.path, "--sample"])
        #expect(r.status == 0, "\(r.stderr)")
        return ws
    }

    static func summary(_ ws: URL, _ extra: [String] = []) throws -> FupinBinary.Result {
        try FupinBinary.run(["report", "annual", "--year", "2019", "--workspace", ws.path] + extra)
    }

    @Test func aLaterCorrectionLeavesTheAsOfOutputByteIdentical() throws {
        let ws = try AsOfReportTests.workspace()
        let before = try AsOfReportTests.summary(ws)
        #expect(before.status == 0, "\(before.stderr)")
        let version = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.audit:count()"])
        let sequence = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(before.stdout.contains("数据版本\(sequence)"))

        let fix = try FupinBinary.run([
            "eval", "--workspace", ws.path,
            "fp.eco_projects:update(2, { completed_area = 9000 }) return true",
        ])
        #expect(fix.status == 0, "\(fix.stderr)")
        let after = try AsOfReportTests.summary(ws)
        #expect(after.stdout.contains("完成造林9,000亩"))
        #expect(after.stdout != before.stdout)

        let asOf = try AsOfReportTests.summary(ws, ["--as-of", sequence])
        #expect(asOf.status == 0, "\(asOf.stderr)")
        #expect(asOf.stdout == before.stdout)
        let byTime = try AsOfReportTests.summary(ws, ["--as-of", "2999-12-31"])
        #expect(byTime.stdout == after.stdout)
        // the workspace itself is untouched
        let still = try AsOfReportTests.summary(ws)
        #expect(still.stdout == after.stdout)
        // a file goes to the workspace's exports/, and the message names it there
        let written = try AsOfReportTests.summary(ws, ["--as-of", sequence, "-o", "asof.md"])
        let file = ws.appendingPathComponent("exports/asof.md")
        #expect(written.stdout.hasPrefix("wrote \(file.path)\n"), "\(written.stdout)")
        let saved = try String(contentsOf: file, encoding: .utf8)
        #expect(saved.contains("数据版本\(sequence)") && saved.contains("完成造林10,050亩"))
        #expect(before.stdout.hasPrefix(saved))
    }

    @Test func aBadMomentIsAUsageErrorNamingTheValue() throws {
        let ws = try AsOfReportTests.workspace()
        let r = try AsOfReportTests.summary(ws, ["--as-of", "yesterday"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--as-of yesterday"))
        #expect(r.stdout.isEmpty)
    }

    @Test func aMomentBeforeAnyDataGivesAnEmptyWorkspace() throws {
        let ws = try AsOfReportTests.workspace()
        let r = try AsOfReportTests.summary(ws, ["--as-of", "1999-01-01"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no units"))
    }
}
