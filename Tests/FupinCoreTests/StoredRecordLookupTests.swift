import Foundation
import Testing

@testable import FupinCore

/// How a CSV import finds the records its rows name (`StoredRecordLookup`): one read of the
/// table, none for an empty one, or a lookup a row for a small file into a large table — the
/// same import whichever it takes.
@Suite struct StoredRecordLookupTests {
    /// A households file (number, head, village 1, size 2) for `numbers`.
    static func households(_ numbers: [String], head: String) -> String {
        "户编号,户主姓名,行政村,人口数\n" + numbers.map { "\($0),\(head),1,2\n" }.joined()
    }

    /// How the rows of a file of `rows` households are looked up in `ws`.
    static func source(_ ws: Workspace, rows: Int) throws -> String {
        try ws.store.transaction(rollback: true) { store in
            switch try StoredRecordLookup(ws, "households", key: "number", rows: rows, in: store).source {
            case .empty: return "empty"
            case .read: return "read"
            case .perRow: return "perRow"
            }
        }
    }

    /// The head of the household numbered `number`.
    static func head(_ ws: Workspace, _ number: String) throws -> String? {
        try ws.read { db in
            try String.fetchOne(db, sql: "SELECT head_name FROM households WHERE number = ?", arguments: [number])
        }
    }

    @Test func everyWayOfLookingUpGivesTheSameImport() throws {
        // The fixture's one household, then forty more: a two-row file reads the first store
        // once and looks its rows up one by one in the second.
        for (extra, expected) in [(0, "read"), (40, "perRow")] {
            let ws = try fixture()
            if extra > 0 {
                try importText(
                    ws, "households", Self.households((1...extra).map { "15060200900\($0 + 100)" }, head: "某"))
            }
            #expect(try Self.source(ws, rows: 2) == expected)
            // One household the store has (its head renamed), one it has not; then the same file
            // again, which changes nothing.
            let file = Self.households(["150602001001", "150602001099"], head: "新名")
            let report = try importText(ws, "households", file)
            #expect(report.updated["households"] == 1 && report.inserted["households"] == 1, "\(expected)")
            #expect(try Self.head(ws, "150602001001") == "新名")
            #expect(try Self.head(ws, "150602001099") == "新名")
            let again = try importText(ws, "households", file)
            #expect(again.unchanged["households"] == 2 && again.updated["households"] == nil, "\(expected)")
        }
    }

    @Test func aRecordChangedByTheFileIsReadAgainWhenNamedAgain() throws {
        // The fixture's household, given twice by id in a file about the table's size (read
        // whole): the second row's update starts from what the first row wrote.
        let ws = try fixture()
        let report = try importText(
            ws, "households", "id,户编号,户主姓名,行政村\n1,150602001001,甲,1\n1,150602001001,乙,1\n")
        #expect(report.updated["households"] == 2)
        #expect(try Self.head(ws, "150602001001") == "乙")
        let updates = try auditEntries(ws).filter { $0.action == "update" && $0.collection == "households" }
        #expect(updates.count == 2)
        #expect(updates.last?.before?.contains("\"甲\"") == true, "\(updates.last?.before ?? "")")
    }

    @Test func anEmptyTableIsNotReadAndAnIdGivenTwiceNamesItsFirstRow() throws {
        let ws = try Workspace.inMemory()
        try ws.insert("towns", ["name": "乌兰木伦镇"], context: testContext)
        try ws.insert("villages", ["name": "前进村", "town_id": 1], context: testContext)
        #expect(try Self.source(ws, rows: 3) == "empty")
        // Row 3 gives row 2's id again: it updates what row 2 wrote, as it would in a table
        // that had records.
        let report = try importText(
            ws, "households", "id,户编号,户主姓名,行政村\n5,150602001005,甲,1\n5,150602001005,乙,1\n6,150602001006,丙,1\n")
        #expect(report.inserted["households"] == 2 && report.updated["households"] == 1)
        #expect(try Self.head(ws, "150602001005") == "乙")
        #expect(try count(ws, "households") == 2)
        // A key file into the same store, now read once: the stored key is found.
        #expect(try Self.source(ws, rows: 1) == "read")
        let byKey = try importText(ws, "households", Self.households(["150602001006"], head: "丁"))
        #expect(byKey.updated["households"] == 1)
        #expect(try Self.head(ws, "150602001006") == "丁")
    }
}
