import Foundation
import Testing

/// A damaged workspace — corrupt, truncated or empty fupin.sqlite, a read-only folder, a full
/// disk — gets a clear message and a non-zero status, never a crash, and no further damage.
/// And `fupin backup` / `fupin restore` bring the data back.
@Suite(.serialized) struct DamagedWorkspaceTests {
    static func bytes(_ url: URL) -> Data { (try? Data(contentsOf: url)) ?? Data() }

    /// Runs read and write commands on `ws` and checks each fails clearly, leaving the file as it was.
    func expectRefused(_ ws: URL, saying words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let database = WorkspaceProbe.database(ws)
        let before = DamagedWorkspaceTests.bytes(database)
        let file = ws.deletingLastPathComponent().appendingPathComponent("n.csv")
        try "year,unit_id,kind,text\n2019,1,problem,x\n".write(to: file, atomically: true, encoding: .utf8)
        for arguments in [
            ["eval", "fp.households:count()"], ["export", "households"], ["import", "notes", file.path],
            ["run", "--workspace", ws.path, "/dev/null"],
            ["backup", ws.deletingLastPathComponent().appendingPathComponent("b-\(UUID().uuidString).sqlite").path],
        ] {
            // (run takes options before the script: what follows it is the script's.)
            let r = try FupinBinary.run(arguments[0] == "run" ? arguments : arguments + ["--workspace", ws.path])
            #expect(
                r.status != 0 && r.status < 128, "\(arguments[0]): status \(r.status)", sourceLocation: sourceLocation)
            #expect(r.stderr.contains(words), "\(arguments[0]): \(r.stderr)", sourceLocation: sourceLocation)
            #expect(
                !r.stderr.contains("Fatal error") && !r.stderr.contains("SQLite error"), "\(r.stderr)",
                sourceLocation: sourceLocation)
        }
        #expect(
            DamagedWorkspaceTests.bytes(database) == before, "the damaged file was changed",
            sourceLocation: sourceLocation)
    }

    @Test func aCorruptHeaderIsReportedAsDamaged() throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        let database = WorkspaceProbe.database(ws)
        var data = DamagedWorkspaceTests.bytes(database)
        for i in 0..<100 { data[i] = UInt8(truncatingIfNeeded: i &* 37 &+ 11) }
        try data.write(to: database)
        try expectRefused(ws, saying: "is damaged or is not a fupin database")
    }

    @Test func anEmptyDatabaseFileIsNotOpenedAsANewWorkspace() throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        try Data().write(to: WorkspaceProbe.database(ws))
        try expectRefused(ws, saying: "is empty (0 bytes)")
    }

    @Test func aTruncatedDatabaseFailsClearlyOrReadsWhatIsLeft() throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        let database = WorkspaceProbe.database(ws)
        let data = DamagedWorkspaceTests.bytes(database)
        try data.prefix(data.count / 3).write(to: database)
        for arguments in [
            ["eval", "fp.households:count() + fp.audit:count()"], ["export", "distributions"],
            ["eval", "fp.sql('PRAGMA integrity_check')"],
        ] {
            let r = try FupinBinary.run(arguments + ["--workspace", ws.path])
            #expect(r.status < 128, "\(arguments): killed by a signal")
            #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("SQLite error"), "\(r.stderr)")
            if r.status != 0 { #expect(r.stderr.contains("damaged"), "\(arguments): \(r.stderr)") }
        }
    }

    @Test func aReadOnlyWorkspaceRefusesWritesClearly() throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        let database = WorkspaceProbe.database(ws)
        let before = DamagedWorkspaceTests.bytes(database)
        // root ignores file modes: run as nobody then (setpriv, util-linux), else drop the modes.
        let asNobody = getuid() == 0
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: ws.deletingLastPathComponent().path)
        try FileManager.default.setAttributes([.posixPermissions: asNobody ? 0o755 : 0o555], ofItemAtPath: ws.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database.path)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ws.path)
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: database.path)
        }
        let code = "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"ro\" }"
        let r: FupinBinary.Result
        if asNobody {
            r = try FupinBinary.run(
                [
                    "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", FupinBinary.path,
                    "eval", code, "--workspace", ws.path,
                ], viaEnv: true)
        } else {
            r = try FupinBinary.run(["eval", code, "--workspace", ws.path])
        }
        #expect(r.status != 0 && r.status < 128, "status \(r.status): \(r.stdout)")
        #expect(
            r.stderr.contains("read-only") || r.stderr.contains("cannot be opened")
                || r.stderr.contains("cannot be written"), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("SQLite error"), "\(r.stderr)")
        #expect(DamagedWorkspaceTests.bytes(database) == before)
    }

    /// The disk fills mid-import: through a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored),
    /// which works without privileges; Tests/Reliability/full-disk.sh does the same on a tmpfs.
    @Test func aFullDiskRollsBackAndSaysSo() throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        let rowsSQL = "SELECT COUNT(*) FROM distributions;"
        let rows0 = try WorkspaceProbe.count(ws, rowsSQL)
        var text = "date,household_number,item,quantity,unit,value,fund_source,cadre_id,note\n"
        for i in 0..<40_000 {
            text += "2019-06-01,1506020010101,雏鸡,1,只,8.00,单位自筹,2,full-disk \(i) \(String(repeating: "长", count: 20))\n"
        }
        let file = ws.deletingLastPathComponent().appendingPathComponent("big.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let size =
            (try FileManager.default.attributesOfItem(atPath: WorkspaceProbe.database(ws).path)[.size] as? NSNumber)?
            .intValue ?? 0
        let limitKiB = size / 1024 + 512
        let r = try FupinBinary.run(
            [
                "/bin/bash", "-c", "ulimit -f \(limitKiB); trap '' XFSZ; exec \"$0\" \"$@\"", FupinBinary.path,
                "import", "distributions", file.path, "--workspace", ws.path,
            ], viaEnv: true)
        #expect(r.status != 0 && r.status < 128, "status \(r.status): \(r.stdout.prefix(200))")
        #expect(r.stderr.contains("disk") && r.stderr.contains("nothing was written"), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("SQLite error"), "\(r.stderr)")
        #expect(try WorkspaceProbe.integrity(ws) == "ok")
        #expect(try WorkspaceProbe.count(ws, rowsSQL) == rows0)
        let opened = try FupinBinary.run(["eval", "fp.distributions:count()", "--workspace", ws.path])
        #expect(
            opened.status == 0 && opened.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(rows0),
            "\(opened.stderr)")
    }

    @Test func backupThenRestoreBringsTheDataBack() throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        let backup = ws.deletingLastPathComponent().appendingPathComponent("backup.sqlite")
        let made = try FupinBinary.run(["backup", backup.path, "--workspace", ws.path])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("integrity check ok"))
        let before = try WorkspaceProbe.dump(ws)
        let again = try FupinBinary.run(["backup", backup.path, "--workspace", ws.path])
        #expect(again.status != 0 && again.stderr.contains("already exists"))
        // Changes after the backup are undone by a restore; the replaced database is kept.
        let added = try FupinBinary.run([
            "eval", "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"after backup\" }",
            "--workspace", ws.path,
        ])
        #expect(added.status == 0)
        let restored = try FupinBinary.run(["restore", backup.path, "--workspace", ws.path])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("the previous database was kept as"))
        #expect(try WorkspaceProbe.dump(ws) == before)
        let kept = try FileManager.default.contentsOfDirectory(atPath: ws.path).filter {
            $0.hasPrefix("fupin-before-restore-")
        }
        #expect(kept.count == 1)
        // A corrupted workspace is moved aside, untouched, and the backup takes its place.
        let database = WorkspaceProbe.database(ws)
        try Data(repeating: 0x5A, count: 4096).write(to: database)
        let rescued = try FupinBinary.run(["restore", backup.path, "--workspace", ws.path])
        #expect(rescued.status == 0, "\(rescued.stderr)")
        #expect(try WorkspaceProbe.integrity(ws) == "ok")
        #expect(try WorkspaceProbe.dump(ws) == before)
        // Into an empty folder: a new workspace.
        let fresh = ws.deletingLastPathComponent().appendingPathComponent("fresh")
        let created = try FupinBinary.run(["restore", backup.path, "--workspace", fresh.path])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try WorkspaceProbe.dump(fresh) == before)
    }
}
