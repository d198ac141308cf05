import Foundation
import Testing

/// `fupin init`, `fupin import` and `fupin export` as a user runs them.
@Suite struct ImportExportCommandTests {
    /// A fresh folder holding a sample workspace.
    static func sampleWorkspace() throws -> URL {
        let dir = try FupinBinary.scratchFolder().appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", dir.path, "--sample", "--operator", "测试员"])
        #expect(r.status == 0, "init failed: \(r.stderr)")
        return dir
    }

    @Test func initSampleThenRefusesToOverwrite() throws {
        let dir = try ImportExportCommandTests.sampleWorkspace()
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("fupin.sqlite").path))
        let again = try FupinBinary.run(["init", dir.path])
        #expect(again.status != 0)
        #expect(again.stderr.contains("a workspace already exists here"))
        // An empty workspace is made where none is.
        let empty = try FupinBinary.scratchFolder()
        let made = try FupinBinary.run(["init"], directory: empty)
        #expect(made.status == 0)
        #expect(made.stdout.contains("created an empty workspace"))
        // The sample's facts: six national-standard households, 30 chicks to 郝九为.
        let households = try FupinBinary.run([
            "export", "households", "--where", "standard=国家", "--format", "json",
            "--workspace", dir.path,
        ])
        #expect(households.status == 0)
        #expect(households.stdout.components(separatedBy: "\"number\":").count - 1 == 6)
        let chicks = try FupinBinary.run(
            ["export", "distributions", "--where", "item=雏鸡", "--where", "household_id=1"],
            environment: ["FUPIN_WORKSPACE": dir.path])
        #expect(chicks.status == 0)
        #expect(chicks.stdout.contains(",雏鸡,30,只,"))
    }

    @Test func importOfABadFileFailsNamingRowColumnAndValueAndWritesNothing() throws {
        let dir = try ImportExportCommandTests.sampleWorkspace()
        let file = dir.deletingLastPathComponent().appendingPathComponent("visits.csv")
        try """
        日期,帮扶责任人,户编号,方式,帮扶内容
        2019-11-02,2,1506020010101,入户,冬季走访
        2019-11-31,3,1506020010102,入户,送去棉衣
        2019-11-05,4,1506020010103,视频,了解病情

        """.write(to: file, atomically: true, encoding: .utf8)
        let before = try FupinBinary.run(["export", "visits", "--format", "json", "--workspace", dir.path]).stdout
        let r = try FupinBinary.run(["import", "visits", file.path, "--workspace", dir.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("visits.csv: 2 bad rows; nothing written"))
        #expect(r.stderr.contains("row 3, column 日期 (date), value 2019-11-31: is not a real date"))
        #expect(r.stderr.contains("row 4, column 方式 (mode), value 视频: is not one of 入户/电话/集中"))
        let after = try FupinBinary.run(["export", "visits", "--format", "json", "--workspace", dir.path]).stdout
        #expect(after == before)
        // The good rows alone import; --dry-run writes nothing.
        try """
        日期,帮扶责任人,户编号,方式,帮扶内容
        2019-11-02,2,1506020010101,入户,冬季走访

        """.write(to: file, atomically: true, encoding: .utf8)
        let dry = try FupinBinary.run(["import", "visits", file.path, "--dry-run", "--workspace", dir.path])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("dry run, nothing written"))
        #expect(dry.stdout.contains("visits: 1 inserted"))
        #expect(
            try FupinBinary.run(["export", "visits", "--format", "json", "--workspace", dir.path]).stdout == before)
        let real = try FupinBinary.run(["import", "visits", file.path, "--workspace", dir.path, "--operator", "王明刚"])
        #expect(real.status == 0)
        #expect(
            try FupinBinary.run(["export", "visits", "--format", "json", "--workspace", dir.path]).stdout != before)
    }

    @Test func argumentProblemsAreRefusedBeforeRunning() throws {
        let dir = try ImportExportCommandTests.sampleWorkspace()
        let file = dir.appendingPathComponent("x.csv")
        try "name\nx\n".write(to: file, atomically: true, encoding: .utf8)
        let unknown = try FupinBinary.run(["import", "nonsense", file.path, "--workspace", dir.path])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("nonsense is not a collection"))
        let notAName = try FupinBinary.run(["import", "no sense", file.path, "--workspace", dir.path])
        #expect(notAName.stderr.contains("no sense is not a collection"))
        let missing = try FupinBinary.run(["import", "households", "/no/such/file.csv", "--workspace", dir.path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no such file"))
        let encoding = try FupinBinary.run([
            "import", "households", "-", "--encoding", "latin1", "--workspace", dir.path,
        ])
        #expect(encoding.status != 0)
        let noWorkspace = try FupinBinary.run(
            ["export", "households"], directory: try FupinBinary.scratchFolder(),
            environment: ["FUPIN_WORKSPACE": ""])
        #expect(noWorkspace.status != 0)
        #expect(noWorkspace.stderr.contains("no workspace at "))
        let help = try FupinBinary.run(["import", "--help"])
        #expect(help.stdout.contains("fupin import national"))
    }

    @Test func exportMasksPersonalDataUnlessAsked() throws {
        let dir = try ImportExportCommandTests.sampleWorkspace()
        let masked = try FupinBinary.run(["export", "members", "--workspace", dir.path])
        #expect(masked.status == 0)
        #expect(masked.stdout.hasPrefix("\u{FEFF}id,所属户,人编号,姓名"))
        #expect(masked.stdout.contains("1506**********0118"))
        #expect(!masked.stdout.contains("150602195603120118"))
        let markdown = try FupinBinary.run(["export", "cadres", "--format", "md", "--workspace", dir.path])
        #expect(markdown.stdout.contains("138****1001"))
        let out = dir.deletingLastPathComponent().appendingPathComponent("members.csv")
        let full = try FupinBinary.run(["export", "members", "--unmask", "-o", out.path, "--workspace", dir.path])
        #expect(full.status == 0)
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.contains("150602195603120118"))
        // The unmasked export imports back unchanged (same ids, same values).
        let again = try FupinBinary.run(["import", "members", out.path, "--workspace", dir.path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("members: 0 inserted, 0 updated, 13 unchanged"))
    }

    @Test func nationalImportThenReimportChangesNothing() throws {
        let dir = try FupinBinary.scratchFolder()
        #expect(try FupinBinary.run(["init", dir.path]).status == 0)
        let header =
            "县(市、区、旗),乡(镇),行政村,自然村,户编号,人编号,姓名,证件号码,人数,与户主关系,民族,文化程度,在校生状况,健康状况,劳动技能,务工状况,务工时间（月）,参加大病医疗,脱贫属性,贫困户属性,主要致贫原因,危房户,饮水安全,饮水困难,人均纯收入,联系电话"
        let row =
            "东胜区,城郊镇,东梁村,东梁,1506020010101,150602001010101,郝九为,150602195603120118,1,户主,汉族,小学,非在校生,健康,普通劳动力,未务工,0,是,未脱贫,一般贫困户,因病,否,是,否,3950.00,13800000101"
        let file = dir.appendingPathComponent("national.csv")
        try (header + "\r\n" + row + "\r\n").write(to: file, atomically: true, encoding: .utf8)
        let first = try FupinBinary.run(["import", "national", file.path, "--workspace", dir.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("members: 1 inserted"))
        let second = try FupinBinary.run(["import", "national", file.path, "--workspace", dir.path])
        #expect(second.stdout.contains("households: 0 inserted, 0 updated, 1 unchanged"))
        #expect(second.stdout.contains("members: 0 inserted, 0 updated, 1 unchanged"))
    }
}
