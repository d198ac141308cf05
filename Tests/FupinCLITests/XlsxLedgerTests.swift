import Foundation
import Testing

/// The ledgers as XLSX (libxlsxwriter through FupinCore), read back with Python's openpyxl:
/// values, masked personal data, and the print settings (A4, landscape, fit to width, header
/// frozen and repeated). Enabled where python3 has openpyxl (`.ci/run` installs it).
@Suite struct XlsxLedgerTests {
    static let hasOpenpyxl: Bool = {
        (try? FupinBinary.run(["python3", "-c", "import openpyxl"], viaEnv: true).status) == 0
    }()

    /// Reads `file` with openpyxl; returns lines "key=value" describing its first sheet.
    static func describe(_ file: URL) throws -> [String: String] {
        let script = """
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            print("title=" + ws.title)
            print("freeze=" + str(ws.freeze_panes))
            print("repeat=" + str(ws.print_title_rows))
            print("orientation=" + str(ws.page_setup.orientation))
            print("paper=" + str(ws.page_setup.paperSize))
            print("fit=" + str(ws.sheet_properties.pageSetUpPr.fitToPage) + "/" + str(ws.page_setup.fitToHeight))
            print("footer=" + str(ws.oddFooter.center.text))
            print("header=" + "|".join(str(c.value) for c in ws[2]))
            print("row3=" + "|".join(str(c.value) for c in ws[3]))
            print("numfmt=" + "|".join(c.number_format for c in ws[3]))
            """
        let r = try FupinBinary.run(["python3", "-c", script, file.path], viaEnv: true)
        #expect(r.status == 0, "\(r.stderr)")
        var result: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            if let eq = line.firstIndex(of: "=") {
                result[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
        }
        return result
    }

    static func workspace() throws -> URL {
        let ws = try FupinBinary.scratchFolder().appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", ws.path, "--sample"])
        #expect(r.status == 0, "\(r.stderr)")
        return ws
    }

    @Test(.enabled(if: hasOpenpyxl)) func theRegisterReadsBackWithItsPrintSettings() throws {
        let ws = try XlsxLedgerTests.workspace()
        let r = try FupinBinary.run([
            "ledgers", "register", "--year", "2019", "--format", "xlsx", "--workspace", ws.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let sheet = try XlsxLedgerTests.describe(ws.appendingPathComponent("exports/register-2019.xlsx"))
        #expect(sheet["title"] == "镇有册")
        #expect(sheet["freeze"] == "A3")
        #expect(sheet["repeat"] == "$2:$2")
        #expect(sheet["orientation"] == "landscape")
        #expect(sheet["paper"] == "9")
        #expect(sheet["fit"] == "True/0")
        #expect(sheet["footer"] == "— &P —")
        #expect(sheet["header"]?.contains("物资价值（元）") == true)
        // 东梁村: 3 households, 7 people, 3,156 yuan of material — the summary's definition
        #expect(sheet["row3"]?.hasPrefix("城郊镇|东梁村|3|7|8|8|3156|") == true, "\(sheet["row3"] ?? "")")
        #expect(sheet["numfmt"]?.contains("#,##0.##") == true)
    }

    @Test(.enabled(if: hasOpenpyxl)) func theMonitoringScanIsASheetPerTable() throws {
        let ws = try XlsxLedgerTests.workspace()
        let r = try FupinBinary.run([
            "monitoring", "scan", "--year", "2019", "--format", "xlsx", "--workspace", ws.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let sheet = try XlsxLedgerTests.describe(ws.appendingPathComponent("exports/monitoring-scan-2019.xlsx"))
        #expect(sheet["title"] == "需要关注的户")
        #expect(sheet["header"]?.hasPrefix("户主|村|脱贫状态") == true)
        #expect(sheet["orientation"] == "landscape")
        #expect(sheet["repeat"] == "$2:$2")
    }

    @Test(.enabled(if: hasOpenpyxl)) func salesAndPartnershipsAreWorkbooksToo() throws {
        let ws = try XlsxLedgerTests.workspace()
        let sales = try FupinBinary.run([
            "produce-sales", "export", "--year", "2019", "--format", "xlsx", "-o", "sales.xlsx",
            "--workspace", ws.path,
        ])
        #expect(sales.status == 0, "\(sales.stderr)")
        let sheet = try XlsxLedgerTests.describe(ws.appendingPathComponent("exports/sales.xlsx"))
        #expect(sheet["header"]?.hasPrefix("销售日期|产品|户编号") == true)
        // a date cell is an Excel date, money has two decimals
        #expect(sheet["row3"]?.hasPrefix("2019-") == true, "\(sheet["row3"] ?? "")")
        #expect(sheet["numfmt"]?.hasPrefix("yyyy-mm-dd|") == true)
        #expect(sheet["numfmt"]?.contains("#,##0.00") == true)
        let projects = try FupinBinary.run([
            "enterprise-partnership", "status", "--format", "xlsx", "--on", "2019-12-31",
            "--workspace", ws.path,
        ])
        #expect(projects.status == 0, "\(projects.stderr)")
        let p = try XlsxLedgerTests.describe(ws.appendingPathComponent("exports/百企帮百村项目.xlsx"))
        #expect(p["row3"]?.contains("依托色连二矿组建村集体运输队") == true)
        #expect(p["orientation"] == "landscape")
    }

    @Test(.enabled(if: hasOpenpyxl)) func theSummaryFiguresAreASheetWithTheirQueries() throws {
        let ws = try XlsxLedgerTests.workspace()
        let r = try FupinBinary.run([
            "report", "annual", "--year", "2019", "--format", "xlsx", "-o", "summary.xlsx",
            "--workspace", ws.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let sheet = try XlsxLedgerTests.describe(ws.appendingPathComponent("exports/summary.xlsx"))
        #expect(sheet["title"] == "主要数字")
        #expect(sheet["row3"] == "1|帮扶村数|2|fp.villages:where{ unit_id = 1 }:count()")
    }

    @Test(.enabled(if: hasOpenpyxl)) func theCardsMaskPersonalData() throws {
        let ws = try XlsxLedgerTests.workspace()
        let r = try FupinBinary.run([
            "ledgers", "card", "--year", "2019", "--format", "xlsx", "-o", "cards.xlsx",
            "--workspace", ws.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let sheet = try XlsxLedgerTests.describe(ws.appendingPathComponent("exports/cards.xlsx"))
        #expect(sheet["row3"]?.contains("1506**********0118") == true)
        #expect(sheet["row3"]?.contains("150602195603120118") == false)
        #expect(sheet["row3"]?.contains("138****0101") == true)
    }
}
