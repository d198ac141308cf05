import Foundation
import Testing

/// Small things a person meets every day: references by name, one message for a refused dry
/// run, the folders `init` makes, plural forms, `audit --record`, aligned help columns.
@Suite struct EverydayFrictionTests {
    static let householdsHeader = "户编号,户主姓名,行政村,人口数,识别标准,贫困户属性,主要致贫原因,脱贫状态,识别年度\n"

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let file = folder.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// A CSV reference cell may name the record by its label (a village's name, a household's
    /// head or 户编号) when exactly one record carries it; else the row and column are named.
    @Test func importResolvesReferencesByLabel() throws {
        let ws = try CommandLineTests.sample()
        let good = try Self.write(
            Self.householdsHeader + "1506020019901,张三,东梁村,2,国家,一般贫困户,因病,未脱贫,2014\n"
                + "1506020019902,张三,西沟村,2,国家,一般贫困户,因病,未脱贫,2014\n", "h.csv", in: ws)
        let r = try FupinBinary.run(["import", "households", good, "--workspace", ws.path])
        #expect(r.status == 0, "\(r.stderr)")
        let villages = try FupinBinary.run([
            "eval", "--workspace", ws.path,
            "local t = {} for h in fp.households:where{ head_name = '张三' }:order_by('number'):iter() do t[#t+1] = h.village_id end return table.concat(t, ',')",
        ])
        #expect(villages.stdout == "1,2\n")
        // A visit names its household by head: 郝九为 is one household, 张三 now two.
        let visitsHeader = "date,household_id,cadre_id,mode,content\n"
        let one = try Self.write(visitsHeader + "2019-12-01,郝九为,1,入户,回访\n", "v1.csv", in: ws)
        let ok = try FupinBinary.run(["import", "visits", one, "--workspace", ws.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let household = try FupinBinary.run([
            "eval", "--workspace", ws.path, "return fp.visits:order_by('id', 'desc'):first().household_id",
        ])
        #expect(household.stdout == "1\n")
        let bad = try Self.write(visitsHeader + "2019-12-01,张三,1,入户,回访\n2019-12-02,王五,1,入户,回访\n", "v2.csv", in: ws)
        let refused = try FupinBinary.run(["import", "visits", bad, "--workspace", ws.path])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "row 2, column household_id, value 张三: is ambiguous: 2 records of households carry it (ids 7, 8); give the id"
            ), "\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "row 3, column household_id, value 王五: no such record in households (looked up by id, number, head_name)"
            ))
    }

    /// A dry run of a file with a bad row says one thing: it is refused, nothing written (no
    /// counts of the good rows beside it).
    @Test func aRefusedDryRunSaysOneThing() throws {
        let ws = try CommandLineTests.sample()
        let file = try Self.write(
            Self.householdsHeader + "1506020019901,张三,南山村,2,国家,一般贫困户,因病,未脱贫,2014\n"
                + "1506020019902,李四,西沟村,2,国家,一般贫困户,因病,未脱贫,2014\n", "h.csv", in: ws)
        let r = try FupinBinary.run(["import", "households", file, "--dry-run", "--workspace", ws.path])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(
            r.stderr
                == "fupin: \(file): 1 bad row; nothing written\n  \(file): row 2, column 行政村 (village_id), value 南山村: no such record in villages (looked up by id, name)\n"
        )
        let clean = try Self.write(
            Self.householdsHeader + "1506020019902,李四,西沟村,2,国家,一般贫困户,因病,未脱贫,2014\n", "ok.csv", in: ws)
        let dry = try FupinBinary.run(["import", "households", clean, "--dry-run", "--workspace", ws.path])
        #expect(
            dry.stdout
                == "households: 1 row read (utf-8) — dry run, nothing written\n  households: 1 inserted, 0 updated, 0 unchanged\n"
        )
    }

    /// `fupin init` makes plugins/, exports/ and Scripts/ with the example the README runs.
    @Test func initMakesTheWorkspaceFolders() throws {
        let ws = try FupinBinary.scratchFolder().appendingPathComponent("new")
        let r = try FupinBinary.run(["init", ws.path])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["plugins", "exports", "Scripts"] {
            var isFolder: ObjCBool = false
            #expect(
                FileManager.default.fileExists(atPath: ws.appendingPathComponent(name).path, isDirectory: &isFolder)
                    && isFolder.boolValue, "\(name)")
        }
        let sample = try CommandLineTests.sample()
        let run = try FupinBinary.run(["run", "Scripts/example.lua", "2019"], directory: sample)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("2019年概况\n  帮扶村 2 个，贫困户 6 户"))
    }

    /// One thing is "1 record", not "1 records"; --record shows that record's values.
    @Test func pluralsAndAuditRecordValues() throws {
        let ws = try CommandLineTests.sample()
        let export = try FupinBinary.run([
            "export", "towns", "-o", ws.appendingPathComponent("t.csv").path, "--workspace", ws.path,
        ])
        #expect(export.stderr.contains("exported 1 towns record to"), "\(export.stderr)")
        let audit = try FupinBinary.run(["audit", "--collection", "sales", "--record", "3", "--workspace", ws.path])
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("sales #3  date: 2019-07-09; product: 西红柿; household_id: 5;"), "\(audit.stdout)")
        let limited = try FupinBinary.run(["audit", "--limit", "1", "--workspace", ws.path])
        #expect(limited.stdout.contains("(the last 1 of "))
    }

    /// A plugin's `ref` argument takes a label, and plugin help columns line up on a terminal
    /// (a CJK character is two columns wide).
    @Test func pluginReferenceArgumentsAndHelpColumns() throws {
        let ws = try CommandLineTests.sample()
        let plugin = ws.appendingPathComponent("plugins/visiting")
        try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
        try """
        return {
          name = "visiting", version = "1.0.0", api = 1, title = "走访", permissions = { "read" },
          commands = {
            count = { summary = "走访次数", args = {
                { name = "household", type = "ref", to = "households", required = true, help = "户" },
                { name = "year", type = "integer", help = "哪一年" },
              }, run = function(args, ctx) return args.household, fp.visits:where{ household_id = args.household }:count() end },
            ["list-all"] = { summary = "全部", run = function() end },
          },
        }
        """.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let byName = try FupinBinary.run(["visiting", "count", "--household", "郝九为", "--workspace", ws.path])
        #expect(byName.status == 0, "\(byName.stderr)")
        #expect(byName.stdout.hasPrefix("1\t"))
        let byNumber = try FupinBinary.run([
            "visiting", "count", "--household", "1506020010102", "--workspace", ws.path,
        ])
        #expect(byNumber.stdout.hasPrefix("2\t"), "\(byNumber.stderr)")
        let none = try FupinBinary.run(["visiting", "count", "--household", "王五", "--workspace", ws.path])
        #expect(none.status == 64)
        #expect(
            none.stderr.hasPrefix(
                "fupin: visiting count: --household 王五: no such record in households (looked up by id, number, head_name)\n"
            ))
        let help = try FupinBinary.run(["visiting", "count", "--help", "--workspace", ws.path])
        #expect(
            help.stdout.contains(
                "  --household <households id or name>\n                                      户 (required)\n  --year <integer>                    哪一年\n  --as-of <moment>                    read the ledgers as they stood then"
            ), "\(help.stdout)")
        let commands = try FupinBinary.run(["visiting", "--help", "--workspace", ws.path])
        #expect(commands.stdout.contains("  count     走访次数\n  list-all  全部\n"), "\(commands.stdout)")
    }
}
