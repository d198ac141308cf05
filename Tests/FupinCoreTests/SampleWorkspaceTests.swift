import Foundation
import GRDB
import Testing

@testable import FupinCore

/// The repository's seeds/ folder loaded into an in-memory workspace, checked against the
/// facts of the seed document.
@Suite("Sample workspace")
struct SampleWorkspaceTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds")

    static func load() throws -> Workspace {
        let ws = try Workspace.inMemory()
        try SampleWorkspace.load(into: ws, from: seeds, context: WriteContext(operator: "测试员", source: "test"))
        return ws
    }

    static func sum(_ ws: Workspace, _ collection: String, _ field: String, _ filters: [Query.Filter]) throws
        -> FieldValue
    {
        try ws.read { db in
            var query = try ws.query(collection)
            for filter in filters { query = query.where(filter) }
            return try ws.aggregate(.sum, field, of: query, in: db)
        }
    }

    static func household(_ ws: Workspace, head: String) throws -> Int64 {
        try #require(try ws.read { db in try ws.findID("households", where: "head_name", is: .text(head), in: db) })
    }

    @Test func organisationAndPlaces() throws {
        let ws = try SampleWorkspaceTests.load()
        let unit = try #require(try ws.get("units", id: 1))
        #expect(unit.value("name") == .text("区林业局"))
        #expect(unit.value("group_head_post").plainText.hasPrefix("局长"))
        #expect(unit.value("group_deputy_post").plainText.hasPrefix("分管副局长"))
        #expect(try count(ws, "towns") == 1)
        #expect(try count(ws, "villages") == 2)
        #expect(try count(ws, "teams") == 1 && count(ws, "team_members") == 3)
    }

    @Test func sixNationalStandardHouseholdsWithMembers() throws {
        let ws = try SampleWorkspaceTests.load()
        let national = try ws.read { db in
            try ws.count(try ws.query("households").where(.compare("standard", .equal, "国家")), in: db)
        }
        #expect(national == 6)
        for head in ["郝九为", "杨来才", "刘三"] { _ = try SampleWorkspaceTests.household(ws, head: head) }
        let liu = try SampleWorkspaceTests.household(ws, head: "刘三")
        #expect(try ws.get("households", id: liu)?.value("special_needs").plainText.contains("视力") == true)
        // Every household's size equals its members, and every ID number passed validation on import.
        let sizes = try ws.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT h.size, (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id) FROM households h
                    """
            ).map { [$0[0] as Int, $0[1] as Int] }
        }
        #expect(sizes.allSatisfy { $0[0] == $0[1] })
        #expect(try count(ws, "members") == 13)
        #expect(try count(ws, "pairings") == 6)
    }

    @Test func materialHandedOut() throws {
        let ws = try SampleWorkspaceTests.load()
        let hao = try SampleWorkspaceTests.household(ws, head: "郝九为")
        let yang = try SampleWorkspaceTests.household(ws, head: "杨来才")
        let liu = try SampleWorkspaceTests.household(ws, head: "刘三")
        func quantity(_ item: String, _ household: Int64? = nil) throws -> FieldValue {
            var filters: [Query.Filter] = [.compare("item", .equal, .text(item)), .year(2019)]
            if let household { filters.append(.compare("household_id", .equal, .integer(household))) }
            return try SampleWorkspaceTests.sum(ws, "distributions", "quantity", filters)
        }
        #expect(try quantity("雏鸡", hao) == .number(30))
        #expect(try quantity("雏鸡", yang) == .number(30))
        #expect(try quantity("猪仔", yang) == .number(2))
        #expect(try quantity("收音机", liu) == .number(1))
        #expect(try quantity("饲料玉米") == .number(5))
        // 30–40 seedlings to every household.
        let trees = try ws.read { db in
            try ws.grouped(
                try ws.query("distributions").where(.compare("item", .equal, "果树苗")), by: "household_id", .sum,
                "quantity", in: db)
        }
        #expect(trees.count == 6)
        #expect(
            trees.allSatisfy {
                if case .number(let n) = $0.value { return (30...40).contains(n) } else { return false }
            })
    }

    @Test func fundsRangerPostAndAfforestation() throws {
        let ws = try SampleWorkspaceTests.load()
        let raised = try SampleWorkspaceTests.sum(ws, "funds", "amount", [.compare("direction", .equal, "in")])
        let spent = try SampleWorkspaceTests.sum(ws, "funds", "amount", [.compare("direction", .equal, "out")])
        #expect(raised == .money(Money(fen: 3_860_000)))
        #expect(spent == .money(Money(fen: 471_800)))
        let post = try #require(try ws.read { db in try ws.first(try ws.query("ranger_posts"), in: db) })
        #expect(post.value("wage") == .money(Money(fen: 1_380_000)))
        let memberID = try #require(post["member_id"].integerValue)
        let member = try #require(try ws.get("members", id: memberID))
        let householdID = try #require(member["household_id"].integerValue)
        #expect(try ws.get("households", id: householdID)?.value("standard") == .text("国家"))
        let restoration = try ws.read { db in
            try ws.first(try ws.query("eco_projects").where(.compare("name", .equal, "森林植被恢复")), in: db)
        }
        #expect(restoration?.value("completed_area") == .area(Area(hundredths: 1_005_000)))
        let sand = try ws.read { db in
            try ws.first(try ws.query("eco_projects").where(.compare("name", .equal, "京津风沙源治理")), in: db)
        }
        #expect(sand?.value("completed_area").isNull == false)
    }

    @Test func trainingsVisitsNotesAndLines() throws {
        let ws = try SampleWorkspaceTests.load()
        let oneToOne = try ws.read { db in
            try ws.count(try ws.query("trainings").where(.compare("mode", .equal, "一对一")), in: db)
        }
        #expect(oneToOne == 4)
        #expect(try count(ws, "training_attendees") > 0)
        let homeVisits = try ws.read { db in
            try ws.count(try ws.query("visits").where(.compare("mode", .equal, "入户")).where(.year(2019)), in: db)
        }
        #expect(homeVisits >= 6)
        let kinds = try ws.read { db in try ws.grouped(try ws.query("notes").where(.year(2019)), by: "kind", in: db) }
        #expect(kinds.map(\.key) == [.text("next_step"), .text("problem")])
        #expect(kinds.map(\.value) == [.integer(2), .integer(2)])
        let lines = try ws.store.read { c in
            try [2011, 2016, 2019, 2020].map { try ws.povertyLine(year: $0, in: c) }
        }
        #expect(lines == [Money(fen: 253_600), Money(fen: 295_200), Money(fen: 374_700), Money(fen: 400_000)])
        #expect(try count(ws, "measures") >= 6)
    }

    @Test func incomesAgainstTheLine() throws {
        let ws = try SampleWorkspaceTests.load()
        let figures = try ws.store.read { c in try ws.incomeFigures(year: 2019, in: c) }
        #expect(figures.count == 6)
        let above = figures.filter { $0.isAbovePovertyLine == true }
        #expect(above.count >= 4)
        #expect(figures.contains { $0.isAbovePovertyLine == true && $0.isWithinMonitoringBand == true })
        // 郝九为: (2400−600) + (3800−900) + 2400 + 800 = 7900 for 2 people; the medical subsidy does not count.
        let hao = try SampleWorkspaceTests.household(ws, head: "郝九为")
        let haoFigures = try #require(figures.first { $0.householdID == hao })
        #expect(haoFigures.perCapitaNetIncome == Money(fen: 395_000))
        #expect(haoFigures.excludedSubsidies == Money(fen: 150_000))
        let lastYear = try ws.store.read { c in try ws.incomeFigures(year: 2018, in: c) }
        #expect(lastYear.filter { $0.totalIncome.fen > 0 }.count == 6)
    }

    @Test func locatingTheSeeds() throws {
        let root = SampleWorkspaceTests.seeds.deletingLastPathComponent()
        let executable = root.appendingPathComponent(".build/debug/fupin")
        #expect(
            SampleWorkspace.locateSeeds(executable: executable, environment: [:])?.standardizedFileURL
                == SampleWorkspaceTests.seeds.standardizedFileURL)
        #expect(
            SampleWorkspace.locateSeeds(executable: executable, environment: ["FUPIN_SEEDS": "/elsewhere"])?.path
                == "/elsewhere")
        #expect(
            SampleWorkspace.locateSeeds(executable: URL(fileURLWithPath: "/usr/bin/fupin"), environment: [:]) == nil)
        let entries = try SampleWorkspace.manifest(in: SampleWorkspaceTests.seeds)
        #expect(entries.first == SampleWorkspace.Entry(collection: "units", file: "units.csv"))
        #expect(entries.count == 21)
        #expect(entries.last == SampleWorkspace.Entry(collection: "documents", file: "documents.csv"))
    }
}
