import Foundation
import GRDB
import Testing

@testable import FupinCore

/// Imports `text` into `collection` of `ws`.
@discardableResult
func importText(
    _ ws: Workspace, _ collection: String, _ text: String, dryRun: Bool = false,
    file: String = "test.csv"
) throws -> ImportReport {
    try ws.importCSV(
        collection, bytes: Array(text.utf8), file: file, options: ImportOptions(dryRun: dryRun),
        context: WriteContext(operator: "测试员", source: "import:\(file)"))
}

/// The failure `body` throws, or nil.
func importFailure(_ body: () throws -> Void) -> ImportFailure? {
    do {
        try body()
        return nil
    } catch let failure as ImportFailure {
        return failure
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("CSV import")
struct ImportTests {
    static let id1 = makeIDNumber(area: "150602", birth: "19560312", sequence: "011")
    static let id2 = makeIDNumber(area: "150602", birth: "19480705", sequence: "023")
    static let id3 = makeIDNumber(area: "150602", birth: "19700101", sequence: "035")

    /// Households with Chinese labels, one with a quoted comma in a text field.
    static let households = """
        户编号,户主姓名,户主证件号码,联系电话,行政村,人口数,识别标准,贫困户属性,主要致贫原因,特殊困难
        150602001002,杨来才,\(id1),13904771234,1,2,国贫户,一般贫困户,缺技术,
        150602001003,刘三,\(id2),,1,1,国家,低保贫困户,因残,"视力差, 无法看电视"
        150602001004,王二,\(id3),0477-8512345,1,4,国家,一般贫困户,因病,

        """

    @Test func happyPathByLabels() throws {
        let ws = try fixture()
        let report = try importText(ws, "households", ImportTests.households, file: "households.csv")
        #expect(report.rows == 3)
        #expect(report.inserted["households"] == 3)
        #expect(report.encoding == .utf8)
        #expect(try count(ws, "households") == 4)
        let liu = try #require(
            try ws.read { db in try ws.findID("households", where: "number", is: "150602001003", in: db) })
        let record = try #require(try ws.get("households", id: liu))
        #expect(record.value("special_needs") == .text("视力差, 无法看电视"))
        #expect(record.value("standard") == .text("国家"))
        #expect(record.value("attribute") == .text("低保贫困户"))
        #expect(record.value("phone") == .null)
        let entries = try auditEntries(ws).filter {
            $0.collection == "households" && $0.source == "import:households.csv"
        }
        #expect(entries.flatMap(\.afterRecords).count == 3)
    }

    @Test func oneBadRowInTheMiddleWritesNothing() throws {
        let ws = try fixture()
        let before = try count(ws, "audit_log")
        let bad = ImportTests.households.replacingOccurrences(
            of: ImportTests.id2, with: withWrongCheck(ImportTests.id2))
        let failure = try #require(importFailure { try importText(ws, "households", bad, file: "households.csv") })
        #expect(failure.report.badRows == 1)
        let problem = try #require(failure.report.problems.first)
        #expect(problem.row == 3)
        #expect(problem.column == "户主证件号码")
        #expect(problem.field == "head_id_number")
        #expect(problem.value == withWrongCheck(ImportTests.id2))
        #expect(problem.reason == "fails the ID check digit")
        #expect(failure.description.contains("households.csv: row 3, column 户主证件号码 (head_id_number)"))
        // Personal data is masked in the message.
        #expect(!failure.description.contains(withWrongCheck(ImportTests.id2)))
        #expect(try count(ws, "households") == 1)
        #expect(try count(ws, "audit_log") == before)
    }

    @Test func everyBadRowIsReportedUpToTheCap() throws {
        let ws = try fixture()
        var text = "number,head_name,village_id,cause\n"
        for index in 0..<60 { text += "N\(index),户主\(index),1,\(index % 2 == 0 ? "懒" : "因病")\n" }
        text += "N60,户主60,99,因病\n"
        let failure = try #require(importFailure { try importText(ws, "households", text) })
        #expect(failure.report.badRows == 31)
        #expect(failure.report.problems.count == 31)
        #expect(failure.report.problems.first?.row == 2)
        #expect(failure.report.problems.first?.column == "cause")
        #expect(failure.report.problems.last?.field == "village_id")
        #expect(failure.report.problems.last?.reason == "is not the id of a record of villages")
        let capped = try #require(
            importFailure {
                try ws.importCSV(
                    "households", bytes: Array(text.utf8), file: "x.csv",
                    options: ImportOptions(maxProblems: 5), context: testContext)
            })
        #expect(capped.report.problems.count == 5 && capped.report.badRows == 31)
        #expect(capped.description.contains("26 more bad rows not listed"))
        #expect(try count(ws, "households") == 1)
    }

    @Test func dryRunReportsAndWritesNothing() throws {
        let ws = try fixture()
        let report = try importText(ws, "households", ImportTests.households, dryRun: true)
        #expect(report.dryRun)
        #expect(report.inserted["households"] == 3)
        #expect(try count(ws, "households") == 1)
    }

    @Test func reimportByKeyChangesNothingThenUpdates() throws {
        let ws = try fixture()
        try importText(ws, "households", ImportTests.households)
        let audits = try count(ws, "audit_log")
        let again = try importText(ws, "households", ImportTests.households)
        #expect(again.unchanged["households"] == 3)
        #expect(again.inserted["households"] == nil)
        #expect(try count(ws, "audit_log") == audits)
        let changed = try importText(
            ws, "households", ImportTests.households.replacingOccurrences(of: "因病", with: "因学"))
        #expect(changed.updated["households"] == 1 && changed.unchanged["households"] == 2)
        let twice = ImportTests.households + "150602001002,杨来才,,,1,2,国家,,,\n"
        let failure = try #require(importFailure { try importText(ws, "households", twice) })
        #expect(failure.report.problems.first?.reason == "is given twice (also in row 2)")
    }

    @Test func householdNumberMayStandForHouseholdID() throws {
        let ws = try fixture()
        try importText(ws, "households", ImportTests.households)
        let text = """
            发放日期,户编号,物资,数量,计量单位,价值（元）
            2019-04-02,150602001001,果树苗,30,株,186.00
            2019-04-02,150602001002,雏鸡,30,只,240
            2019-04-02,999,猪仔,2,头,1200

            """
        let failure = try #require(importFailure { try importText(ws, "distributions", text) })
        #expect(failure.report.problems.map(\.row) == [4])
        #expect(failure.report.problems.first?.column == "户编号")
        #expect(failure.report.problems.first?.reason == "is not the number of any record of households")
        let good = text.replacingOccurrences(of: "2019-04-02,999,猪仔,2,头,1200\n", with: "")
        try importText(ws, "distributions", good)
        let yang = try ws.read { db in try ws.findID("households", where: "number", is: "150602001002", in: db) }
        let chicks = try ws.read { db in
            try ws.list(try ws.query("distributions").where(.compare("item", .equal, "雏鸡")), in: db)
        }
        #expect(chicks.first?.value("household_id") == .integer(yang ?? -1))
        #expect(chicks.first?.value("value") == .money(Money(fen: 24000)))
        // household_number is the field-name spelling of the same thing.
        try importText(ws, "visits", "date,cadre_id,household_number,mode\n")  // header only: nothing to do
    }

    @Test func gb18030FileImports() throws {
        let ws = try fixture()
        // 户编号,户主姓名,行政村 / 150602001009,郝九为,1 in GB18030.
        var bytes: [UInt8] = [
            0xBB, 0xA7, 0xB1, 0xE0, 0xBA, 0xC5, 0x2C, 0xBB, 0xA7, 0xD6, 0xF7, 0xD0, 0xD5, 0xC3, 0xFB, 0x2C,
            0xD0, 0xD0, 0xD5, 0xFE, 0xB4, 0xE5, 0x0D, 0x0A,
        ]
        bytes += Array("150602001009,".utf8) + TextDecodingTests.haoJiuweiGB + Array(",1\r\n".utf8)
        let report = try ws.importCSV(
            "households", bytes: bytes, file: "gb.csv", options: ImportOptions(), context: testContext)
        #expect(report.encoding == .gb18030)
        let id = try ws.read { db in try ws.findID("households", where: "number", is: "150602001009", in: db) }
        #expect(try ws.get("households", id: id ?? 0)?.value("head_name") == .text("郝九为"))
        // Read as UTF-8 on purpose, it fails naming the line.
        let failure = try #require(
            importFailure {
                try ws.importCSV(
                    "households", bytes: bytes, file: "gb.csv", options: ImportOptions(encoding: .utf8),
                    context: testContext)
            })
        #expect(failure.report.problems.first?.row == 1)
        #expect(failure.description.contains("not valid UTF-8"))
    }

    @Test func headerProblemsAreNamed() throws {
        let ws = try fixture()
        let failure = try #require(importFailure { try importText(ws, "households", "户编号,户主,户主姓名,户主姓名\nX,a,b,c\n") })
        let reasons = failure.report.problems.map(\.reason)
        #expect(failure.report.problems.allSatisfy { $0.row == 1 })
        #expect(reasons.contains { $0.hasPrefix("is not a field of households") })
        #expect(reasons.contains { $0.contains("as column 户主姓名 already does") })
        #expect(reasons.contains { $0.contains("is required but the file has no column village_id or 行政村") })
    }

    @Test func structuralAndShapeProblemsAreRowProblems() throws {
        let ws = try fixture()
        let text = "number,head_name,village_id\nA1,甲,1\nA2,\"乙\"x,1\nA3,丙\n"
        let failure = try #require(importFailure { try importText(ws, "households", text) })
        #expect(failure.report.problems.map(\.row) == [3, 4])
        #expect(failure.report.problems[0].column == "head_name")
        #expect(failure.report.problems[1].reason == "has 2 fields; the header has 3")
    }
}

