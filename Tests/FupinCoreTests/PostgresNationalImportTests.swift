import Foundation
import Testing

@testable import FupinCore

/// The national import on PostgreSQL, through the bulk writer's COPY path: the same records
/// and audit entries as on SQLite, ids consistent with the sequence, and bad input refused
/// with its row and column, nothing written.
@Suite struct PostgresNationalImportTests {
    static func postgres() throws -> Workspace {
        try Workspace.open(.postgresql(uri: try PostgresTestServer.database()), folder: nil)
    }

    /// Every stored row of `table` (id order), each cell as text.
    static func rows(_ ws: Workspace, _ table: String, _ columns: [String]) throws -> [[String]] {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return try ws.store.read { c in
            var out: [[String]] = []
            try c.query("SELECT \(list) FROM \"\(table)\" ORDER BY \"id\"") { row in
                out.append((0..<columns.count).map { "\(row.value($0))" })
                return true
            }
            return out
        }
    }

    static func fields(_ table: String) throws -> [String] {
        ["id"] + (try #require(Schema.core[table])).fields.map(\.name)
    }

    static let auditColumns = ["collection", "action", "record_id", "operator", "source", "before", "after"]

    /// `count` households of three people each, in the national layout, numbered from `first`
    /// (files of different people).
    static func file(households count: Int, first: Int = 1) -> String {
        var lines = [NationalImportTests.header]
        for h in first..<(first + count) {
            let number = String(format: "15060200%05d", h)
            for p in 1...3 {
                let id = makeIDNumber(
                    area: "150602", birth: "19\(50 + p)0302", sequence: String(format: "%03d", h % 1000))
                lines.append(
                    NationalImportTests.row(
                        number, number + String(format: "%02d", p), "人\(h)之\(p)", id, size: 3,
                        relation: p == 1 ? "户主" : "之子", village: h % 2 == 0 ? "东梁村" : "西沟村",
                        income: "\(h).05"))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theImportWritesTheSameRecordsAndAuditAsOnSQLite() throws {
        let lite = try Workspace.inMemory()
        let pg = try Self.postgres()
        // More people than one COPY batch holds, so batches follow each other.
        let text = Self.file(households: PostgresBulkCopy.rowsPerCopy / 3 + 50)
        let expected = try NationalImportTests.load(lite, text)
        let report = try NationalImportTests.load(pg, text)
        #expect(report.inserted == expected.inserted)
        #expect(report.inserted["members"] == (PostgresBulkCopy.rowsPerCopy / 3 + 50) * 3)
        for table in ["towns", "villages", "households", "members"] {
            #expect(
                try Self.rows(pg, table, Self.fields(table)) == Self.rows(lite, table, Self.fields(table)), "\(table)")
        }
        #expect(try Self.rows(pg, "audit_log", Self.auditColumns) == Self.rows(lite, "audit_log", Self.auditColumns))
        // The sequence is past every id written: the next record follows.
        let members = try Self.rows(pg, "members", ["id"]).count
        let next = try pg.insert(
            "households", ["number": "x1", "head_name": "新户", "village_id": 1], context: testContext)
        let households = try Self.rows(pg, "households", ["id"]).count
        #expect(next == Int64(households) && members > 0)
        // Importing the file again changes nothing.
        let again = try NationalImportTests.load(pg, text)
        #expect(again.inserted.isEmpty && again.updated.isEmpty)
    }

    @Test func badInputIsRefusedWithItsRowAndColumnAndNothingWritten() throws {
        let pg = try Self.postgres()
        let bad = NationalImportTests.file.replacingOccurrences(
            of: "李桂兰,\(NationalImportTests.haoWife),2,配偶,汉族", with: "李桂兰,\(NationalImportTests.haoWife),2,配偶,火星族")
        do {
            try NationalImportTests.load(pg, bad)
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(
                failure.description.contains(
                    "national.csv: row 3, column 民族 (members.ethnicity), value 火星族: is not a value of 民族"),
                "\(failure)")
        }
        for table in ["towns", "villages", "households", "members", "audit_log"] {
            #expect(try Self.rows(pg, table, ["id"]).isEmpty, "\(table)")
        }
    }

    /// A store holding a household already, so an import takes the ordinary path (the first
    /// load into empty tables drops the unique keys and checks repeats itself); the ids of
    /// every table the import writes, to compare after.
    static func occupied() throws -> (Workspace, [[[String]]]) {
        let pg = try postgres()
        let town = try pg.insert("towns", ["name": "占位镇"], context: testContext)
        let village = try pg.insert("villages", ["name": "占位村", "town_id": .integer(town)], context: testContext)
        try pg.insert(
            "households", ["number": "X0", "head_name": "占位", "village_id": .integer(village)], context: testContext)
        let ids = try ["towns", "villages", "households", "members", "audit_log"].map { try rows(pg, $0, ["id"]) }
        return (pg, ids)
    }

    @Test func aPersonGivenTwiceIsRefusedWhenTheServerMeetsIt() throws {
        // Only the server's unique key sees the repeat (it is in one COPY batch): the refusal
        // still names the row and column, and nothing is written.
        let (pg, before) = try Self.occupied()
        let twice = NationalImportTests.file.replacingOccurrences(
            of: "150602001000203", with: "150602001000202")
        do {
            try NationalImportTests.load(pg, twice)
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.column) == ["人编号"], "\(failure)")
            #expect(failure.report.problems.map(\.row) == [6], "\(failure)")
            #expect(failure.description.contains("is given twice in the file"), "\(failure)")
        }
        #expect(
            try ["towns", "villages", "households", "members", "audit_log"].map { try Self.rows(pg, $0, ["id"]) }
                == before)
    }

