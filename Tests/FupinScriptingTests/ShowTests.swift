import Foundation
import FupinCore
import Testing

@testable import FupinScripting

/// The sample workspace (seeds/ of this checkout) in memory, loaded once per test that asks.
private func sampleWorkspace() throws -> Workspace {
    let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds")
    let ws = try Workspace.inMemory()
    _ = try SampleWorkspace.load(into: ws, from: seeds, context: WriteContext(operator: "测试", source: "test"))
    return ws
}

private func records(_ ws: Workspace, _ collection: String) throws -> [StoredRecord] {
    let query = try ws.query(collection)
    return try ws.read { db in try ws.list(query, in: db) }
}

/// The lines of a table without its footer.
private func tableLines(_ text: String) -> [Substring] {
    text.split(separator: "\n").filter { !$0.hasPrefix("(") }
}

@Suite struct TableRendererShowTests {
    @Test func columnsLineUpWithChineseText() {
        let table = TextTable(
            header: ["id", "name", "amount"],
            strings: [["1", "郝九为", "1,234.50"], ["22", "刘三", "6.40"], ["3", "Bob", "12,345,678.00"]])
        let text = TableRenderer().render(table)
        let lines = tableLines(text)
        #expect(lines.count == 5)
        let widths = Set(lines.map { DisplayWidth.width(String($0)) })
        #expect(widths.count == 1)
        #expect(lines[2].hasSuffix("    1,234.50"))  // numbers right-aligned
        #expect(lines[2].hasPrefix(" 1  郝九为"))  // the id column is 2 wide (for 22)
        #expect(text.hasSuffix("(3 rows)"))
    }

    @Test func footerCountsRowsAndTotals() {
        #expect(TableRenderer.footer(shown: 1, total: nil) == "(1 row)")
        #expect(TableRenderer.footer(shown: 6, total: 6) == "(6 rows)")
        #expect(TableRenderer.footer(shown: 20, total: 1_000_000) == "(showing 20 of 1,000,000 rows)")
        #expect(TableRenderer.footer(shown: 0, total: nil) == "(0 rows)")
    }

    @Test func longCellsAreCappedAndTruncated() {
        let long = String(repeating: "东梁村", count: 30)
        let table = TextTable(header: ["id", "plan"], strings: [["1", long], ["2", "短"]])
        let text = TableRenderer(maxColumnWidth: 11).render(table)
        let lines = tableLines(text)
        #expect(Set(lines.map { DisplayWidth.width(String($0)) }).count == 1)
        #expect(lines[2].hasSuffix("东梁村东梁…"))  // 10 columns of text and the ellipsis
        #expect(lines.allSatisfy { DisplayWidth.width(String($0)) <= 2 + 2 + 11 })
    }

    @Test func columnsBeyondTheWidthAreLeftOut() {
        let table = TextTable(
            header: ["id", "head_name", "village", "note"],
            strings: [["1", "郝九为", "东梁村", "散养鸡"], ["2", "杨来才", "东梁村", "养猪"]])
        let text = TableRenderer(maxWidth: 23).render(table)  // id, head_name, village: 22 columns
        let lines = tableLines(text)
        #expect(lines.allSatisfy { DisplayWidth.width(String($0)) == 22 })
        #expect(lines[0] == "id  head_name  village")
        #expect(text.hasSuffix("(2 rows, 3 of 4 columns)"))
        #expect(TableRenderer(maxWidth: 21).render(table).hasSuffix("(2 rows, 2 of 4 columns)"))
        let narrow = TableRenderer(maxWidth: 1).render(TextTable(header: ["name"], strings: [["郝九为"]]))
        #expect(narrow.hasSuffix("(1 row)"))
        #expect(tableLines(narrow).allSatisfy { DisplayWidth.width(String($0)) <= 2 })
    }

