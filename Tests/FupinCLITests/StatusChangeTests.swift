import Foundation
import Testing

/// Household status changes dated by when they took effect (`fupin monitoring status`), read
/// by the annual summary's 截至年底 figures and `--as-of`, through the real binary. The sample's
/// six households are all 未脱贫 at the end of 2019.
@Suite struct StatusChangeTests {
    static func statusLine(_ ws: URL, _ year: Int, _ extra: [String] = []) throws -> String {
        let r = try FupinBinary.run(["report", "annual", "--year", String(year), "--workspace", ws.path] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        // 帮扶户中已脱贫（享受政策）1户、未脱贫5户 — the summary's households by status at year end
        return r.stdout.components(separatedBy: CharacterSet(charactersIn: "，。\n"))
            .first { $0.contains("帮扶户中") } ?? ""
    }

    @Test func aChangeTypedLateCountsInTheYearItTookEffect() throws {
        let ws = try AsOfReportTests.workspace()
        #expect(try StatusChangeTests.statusLine(ws, 2019).hasSuffix("未脱贫6户"))
        let version = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.audit:count()"])
        let before = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Typed today, effective in 2019 and in 2020.
        let exit2019 = try FupinBinary.run([
            "monitoring", "status", "郝九为", "--to", "已脱贫（享受政策）",
            "--date", "2019-11-20", "--basis", "2019年脱贫验收", "--workspace", ws.path,
        ])
        #expect(exit2019.status == 0, "\(exit2019.stderr)")
        #expect(exit2019.stdout.contains("未脱贫 → 已脱贫（享受政策）, effective 2019-11-20"))
        let exit2020 = try FupinBinary.run([
            "monitoring", "status", "杨来才", "--to", "已脱贫（享受政策）",
            "--date", "2020-03-01", "--workspace", ws.path,
        ])
        #expect(exit2020.status == 0, "\(exit2020.stderr)")

        let year2019 = try StatusChangeTests.statusLine(ws, 2019)
        #expect(year2019.hasSuffix("已脱贫（享受政策）1户、未脱贫5户"), "\(year2019)")
        let year2020 = try StatusChangeTests.statusLine(ws, 2020)
        #expect(year2020.hasSuffix("已脱贫（享受政策）2户、未脱贫4户"), "\(year2020)")
        // --explain's status query reads the dated changes too (Plugins/report's spec runs it)
        let explained = try FupinBinary.run(["report", "annual", "--year", "2019", "--explain", "--workspace", ws.path])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("fp.status_changes:where{ household_id = h.id }"))
        // As recorded before the changes were typed, 2019 ended with six households 未脱贫.
        #expect(try StatusChangeTests.statusLine(ws, 2019, ["--as-of", before]).hasSuffix("未脱贫6户"))

        let scan = try FupinBinary.run(["monitoring", "scan", "--year", "2019", "--all", "--workspace", ws.path])
        let row = scan.stdout.split(separator: "\n").first { $0.hasPrefix("郝九为") } ?? ""
        #expect(row.contains("已脱贫（享受政策）"), "\(scan.stdout)")
    }

    @Test func aChangeToTheStatusInEffectIsRefusedAndWritesNothing() throws {
        let ws = try AsOfReportTests.workspace()
        let r = try FupinBinary.run([
            "monitoring", "status", "张福厚", "--to", "未脱贫", "--date", "2019-06-01",
            "--workspace", ws.path,
        ])
        #expect(r.status == 1)
        #expect(r.stderr.contains("already 未脱贫 on 2019-06-01"), "\(r.stderr)")
        let count = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.status_changes:count()"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}
