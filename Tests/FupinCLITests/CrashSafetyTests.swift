import Foundation
import TestScratch
import Testing

/// The quick variant of Tests/Reliability/crash.py: fupin processes killed with SIGKILL at
/// random points of a unit of work. After every kill the workspace opens, SQLite's integrity
/// check is ok, and each unit is all there or not there at all — its rows and its audit
/// entries both. (The random delay before a kill is the fault being injected, not a wait for
/// anything; the seed is fixed, so a failure replays.)
@Suite(.serialized) struct CrashSafetyTests {
    static let importRows = 4000
    static let kills = 8

    /// A sample workspace and a distributions file of `rows` valid rows, each a new record.
    static func workspaceAndFile(rows: Int) throws -> (URL, URL) {
        let dir = try FupinBinary.scratchFolder()
        let ws = dir.appendingPathComponent("ws")
        let made = try FupinBinary.run(["init", ws.path, "--sample"])
        #expect(made.status == 0, "init failed: \(made.stderr)")
        var text = "date,household_number,item,quantity,unit,value,fund_source,cadre_id,note\n"
        for i in 0..<rows { text += "2019-06-01,1506020010101,雏鸡,1,只,8.00,单位自筹,2,crash-\(i)\n" }
        let file = dir.appendingPathComponent("many.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return (ws, file)
    }

    @Test func killedImportsAreAllOrNothing() throws {
        let (ws, file) = try CrashSafetyTests.workspaceAndFile(rows: CrashSafetyTests.importRows)
        let rowsSQL = "SELECT COUNT(*) FROM distributions;"
        let auditSQL = "SELECT COUNT(*) FROM audit_log WHERE collection = 'distributions';"
        let rows0 = try WorkspaceProbe.count(ws, rowsSQL)
        let audit0 = try WorkspaceProbe.count(ws, auditSQL)
        // One import left to finish: how long a unit takes, and what it writes.
        let clock = ContinuousClock()
        let start = clock.now
        let full = try FupinBinary.run(["import", "distributions", file.path, "--workspace", ws.path])
        let duration = clock.now - start
        #expect(full.status == 0, "\(full.stderr)")
        let unitRows = try WorkspaceProbe.count(ws, rowsSQL) - rows0
        let unitAudit = try WorkspaceProbe.count(ws, auditSQL) - audit0
        #expect(unitRows == CrashSafetyTests.importRows)
        #expect(unitAudit >= 1)  // bulk imports audit by batch: a fixed number of entries per import

        var random = SeededRandom(seed: 2019)
        var committed = 1
        for kill in 0..<CrashSafetyTests.kills {
            let process = try WorkspaceProbe.start(["import", "distributions", file.path, "--workspace", ws.path])
            let fraction = Double.random(in: 0.05...1.1, using: &random)
            Thread.sleep(forTimeInterval: duration / .seconds(1) * fraction)  // the fault's moment, see above
            WorkspaceProbe.kill(process)
            #expect(try WorkspaceProbe.integrity(ws) == "ok", "kill \(kill)")
            let rows = try WorkspaceProbe.count(ws, rowsSQL) - rows0
            let audit = try WorkspaceProbe.count(ws, auditSQL) - audit0
            #expect(rows % unitRows == 0, "kill \(kill): \(rows) rows is not a whole number of imports")
            #expect(audit == rows / unitRows * unitAudit, "kill \(kill): audit log disagrees with the rows")
            committed = rows / unitRows
            let opened = try FupinBinary.run(["eval", "fp.distributions:count()", "--workspace", ws.path])
            #expect(opened.status == 0, "kill \(kill): \(opened.stderr)")
        }
        #expect(committed >= 1)
    }

    @Test func killedScriptUnitsAreAllOrNothing() throws {
        let (ws, _) = try CrashSafetyTests.workspaceAndFile(rows: 0)
        let perUnit = 200
        let code =
            "for i = 1, \(perUnit) do fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"crash \" .. i } end"
        let rowsSQL = "SELECT COUNT(*) FROM notes WHERE text LIKE 'crash %';"
        let auditSQL = "SELECT COUNT(*) FROM audit_log WHERE collection = 'notes' AND source = 'eval';"
        let clock = ContinuousClock()
        let start = clock.now
        let full = try FupinBinary.run(["eval", code, "--workspace", ws.path])
        let duration = clock.now - start
        #expect(full.status == 0, "\(full.stderr)")
        #expect(try WorkspaceProbe.count(ws, rowsSQL) == perUnit)
        #expect(try WorkspaceProbe.count(ws, auditSQL) == perUnit)
        var random = SeededRandom(seed: 2020)
        for kill in 0..<CrashSafetyTests.kills {
            let process = try WorkspaceProbe.start(["eval", code, "--workspace", ws.path])
            Thread.sleep(forTimeInterval: duration / .seconds(1) * Double.random(in: 0.05...1.1, using: &random))
            WorkspaceProbe.kill(process)
            #expect(try WorkspaceProbe.integrity(ws) == "ok", "kill \(kill)")
            let rows = try WorkspaceProbe.count(ws, rowsSQL)
            #expect(rows % perUnit == 0, "kill \(kill): \(rows) notes is not a whole number of units")
            #expect(try WorkspaceProbe.count(ws, auditSQL) == rows, "kill \(kill): audit log disagrees with the rows")
        }
    }
}