    @Test func aRefusalMetByTheNextStatementNamesItsRow() throws {
        // The repeat is the third person: the COPY holding it ends when the fourth person needs
        // ids from the sequence, and that statement, not the COPY, meets the aborted transaction.
        let (pg, before) = try Self.occupied()
        let twice = NationalImportTests.file.replacingOccurrences(of: "150602001000202", with: "150602001000102")
        do {
            try NationalImportTests.load(pg, twice)
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.row) == [4], "\(failure)")
            #expect(failure.report.problems.map(\.column) == ["人编号"], "\(failure)")
            #expect(failure.description.contains("is given twice in the file"), "\(failure)")
        }
        #expect(
            try ["towns", "villages", "households", "members", "audit_log"].map { try Self.rows(pg, $0, ["id"]) }
                == before)
    }

    @Test func aCSVImportTakesTheIdsItUsesAndKeepsRowsGivenWithIds() throws {
        let pg = try Self.postgres()
        try pg.insert("towns", ["name": "城郊镇"], context: testContext)
        try pg.insert("villages", ["name": "前进村", "town_id": 1], context: testContext)
        func load(_ text: String) throws -> ImportReport {
            try pg.importCSV(
                "households", bytes: Array(text.utf8), file: "h.csv", options: ImportOptions(), context: testContext)
        }
        try load("number,head_name,village_id\nA1,甲,1\nA2,乙,1\nA3,丙,1\n")
        // No ids were taken beyond those used: the next record follows the last imported.
        #expect(
            try pg.insert("households", ["number": "B1", "head_name": "丁", "village_id": 1], context: testContext) == 4)
        // A file naming ids: a row given twice by id updates the one the file inserted.
        let report = try load("id,number,head_name,village_id\n10,C1,戊,1\n10,C1,己,1\n")
        #expect(report.inserted == ["households": 1] && report.updated == ["households": 1])
        let last = try Self.rows(pg, "households", ["id", "head_name"]).last
        #expect(last == ["\(SQLValue.integer(10))", "\(SQLValue.text("己"))"], "\(String(describing: last))")
        #expect(
            try pg.insert("households", ["number": "B2", "head_name": "庚", "village_id": 1], context: testContext) == 11
        )
    }

    /// `store` opened as `role`, and a function importing a households CSV's text into it.
    static func householdsImporter(_ store: PostgresAccessTests.Store, as role: String) throws
        -> (ws: Workspace, load: (String) throws -> ImportReport)
    {
        let ws = try Workspace.open(
            .postgresql(uri: try PostgresTestServer.replacing(store.uri, user: role)), folder: nil)
        let load = { (text: String) throws -> ImportReport in
            try ws.importCSV(
                "households", bytes: Array(text.utf8), file: "h.csv", options: ImportOptions(), context: testContext)
        }
        return (ws, load)
    }

    @Test func anAnalystUnderRowLevelSecurityImportsRowByRow() throws {
        // PostgreSQL refuses COPY FROM where row-level security applies: the writer inserts row
        // by row there, and the server's policies check each row.
        let store = try PostgresAccessTests.Store()
        let analyst = try store.role("imp")
        // With --pii the writer names every column, personal ones included (without: below).
        try store.access.grant(role: analyst.name, town: "城郊镇", write: true, pii: true)
        let load = try Self.householdsImporter(store, as: analyst.name).load
        let report = try load("number,head_name,village_id\nR1,甲,1\nR2,乙,2\n")
        #expect(report.inserted == ["households": 2])
        #expect(throws: (any Error).self) { try load("number,head_name,village_id\nR3,丙,1\nR4,丁,3\n") }
        #expect(try store.count("SELECT count(*) FROM households WHERE number LIKE 'R%'") == 2)
    }
    @Test func aWriterWithoutPIIImportsFilesWithoutPersonalColumnsAndIsToldOtherwise() throws {
        // --write without --pii: the server refuses INSERT on the personal columns, so the
        // writer names only the others, and a file giving a personal column is refused whole.
        let store = try PostgresAccessTests.Store()
        let analyst = try store.role("nopii")
        try store.access.grant(role: analyst.name, town: "城郊镇", write: true)
        let (ws, load) = try Self.householdsImporter(store, as: analyst.name)
        let report = try load("number,head_name,village_id\nP1,甲,1\nP2,乙,2\n")
        #expect(report.inserted == ["households": 2])
        #expect(try store.count("SELECT count(*) FROM households WHERE number LIKE 'P%'") == 2)
        do {
            try load("number,head_name,head_id_number,village_id\nP3,丙,152701198001010066,1\n")
            Issue.record("a personal column was imported by a role without --pii")
        } catch {
            let message = "\(error)"
            #expect(message.contains("head_id_number") && message.contains("--pii"), "\(message)")
        }
        #expect(try store.count("SELECT count(*) FROM households WHERE number LIKE 'P%'") == 2)
        // One record by fp.X:add{}: the fields given (and defaults) only.
        let id = try ws.insert(
            "households", ["number": "P4", "head_name": "丁", "village_id": 1], context: testContext)
        #expect(try store.count("SELECT count(*) FROM households WHERE id = \(id) AND number = 'P4'") == 1)
        do {
            let idNumber = makeIDNumber(area: "152701", birth: "19800101", sequence: "007")
            try ws.insert(
                "households", ["number": "P5", "head_name": "戊", "head_id_number": .text(idNumber), "village_id": 1],
                context: testContext)
            Issue.record("a personal field was added by a role without --pii")
        } catch {
            #expect("\(error)".contains("households.head_id_number") && "\(error)".contains("--pii"), "\(error)")
        }
    }
}