@Suite("Bulk audit entries")
struct BulkAuditFormatTests {
    @Test func columnarAndLegacyEntriesGiveRecords() throws {
        let ws = try fixture()
        try importText(ws, "households", ImportTests.households, file: "h.csv")
        let entry = try #require(try ws.read { db in try AuditLog.entries(db, collection: "households") }.last)
        #expect(entry.after?.hasPrefix(#"{"columns":["id","number","head_name""#) == true)
        #expect(entry.afterRecords.map { $0["head_name"] as? String } == ["杨来才", "刘三", "王二"])
        #expect(entry.after(recordID: entry.recordID + 1)?["number"] as? String == "150602001003")
        // Entries written before the columnar form: a JSON array of objects.
        var legacy = entry
        legacy.after = #"[{"id":7,"name":"甲"},{"id":8,"name":"乙"}]"#
        #expect(legacy.afterRecords.compactMap { $0["name"] as? String } == ["甲", "乙"])
    }
}

@Suite("Fast paths of the import's value checks")
struct ImportFastPathTests {
    @Test func isoDatesAndOtherForms() {
        #expect(CalendarDate(parsing: "2019-03-05")?.text == "2019-03-05")
        #expect(CalendarDate(parsing: "2019-02-30") == nil)
        #expect(CalendarDate(parsing: "2020-02-29")?.day == 29)
        #expect(CalendarDate(parsing: "0999-01-01") == nil)
        #expect(CalendarDate(parsing: "2019-0a-05") == nil)
        #expect(CalendarDate(parsing: "2019/3/5")?.text == "2019-03-05")
        #expect(CalendarDate(parsing: "20190305")?.text == "2019-03-05")
        #expect(CalendarDate(year: 5, month: 1, day: 2)?.text == "0005-01-02")
        #expect(CalendarDate(year: 9999, month: 12, day: 31)?.text == "9999-12-31")
    }

