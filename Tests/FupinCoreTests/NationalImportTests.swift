import Foundation
import GRDB
import Testing

@testable import FupinCore

@Suite("National layout import")
struct NationalImportTests {
    static let header = NationalLayout.columns.joined(separator: ",")

    /// One national row: household-level values repeat on every row of the household.
    static func row(
        _ household: String, _ person: String, _ name: String, _ id: String, size: Int, relation: String,
        village: String = "东梁村", ethnicity: String = "汉族", education: String = "小学",
        income: String = "4210.50", phone: String = "13904770001"
    ) -> String {
        [
            "康巴什区", "城郊镇", village, "一社", household, person, name, id, String(size), relation, ethnicity, education,
            "非在校生", "健康", "普通劳动力", "乡镇内务工", "3", "是", "未脱贫", "一般贫困户", "缺技术", "否", "是", "否", income, phone,
        ]
        .joined(separator: ",")
    }

    static let hao = makeIDNumber(area: "150602", birth: "19580302", sequence: "013")
    static let haoWife = makeIDNumber(area: "150602", birth: "19600815", sequence: "022")
    static let yang = makeIDNumber(area: "150602", birth: "19520110", sequence: "031")
    static let yangSon = makeIDNumber(area: "150602", birth: "19850604", sequence: "057")
    static let yangGrandson = makeIDNumber(area: "150602", birth: "20100921", sequence: "075")

    /// Two households of five people; 杨来才's head row comes after his son's.
    static let file =
        [
            header,
            row("1506020010001", "150602001000101", "郝九为", hao, size: 2, relation: "户主"),
            row("1506020010001", "150602001000102", "李桂兰", haoWife, size: 2, relation: "配偶"),
            row("1506020010002", "150602001000202", "杨二虎", yangSon, size: 3, relation: "之子", village: "西沟村"),
            row(
                "1506020010002", "150602001000201", "杨来才", yang, size: 3, relation: "户主", village: "西沟村",
                phone: "13904770002"),
            row(
                "1506020010002", "150602001000203", "杨小宝", yangGrandson, size: 3, relation: "之孙子", village: "西沟村",
                education: "小学"),
        ].joined(separator: "\r\n") + "\r\n"

    static func load(_ ws: Workspace, _ text: String, dryRun: Bool = false) throws -> ImportReport {
        try ws.importNational(
            bytes: Array(text.utf8), file: "national.csv", options: ImportOptions(dryRun: dryRun),
            context: WriteContext(operator: "测试员", source: "import:national.csv"))
    }