    @Test func controlCharactersInCellsDoNotBreakTheTable() {
        let table = TextTable(header: ["note"], strings: [["line one\nline two"], ["\u{1B}[2J"]])
        let text = TableRenderer().render(table)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("line one\\nline two"))
        #expect(text.split(separator: "\n").count == 5)
    }

    @Test func labelsInTheHeader() {
        let table = TextTable(
            columns: [TableColumn("head_name", label: "户主姓名"), TableColumn("x")],
            rows: [["郝九为", "a"]])
        let text = TableRenderer(headers: .labels).render(table)
        #expect(text.hasPrefix("户主姓名  x"))
        #expect(TableRenderer().render(table).hasPrefix("head_name  x"))
    }

    @Test func csvQuotesWhatItMust() {
        let table = TextTable(
            columns: [TableColumn("a"), TableColumn("b", alignment: .right)],
            rows: [["x,y", .number("1,234.50", plain: "1234.50")], ["say \"hi\"\nbye", .null]])
        #expect(TableRenderer().csv(table) == "a,b\n\"x,y\",1234.50\n\"say \"\"hi\"\"\nbye\",")
    }

    @Test func jsonKeepsTypesAndColumnOrder() throws {
        let table = TextTable(
            columns: [
                TableColumn("id", alignment: .right), TableColumn("name"), TableColumn("value"),
                TableColumn("ok"), TableColumn("none"),
            ],
            rows: [
                [.integer(1), "郝九为", .number("1,234.50", plain: "1234.50"), .bool(true), .null],
                [.integer(2), "a\"b", .number("nan"), .bool(false), .null],
            ])
        let json = TableRenderer().json(table)
        #expect(
            json.hasPrefix("[\n  {\"id\": 1, \"name\": \"郝九为\", \"value\": 1234.50, \"ok\": true, \"none\": null},"))
        #expect(json.contains("\"value\": \"nan\""))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?.last?["name"] as? String == "a\"b")
        #expect(TableRenderer().json(TextTable(columns: [TableColumn("a")], rows: [])) == "[]")
    }

    @Test func renderModesByName() {
        #expect(RenderMode(rawValue: "csv") == .csv)
        #expect(RenderMode(rawValue: "json") == .json)
        #expect(RenderMode(rawValue: "table") == .table)
        #expect(RenderMode(rawValue: "html") == nil)
    }
}

@Suite struct RecordTableShowTests {
    @Test func householdsAreMaskedByDefaultAndLineUp() throws {
        let ws = try sampleWorkspace()
        let households = try records(ws, "households")
        let schema = try #require(ws.collection("households"))
        let shown = try RecordTable(schema: schema, records: households, total: households.count)
        let text = shown.render()
        #expect(text.contains("1506**********0118"))
        #expect(!text.contains("150602195603120118"))
        #expect(text.contains("138****0101"))
        #expect(!text.contains("13800000101"))
        #expect(text.contains("郝九为") && text.contains("杨来才") && text.contains("刘三"))
        let lines = tableLines(text)
        #expect(lines.count == 2 + 6)
        #expect(Set(lines.map { DisplayWidth.width(String($0)) }).count == 1)
        #expect(text.hasSuffix("(6 rows)"))
        #expect(shown.table.columns.first?.name == "id")
        #expect(!shown.table.columns.contains { $0.name == "valid" })
        #expect(
            shown.table.columns.map(\.name).dropFirst().elementsEqual(
                schema.fields.map(\.name).filter { $0 != "valid" }))

