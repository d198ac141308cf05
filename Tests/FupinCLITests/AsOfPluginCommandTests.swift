import Foundation
import Testing

/// `--as-of` reaches every plugin command with one meaning, through the real binary: the
/// ledgers as they stood then, and that day as the command's today (`ctx.today`). A command's
/// own day (`--on` of enterprise-partnership) is typed separately and wins over it.
@Suite struct AsOfPluginCommandTests {
    static func partnership(_ ws: URL, _ arguments: [String]) throws -> FupinBinary.Result {
        try FupinBinary.run(["enterprise-partnership"] + arguments + ["--workspace", ws.path])
    }

    @Test func aCommandThatCountsDaysReadsTheLedgersAndTheDayOfAsOf() throws {
        let ws = try AsOfReportTests.workspace()
        let version = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.audit:count()"])
        let sequence = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(sequence) ?? 0 > 0, "\(version.stdout)")
        // Project 5 moves 洽谈 → 协调中 after that sequence.
        let moved = try AsOfPluginCommandTests.partnership(
            ws,
            [
                "progress", "5", "--date", "2019-12-02",
                "--status", "协调中", "--note", "商定培训时间",
            ])
        #expect(moved.status == 0, "\(moved.stderr)")

        let now = try AsOfPluginCommandTests.partnership(ws, ["status", "--on", "2019-12-31"])
        #expect(now.status == 0, "\(now.stderr)")
        #expect(now.stdout.contains("百企帮百村项目（截至 2019-12-31）"))
        #expect(AsOfPluginCommandTests.statusOfProject5(now.stdout) == "协调中")

        // --as-of: the status as recorded at that sequence, and the day counted to is the UTC
        // date of that entry.
        let entry = try FupinBinary.run([
            "eval", "--workspace", ws.path,
            "return fp.audit:where{ id = \(sequence) }:first().time",
        ])
        let day = String(entry.stdout.prefix(10))
        #expect(day.count == 10 && day.hasPrefix("20"), "\(entry.stdout)")
        let then = try AsOfPluginCommandTests.partnership(ws, ["status", "--as-of", sequence])
        #expect(then.status == 0, "\(then.stderr)")
        #expect(AsOfPluginCommandTests.statusOfProject5(then.stdout) == "洽谈")
        #expect(then.stdout.contains("百企帮百村项目（截至 \(day)）"), "\(then.stdout)")

        // A date far ahead: every change is in, and days are counted up to that date.
        let ahead = try AsOfPluginCommandTests.partnership(ws, ["stalled", "--days", "90", "--as-of", "2999-12-31"])
        #expect(ahead.status == 0, "\(ahead.stderr)")
        #expect(ahead.stdout.contains("(as of 2999-12-31)"), "\(ahead.stdout)")
        // The command's own day wins over the day of --as-of; the ledgers stay those of --as-of.
        let both = try AsOfPluginCommandTests.partnership(ws, ["status", "--as-of", sequence, "--on", "2019-12-31"])
        #expect(both.stdout.contains("百企帮百村项目（截至 2019-12-31）"), "\(both.stdout)")
        #expect(AsOfPluginCommandTests.statusOfProject5(both.stdout) == "洽谈")
    }

    @Test func aManifestDeclaringAsOfIsRefusedSayingWhy() throws {
        let ws = try AsOfReportTests.workspace()
        let folder = ws.appendingPathComponent("plugins/dated")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
        return {
          name = "dated", version = "1.0.0", api = 1, title = "A dated command", permissions = { "read" },
          commands = {
            show = {
              summary = "Prints its day",
              args = { { name = "as_of", type = "date" } },
              run = function(args, ctx) ctx.print(args.as_of or ctx.today) return ctx.result({}) end,
            },
          },
        }
        """.write(to: folder.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let r = try FupinBinary.run(["dated", "show", "--as-of", "2020-01-15", "--workspace", ws.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("as_of") && r.stderr.contains("--as-of"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// The 状态 cell of project 5's row in `status`'s text table.
    static func statusOfProject5(_ output: String) -> String? {
        let row = output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("5 ") }
        return row?.split(separator: " ").first { ["洽谈", "协调中", "实施中", "已完成", "搁置"].contains(String($0)) }
            .map(String.init)
    }
}
