import Foundation
import GRDB
import Testing

@testable import FupinCore

@Suite("Export")
struct ExportTests {
    /// A workspace with something in most collections, money, areas, bools, dates and quotes.
    static func populated() throws -> Workspace {
        let ws = try fixture()
        try importText(ws, "households", ImportTests.households)
        let ctx = testContext
        try ws.insert(
            "members",
            [
                "household_id": 1, "number": "P1", "name": "郝九为", "id_number": .text(makeIDNumber(area: "150602")),
                "relation": "户主", "health": "长期慢性病", "medical_insurance": true,
            ], context: ctx)
        try ws.insert("cadres", ["name": "张林", "unit_id": 1, "phone": "13947700001", "post": "副局长"], context: ctx)
        try ws.insert(
            "distributions",
            [
                "date": "2019-04-02", "household_id": 1, "item": "果树苗", "quantity": 35,
                "unit": "株", "value": 6.4, "note": "说明: \"嫁接\", 成活率高\n第二行",
            ], context: ctx)
        try ws.insert(
            "funds", ["date": "2019-03-01", "unit_id": 1, "direction": "in", "amount": "52000.00", "source": "单位自筹"],
            context: ctx)
        try ws.insert(
            "eco_projects", ["name": "森林植被恢复", "year": 2019, "planned_area": "10050", "completed_area": "10050.00"],
            context: ctx)
        try ws.insert("poverty_lines", ["year": 2019, "amount": 3747], context: ctx)
        try ws.insert(
            "notes", ["year": 2019, "unit_id": 1, "kind": "problem", "position": 1, "text": "村无集体土地"], context: ctx)
        let removed = try ws.insert(
            "incomes", ["household_id": 1, "year": 2019, "category": "工资性", "amount": 100], context: ctx)
        try ws.remove("incomes", id: removed, context: ctx)
        return ws
    }

    static func text(_ ws: Workspace, _ collection: String, _ options: ExportOptions = ExportOptions()) throws -> String
    {
        String(decoding: try ws.exportBytes(collection, options: options), as: UTF8.self)
    }

    @Test func csvHasBOMLabelsAndMasksPersonalData() throws {
        let ws = try ExportTests.populated()
        let bytes = try ws.exportBytes("households", options: ExportOptions())
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = CSVReader.parse(String(decoding: bytes, as: UTF8.self))
        #expect(rows[0].prefix(4) == ["id", "户编号", "户主姓名", "户主证件号码"])
        #expect(rows.count == 5)
        let yang = try #require(rows.first { $0[2] == "杨来才" })
        #expect(yang[3] == Masking.idNumber(ImportTests.id1))
        #expect(yang[3].contains("**********"))
        #expect(yang[4] == "139****1234")
        let full = CSVReader.parse(try ExportTests.text(ws, "households", ExportOptions(unmask: true)))
        #expect(full.first { $0[2] == "杨来才" }?[3] == ImportTests.id1)
        // Health is personal data too.
        let members = try ExportTests.text(ws, "members")
        #expect(!members.contains("长期慢性病"))
    }

    @Test func filtersSelectRecords() throws {
        let ws = try ExportTests.populated()
        let households = try #require(ws.collection("households"))
        let filters = try ["识别标准=国贫户", "cause!=因病"].map { try ExportFilter.parse($0, in: households) }
        let rows = CSVReader.parse(try ExportTests.text(ws, "households", ExportOptions(filters: filters)))
        #expect(rows.dropFirst().map { $0[2] } == ["杨来才", "刘三"])
        let distributions = try #require(ws.collection("distributions"))
        #expect(try ExportFilter.parse("year=2019", in: distributions) == .year(2019))
        #expect(try ExportFilter.parse("value>=6.4", in: distributions) == .compare("value", .greaterOrEqual, "6.4"))
        #expect(throws: ValidationError.self) { try ExportFilter.parse("colour=red", in: distributions) }
        #expect(throws: ValidationError.self) { try ExportFilter.parse("item", in: distributions) }
        // Removed records are left out unless `valid` is named.
        let incomes = try #require(ws.collection("incomes"))
        #expect(CSVReader.parse(try ExportTests.text(ws, "incomes")).count == 1)
        let all = ExportOptions(filters: [try ExportFilter.parse("valid=否", in: incomes)])
        #expect(CSVReader.parse(try ExportTests.text(ws, "incomes", all)).count == 2)
    }

    @Test func jsonAndMarkdown() throws {
        let ws = try ExportTests.populated()
        let json = try ExportTests.text(ws, "distributions", ExportOptions(format: .json))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == 1)
        #expect(parsed[0]["item"] as? String == "果树苗")
        #expect(json.contains("\"value\": 6.40"))
        #expect(parsed[0]["note"] as? String == "说明: \"嫁接\", 成活率高\n第二行")
        let cadres = try ExportTests.text(ws, "cadres", ExportOptions(format: .json))
        #expect(cadres.contains("\"phone\": \"139****0001\""))
        #expect(try ExportTests.text(ws, "team_members", ExportOptions(format: .json)) == "[]\n")
        let markdown = try ExportTests.text(ws, "distributions", ExportOptions(format: .md))
        let lines = markdown.split(separator: "\n")
        #expect(lines[0].hasPrefix("| id | 发放日期 | 受助户 |"))
        #expect(lines[1].hasPrefix("| --- |"))
        #expect(lines[2].contains("说明: \"嫁接\", 成活率高<br>第二行"))
        #expect(lines.count == 3)
    }

    @Test func exportThenImportGivesEqualRecords() throws {
        let source = try ExportTests.populated()
        let target = try Workspace.inMemory()
        for collection in Schema.core.collections {
            let includeRemoved = ExportOptions(
                filters: collection.keepsValidFlag ? [.isNotNull("valid")] : [], unmask: true)
            let bytes = try source.exportBytes(collection.name, options: includeRemoved)
            try target.importCSV(
                collection.name, bytes: bytes, file: "\(collection.name).csv", options: ImportOptions(),
                context: testContext)
        }
        for collection in Schema.core.collections {
            let read = { (ws: Workspace) in
                try ws.read { db in try ws.list(Query(collection).includingInvalid().orderBy("id"), in: db) }
            }
            let expected = try read(source)
            let actual = try read(target)
            #expect(actual == expected, "\(collection.name) differs after the round trip")
            if collection.name == "households" { #expect(expected.count == 4) }
        }
        // Importing the same export again changes nothing.
        let bytes = try source.exportBytes("households", options: ExportOptions(unmask: true))
        let again = try target.importCSV(
            "households", bytes: bytes, file: "households.csv", options: ImportOptions(), context: testContext)
        #expect(again.unchanged["households"] == 4)
    }

    @Test func labelsAreUniqueWithinEveryCollection() {
        for collection in Schema.core.collections {
            let labels = collection.fields.map(\.label)
            #expect(Set(labels).count == labels.count, "\(collection.name) has a repeated label")
            for label in labels { #expect(collection.field(matching: label)?.label == label) }
        }
    }
}