    @Test func createsPlacesHouseholdsAndPeople() throws {
        let ws = try Workspace.inMemory()
        let report = try NationalImportTests.load(ws, NationalImportTests.file)
        #expect(report.rows == 5)
        #expect(report.inserted == ["towns": 1, "villages": 2, "households": 2, "members": 5])
        let yang = try #require(
            try ws.read { db in try ws.findID("households", where: "number", is: "1506020010002", in: db) })
        let household = try #require(try ws.get("households", id: yang))
        #expect(household.value("head_name") == .text("杨来才"))
        #expect(household.value("head_id_number") == .text(NationalImportTests.yang))
        #expect(household.value("phone") == .text("13904770002"))
        #expect(household.value("size") == .integer(3))
        #expect(household.value("reported_income_per_capita") == .money(Money(fen: 421050)))
        #expect(household.value("safe_drinking_water") == .bool(true))
        let villageID = try #require(household["village_id"].integerValue)
        let village = try #require(try ws.get("villages", id: villageID))
        #expect(village.value("name") == .text("西沟村"))
        let townID = try #require(village["town_id"].integerValue)
        let town = try #require(try ws.get("towns", id: townID))
        #expect(town.value("name") == .text("城郊镇") && town.value("district") == .text("康巴什区"))
        let son = try #require(
            try ws.read { db in try ws.findID("members", where: "number", is: "150602001000202", in: db) })
        let member = try #require(try ws.get("members", id: son))
        #expect(member.value("household_id") == .integer(yang))
        #expect(member.value("relation") == .text("之子"))
        #expect(member.value("sex") == .text("男"))
        #expect(member.value("birth_date") == .date("1985-06-04"))
        #expect(member.value("medical_insurance") == .bool(true))
        #expect(member.value("migrant_months") == .integer(3))
        // Every person is in the audit log (rows prepared on the reading thread), as stored.
        let entries = try ws.read { db in try AuditLog.entries(db, collection: "members") }
        let audited = entries.flatMap(\.afterRecords)
        #expect(audited.count == 5)
        #expect(audited.first { ($0["id"] as? NSNumber)?.int64Value == son }?["birth_date"] as? String == "1985-06-04")
        #expect(audited.compactMap { $0["name"] as? String } == ["郝九为", "李桂兰", "杨二虎", "杨来才", "杨小宝"])
        #expect(entries.allSatisfy { $0.source == "import:national.csv" && $0.operator == "测试员" })
    }

    /// New villages are written together, audited as one entry of their range; a village the
    /// store has is used, not made again, and a file naming one more creates only that one.
    @Test func newVillagesAreWrittenTogetherAndExistingOnesReused() throws {
        let ws = try Workspace.inMemory()
        try NationalImportTests.load(ws, NationalImportTests.file)
        let villages = try ws.read { db in try AuditLog.entries(db, collection: "villages") }
        #expect(villages.count == 1)
        #expect(villages.first?.afterRecords.compactMap { $0["name"] as? String } == ["东梁村", "西沟村"])
        let more =
            [
                NationalImportTests.header,
                NationalImportTests.row(
                    "1506020010003", "150602001000301", "张福厚",
                    makeIDNumber(area: "150602", birth: "19700101", sequence: "011"),
                    size: 1, relation: "户主", village: "西沟村"),
                NationalImportTests.row(
                    "1506020010004", "150602001000401", "刘三",
                    makeIDNumber(area: "150602", birth: "19710101", sequence: "013"),
                    size: 1, relation: "户主", village: "南沟村"),
            ].joined(separator: "\r\n") + "\r\n"
        let report = try NationalImportTests.load(ws, more)
        #expect(report.inserted == ["villages": 1, "households": 2, "members": 2])
        let names = try ws.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM villages ORDER BY id")
        }
        #expect(names == ["东梁村", "西沟村", "南沟村"])
        let placed = try ws.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT v.name FROM households h JOIN villages v ON v.id = h.village_id
                    WHERE h.number IN ('1506020010003', '1506020010004') ORDER BY h.number
                    """)
        }
        #expect(placed == ["西沟村", "南沟村"])
    }

    @Test func reimportChangesNothingAndChangesUpdate() throws {
        let ws = try Workspace.inMemory()
        try NationalImportTests.load(ws, NationalImportTests.file)
        let audits = try count(ws, "audit_log")
        let again = try NationalImportTests.load(ws, NationalImportTests.file)
        #expect(again.inserted.isEmpty && again.updated.isEmpty)
        #expect(again.unchanged == ["households": 2, "members": 5])
        #expect(try count(ws, "audit_log") == audits)
        #expect(try [count(ws, "members"), count(ws, "villages"), count(ws, "towns")] == [5, 2, 1])
        // The grandson starts school; the household's reported income changes on every row.
        let changed = NationalImportTests.file
            .replacingOccurrences(
                of: "杨小宝,\(NationalImportTests.yangGrandson),3,之孙子,汉族,小学,非在校生",
                with: "杨小宝,\(NationalImportTests.yangGrandson),3,之孙子,汉族,小学,小学"
            )
            .replacingOccurrences(of: "西沟村,一社,1506020010002", with: "西沟村,二社,1506020010002")
        let report = try NationalImportTests.load(ws, changed)
        #expect(report.updated == ["households": 1, "members": 1])
        #expect(report.unchanged == ["households": 1, "members": 4])
        let grandson = try ws.read { db in try ws.findID("members", where: "number", is: "150602001000203", in: db) }
        #expect(try ws.get("members", id: grandson ?? 0)?.value("schooling") == .text("小学"))
    }

    @Test func vocabularyProblemsNameRowAndColumnAndWriteNothing() throws {
        let ws = try Workspace.inMemory()
        let bad = NationalImportTests.file
            .replacingOccurrences(
                of: "李桂兰,\(NationalImportTests.haoWife),2,配偶,汉族", with: "李桂兰,\(NationalImportTests.haoWife),2,配偶,火星族"
            )
            .replacingOccurrences(
                of: "杨小宝,\(NationalImportTests.yangGrandson),3,之孙子,汉族,小学,非在校生,健康,普通劳动力,乡镇内务工,3,是,未脱贫,一般贫困户",
                with: "杨小宝,\(NationalImportTests.yangGrandson),3,之孙子,汉族,小学,非在校生,健康,普通劳动力,乡镇内务工,3,是,未脱贫,富裕户")
        do {
            try NationalImportTests.load(ws, bad)
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.row) == [3, 6])
            #expect(failure.report.problems.map(\.column) == ["民族", "贫困户属性"])
            #expect(failure.report.problems[0].value == "火星族")
            #expect(failure.report.problems[0].field == "members.ethnicity")
            #expect(
                failure.description.contains(
                    "national.csv: row 3, column 民族 (members.ethnicity), value 火星族: is not a value of 民族"))
        }
        for table in ["towns", "villages", "households", "members", "audit_log"] { #expect(try count(ws, table) == 0) }
    }

    @Test func aBadValueRepeatedOnConsecutiveRowsIsReportedOnEach() throws {
        let ws = try Workspace.inMemory()
        // 杨's three rows all say 火星族; the values of unchanged columns are reused from row to row.
        let bad = NationalImportTests.file.replacingOccurrences(of: "之子,汉族", with: "之子,火星族")
            .replacingOccurrences(
                of: "户主,汉族,小学,非在校生,健康,普通劳动力,乡镇内务工,3,是,未脱贫,一般贫困户,缺技术,否,是,否,4210.50,13904770002",
                with: "户主,火星族,小学,非在校生,健康,普通劳动力,乡镇内务工,3,是,未脱贫,一般贫困户,缺技术,否,是,否,4210.50,13904770002"
            )
            .replacingOccurrences(of: "之孙子,汉族", with: "之孙子,火星族")
        do {
            try NationalImportTests.load(ws, bad)
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.row) == [4, 5, 6])
            #expect(failure.report.problems.allSatisfy { $0.column == "民族" && $0.value == "火星族" })
        }
        // And good repeated values are stored on every row.
        try NationalImportTests.load(ws, NationalImportTests.file)
        let people = try ws.read { db in try ws.list(try ws.query("members").orderBy("id"), in: db) }
        #expect(people.map { $0.value("ethnicity") } == Array(repeating: .text("汉族"), count: 5))
        #expect(people.map { $0.value("medical_insurance") } == Array(repeating: .bool(true), count: 5))
        #expect(Set(people.map { $0.value("household_id") }).count == 2)
    }

    /// Columns with few distinct texts are converted once per text and the result remembered;
    /// what is stored must be what converting each row would give: spellings with spaces or
    /// quotes, a value met again after others, a bad value after a good one in the same column.
    @Test func rememberedConversionsStoreWhatEachRowSays() throws {
        let ws = try Workspace.inMemory()
        func id(_ n: Int) -> String {
            makeIDNumber(area: "150602", birth: "19700101", sequence: String(format: "%03d", n))
        }
        let ethnicities = ["汉族", "蒙古族", " 汉族 ", "\"回族\"", "汉族", "蒙古族", "回族", "蒙古"]
        var lines = [NationalImportTests.header]
        for (k, ethnicity) in ethnicities.enumerated() {
            lines.append(
                NationalImportTests.row(
                    "150602009\(k)", "150602009\(k)01", "户主\(k)", id(k + 1), size: 1,
                    relation: "户主", ethnicity: ethnicity))
        }
        try NationalImportTests.load(ws, lines.joined(separator: "\n") + "\n")
        let people = try ws.read { db in try ws.list(try ws.query("members").orderBy("id"), in: db) }
        #expect(
            people.map { $0.value("ethnicity") }
                == ["汉族", "蒙古族", "汉族", "回族", "汉族", "蒙古族", "回族", "蒙古族"].map { .text($0) })
        #expect(people.allSatisfy { $0.value("health") == .text("健康") && $0.value("migrant_months") == .integer(3) })

        // A bad value after the same column's good ones is still refused, on its row.
        let other = try Workspace.inMemory()
        lines[6] = lines[6].replacingOccurrences(of: ",蒙古族,", with: ",火星族,")
        #expect(throws: ImportFailure.self) {
            try NationalImportTests.load(other, lines.joined(separator: "\n") + "\n")
        }
        do {
            try NationalImportTests.load(other, lines.joined(separator: "\n") + "\n")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.row) == [7])
            #expect(failure.report.problems.first?.value == "火星族")
        }
        #expect(try count(other, "members") == 0)
    }

    @Test func memoGivesUpOnManyDistinctTextsAndSkipsQuotes() {
        var memo = ConvertedValueMemo()
        func remember(_ text: String, _ value: SQLValue) {
            Array(text.utf8).withUnsafeBufferPointer { memo.remember($0, value) }
        }
        func lookup(_ text: String) -> SQLValue? { Array(text.utf8).withUnsafeBufferPointer { memo.value(for: $0) } }
        remember("汉族", "汉族".sqlValue)
        remember(" 汉族", "汉族".sqlValue)
        remember("a\"\"b", "a\"b".sqlValue)
        #expect(lookup("汉族") == "汉族".sqlValue)
        #expect(lookup(" 汉族") == "汉族".sqlValue)
        #expect(lookup("汉") == nil)
        #expect(lookup("a\"\"b") == nil)
        for k in 0..<ConvertedValueMemo.capacity { remember("v\(k)", k.sqlValue) }
        #expect(memo.isGivenUp)
        #expect(lookup("汉族") == nil)
    }

    @Test func headSpellings() throws {
        let ws = try Workspace.inMemory()
        // 本人 (an alias) and " 户主 " (with spaces) both mark the head.
        let text = NationalImportTests.file
            .replacingOccurrences(
                of: "郝九为,\(NationalImportTests.hao),2,户主", with: "郝九为,\(NationalImportTests.hao),2,本人"
            )
            .replacingOccurrences(
                of: "杨来才,\(NationalImportTests.yang),3,户主", with: "杨来才,\(NationalImportTests.yang),3, 户主 ")
        let report = try NationalImportTests.load(ws, text)
        #expect(report.inserted["households"] == 2)
        let heads = try ws.read { db in try ws.list(try ws.query("households").orderBy("id"), in: db) }.map {
            $0.value("head_name")
        }
        #expect(heads == [.text("郝九为"), .text("杨来才")])
    }

    @Test func householdShapeProblems() throws {
        let ws = try Workspace.inMemory()
        // No head for 郝's household; 杨 himself in another village than his son; a second head for 杨's.
        let bad = NationalImportTests.file
            .replacingOccurrences(
                of: "郝九为,\(NationalImportTests.hao),2,户主", with: "郝九为,\(NationalImportTests.hao),2,配偶"
            )
            .replacingOccurrences(
                of: "杨小宝,\(NationalImportTests.yangGrandson),3,之孙子",
                with: "杨小宝,\(NationalImportTests.yangGrandson),3,户主"
            )
            .replacingOccurrences(
                of: "西沟村,一社,1506020010002,150602001000201", with: "东梁村,一社,1506020010002,150602001000201")
        do {
            try NationalImportTests.load(ws, bad)
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            let byRow = Dictionary(grouping: failure.report.problems, by: \.row)
            #expect(byRow[2]?.first?.reason == "household 1506020010001 has no row whose 与户主关系 is 户主")
            #expect(byRow[5]?.first?.column == "行政村")
            #expect(byRow[6]?.first?.reason.hasPrefix("names a second head of household 1506020010002") == true)
        }
        #expect(try count(ws, "members") == 0)
    }

    @Test func missingColumnsAndDryRun() throws {
        let ws = try Workspace.inMemory()
        do {
            _ = try NationalImportTests.load(ws, "户编号,人编号,姓名\n1,1,甲\n")
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.first?.reason.contains("县(市、区、旗)") == true)
        }
        // Extra columns are ignored; full-width parentheses in headers match.
        let lines = NationalImportTests.file.replacingOccurrences(of: "县(市、区、旗)", with: "县（市、区、旗）")
            .split(separator: "\r\n").map(String.init)
        let text = (["序号," + lines[0]] + lines.dropFirst().enumerated().map { "\($0.offset + 1),\($0.element)" })
            .joined(separator: "\n")
        let report = try NationalImportTests.load(ws, text, dryRun: true)
        #expect(report.ignoredColumns == ["序号"])
        #expect(report.inserted["members"] == 5)
        #expect(try count(ws, "members") == 0)
    }
}