        var options = ShowOptions()
        options.unmask = true
        let unmasked = try RecordTable(schema: schema, records: households, options: options).render()
        #expect(unmasked.contains("150602195603120118"))
    }

    @Test func moneyIsFormattedAndRightAligned() throws {
        let ws = try sampleWorkspace()
        let schema = try #require(ws.collection("funds"))
        let funds = try records(ws, "funds")
        let table = try RecordTable(
            schema: schema, records: funds, options: ShowOptions(fields: ["id", "amount", "purpose"]))
        let text = table.render()
        #expect(text.contains("30,000.00"))
        #expect(text.contains("   150.00"))
        #expect(table.table.columns[1].alignment == .right)
        #expect(table.render(.csv).contains("\n1,30000.00,年度精准扶贫帮扶资金"))
        #expect(table.render(.json).contains("\"amount\": 30000.00"))
    }

    @Test func areasBoolsAndNulls() throws {
        let ws = try sampleWorkspace()
        let eco = try RecordTable(
            schema: try #require(ws.collection("eco_projects")), records: records(ws, "eco_projects")
        ).render()
        #expect(eco.contains("10,050.00"))
        let villages = try RecordTable(
            schema: try #require(ws.collection("villages")), records: records(ws, "villages"),
            options: ShowOptions(fields: ["name", "in_planning_zone", "has_collective_land"]))
        #expect(villages.table.rows[0].map(\.display) == ["东梁村", "是", "否"])
        #expect(villages.render(.json).contains("\"in_planning_zone\": true, \"has_collective_land\": false"))
        let teams = try RecordTable(
            schema: try #require(ws.collection("teams")), records: records(ws, "teams"),
            options: ShowOptions(fields: ["end_date"]))
        #expect(teams.table.rows[0][0] == .null)
    }

    @Test func limitAndTotalGiveTheFooter() throws {
        let ws = try sampleWorkspace()
        let schema = try #require(ws.collection("distributions"))
        let all = try records(ws, "distributions")
        let three = try RecordTable(schema: schema, records: all, options: ShowOptions(limit: 3))
        #expect(three.table.rows.count == 3)
        #expect(three.render().hasSuffix("(showing 3 of 12 rows)"))
        let prefix = try RecordTable(schema: schema, records: Array(all.prefix(2)), total: 1_000_000)
        #expect(prefix.render().hasSuffix("(showing 2 of 1,000,000 rows)"))
    }

    @Test func labelsAndCodedValues() throws {
        let ws = try sampleWorkspace()
        let schema = try #require(ws.collection("funds"))
        let text = try RecordTable(
            schema: schema, records: records(ws, "funds"),
            options: ShowOptions(labels: true, fields: ["direction", "amount"])
        ).render()
        #expect(text.hasPrefix("收支  "))
        #expect(text.contains("收入"))
        #expect(!text.contains(" in "))
    }

    @Test func unknownFieldsAreRefused() throws {
        let ws = try sampleWorkspace()
        let schema = try #require(ws.collection("households"))
        #expect(throws: ShowError.unknownField(collection: "households", field: "nmae")) {
            try RecordTable(schema: schema, records: [], options: ShowOptions(fields: ["nmae"]))
        }
    }

    @Test func invalidRecordsShowTheValidColumn() throws {
        let ws = try sampleWorkspace()
        try ws.remove("visits", id: 1, context: WriteContext(operator: "测试", source: "test"))
        let query = try ws.query("visits").includingInvalid()
        let all = try ws.read { db in try ws.list(query, in: db) }
        let table = try RecordTable(
            schema: try #require(ws.collection("visits")), records: all, options: ShowOptions(limit: nil))
        #expect(table.table.columns.last?.name == "valid")
        #expect(table.table.rows[0].last?.display == "否")
    }

    @Test func oneRecordIsShownVertically() throws {
        let ws = try sampleWorkspace()
        let record = try #require(try ws.get("households", id: 4))
        let text = RecordCard(record: record).render()
        let lines = text.split(separator: "\n")
        #expect(lines.first == "households #4 贫困户")
        #expect(text.contains("户主姓名"))
        #expect(text.contains("head_name"))
        #expect(text.contains("刘三"))
        #expect(text.contains("1506**********0371"))
        #expect(!text.contains("150602194904260371"))
        #expect(!text.contains("valid"))
        // The values start in the same column on every line.
        func valueColumn(_ value: String) -> Int? {
            lines.first { $0.hasSuffix("  " + value) }.map { DisplayWidth.width(String($0.dropLast(value.count))) }
        }
        #expect(valueColumn("刘三") != nil)
        #expect(valueColumn("刘三") == valueColumn("1506020010201"))
        #expect(valueColumn("刘三") == valueColumn("国家"))
        #expect(RecordCard(record: record).render(.csv).hasPrefix("id,number,head_name"))
        #expect(RecordCard(record: record, options: ShowOptions(unmask: true)).render().contains("150602194904260371"))
    }
}