    @Test func vocabularyLookups() {
        let standard = Vocabularies.householdStandard
        #expect(standard.canonical("国家") == "国家")
        #expect(standard.canonical(" 国贫户 ") == "国家")
        #expect(standard.canonical("国") == nil)
        #expect(Vocabularies.fundDirection.canonical("收入") == "in")
        #expect(Vocabularies.ethnicity.canonical("达斡尔族") == "达斡尔族")
        #expect(FieldConverter.commonBool("是") == 1 && FieldConverter.commonBool("否") == 0)
        #expect(FieldConverter.commonBool("有") == nil)
        #expect(
            " a ".trimmingSpaces() == "a" && "a".trimmingSpaces() == "a" && "\u{3000}甲\u{3000}".trimmingSpaces() == "甲")
        #expect(IDNumber.problem(makeIDNumber(), today: CalendarDate.today()) == nil)
        #expect(
            IDNumber.problem(withWrongCheck(makeIDNumber()), today: CalendarDate.today()) == "fails the ID check digit")
    }

    @Test func bytesAreTrimmedAsTheirTextIs() {
        // The national import looks household numbers up by their trimmed bytes.
        let texts = [
            "", " ", "\u{3000}", " \t\r\n", "1506", " 1506 ", "\u{3000}1506\u{3000}", "\t 甲 \u{3000}",
            "\u{3000}\u{3000} a b \u{3000}", "a\u{3000}b", "\u{3001}", "x\u{E3}",
        ]
        for text in texts {
            let trimmed = Array(text.utf8).withUnsafeBufferPointer { Array(String.trimmingSpaces($0)) }
            #expect(trimmed == Array(text.trimmingSpaces().utf8), "\(text.debugDescription)")
        }
    }
}
