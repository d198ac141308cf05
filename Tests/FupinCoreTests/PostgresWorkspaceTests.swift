import Foundation
import Testing

@testable import FupinCore

/// A workspace opened over a PostgreSQL store: the schema made on first open, records written
/// and read through FupinCore's generic code, audited with the role.
@Suite struct PostgresWorkspaceTests {
    @Test func aWorkspaceOverPostgreSQLWritesReadsAndAudits() throws {
        let uri = try PostgresTestServer.database()
        let ws = try Workspace.open(.postgresql(uri: uri), folder: nil)
        #expect(ws.store.location == .postgresql(uri: uri))
        let context = WriteContext(operator: "王明刚", source: "test")
        let town = try ws.insert("towns", ["name": "城郊镇"], context: context)
        let village = try ws.insert("villages", ["name": "前进村", "town_id": .integer(town)], context: context)
        _ = try ws.insert(
            "households", ["number": "150602001001", "head_name": "郝九为", "village_id": .integer(village), "size": 3],
            context: context)
        #expect(try ws.store.read { try ws.count(ws.query("households"), in: $0) } == 1)
        // Refused input writes nothing.
        #expect(throws: (any Error).self) {
            try ws.insert(
                "households", ["number": "150602001001", "head_name": "重复", "village_id": .integer(village)],
                context: context)
        }
        let check = try PostgresConnection(uri)
        #expect(try check.query(#"SELECT count(*) FROM households"#).value(0, 0) == .integer(1))
        let audit = try check.query(#"SELECT "collection", "operator", "role" FROM audit_log ORDER BY id"#).rows
        #expect(
            audit == [
                [.text("towns"), .text("王明刚"), .text("postgres")],
                [.text("villages"), .text("王明刚"), .text("postgres")],
                [.text("households"), .text("王明刚"), .text("postgres")],
            ])
        // Opened again: the schema is current, the data is there.
        let again = try Workspace.open(.postgresql(uri: uri), folder: nil)
        #expect(try again.store.read { try again.count(again.query("villages"), in: $0) } == 1)
    }

    /// `:limit`/`:offset` make a query's aggregates run over a subquery, which PostgreSQL
    /// refuses without a name (`fp.households:limit(2):count()` failed with 42601).
    @Test func aWindowedQueryCountsAndAggregatesOnPostgreSQL() throws {
        let uri = try PostgresTestServer.database()
        let ws = try Workspace.open(.postgresql(uri: uri), folder: nil)
        let context = WriteContext(operator: "王明刚", source: "test")
        let town = try ws.insert("towns", ["name": "城郊镇"], context: context)
        let village = try ws.insert("villages", ["name": "前进村", "town_id": .integer(town)], context: context)
        for (i, size) in [3, 5, 2, 4].enumerated() {
            _ = try ws.insert(
                "households",
                [
                    "number": .text("15060200100\(i)"), "head_name": .text("户主\(i)"), "village_id": .integer(village),
                    "size": .integer(Int64(size)),
                ], context: context)
        }
        let firstTwo = try ws.query("households").orderBy("id").limit(2)
        let figures = try ws.store.read { store in
            (
                try ws.count(firstTwo, in: store),
                try ws.aggregate(.sum, "size", of: firstTwo, in: store),
                try ws.aggregate(.max, "size", of: firstTwo.offset(1), in: store),
                try ws.measures(
                    firstTwo, [.count, Workspace.Measure(.sum, "size")], groupedBy: "village_id", in: store)
            )
        }
        #expect(figures.0 == 2)
        #expect(figures.1 == .integer(8))
        #expect(figures.2 == .integer(5))
        #expect(figures.3.count == 1 && figures.3.first?.values == [.integer(2), .integer(8)], "\(figures.3)")
    }

    @Test func aSettingIsChangedAndAuditedOnPostgreSQL() throws {
        let uri = try PostgresTestServer.database()
        let ws = try Workspace.open(.postgresql(uri: uri), folder: nil)
        try ws.setMonitoringBandFactor("2", context: WriteContext(operator: "王明刚", source: "test"))
        #expect(try ws.store.read { try ws.monitoringBandFactorHundredths(in: $0) } == 200)
        let entry = try PostgresConnection(uri).query(#"SELECT "collection", "record_id", "after" FROM audit_log"#).rows
        #expect(entry.count == 1 && entry.first?[0] == .text("settings") && entry.first?[1] == .integer(0))
        #expect(entry.first?[2].text?.contains("\"value\":\"2") == true, "\(entry)")
    }

    @Test func aRoleWithoutPIIReadsRecordsWithThePersonalColumnsMissing() throws {
        let store = try PostgresAccessTests.Store()
        let plain = try store.role("nopii")
        let personal = try store.role("pii")
        try store.access.grant(role: plain.name, town: "城郊镇")
        try store.access.grant(role: personal.name, town: "城郊镇", pii: true)
        func households(_ role: String) throws -> [[String?]] {
            let ws = try Workspace.open(
                .postgresql(uri: try PostgresTestServer.replacing(store.uri, user: role)), folder: nil)
            return try ws.store.read { c in
                try ws.list(ws.query("households"), in: c).map { record in
                    ["head_name", "head_id_number"].map { if case .text(let text) = record[$0] { text } else { nil } }
                }
            }
        }
        // Without --pii the server refuses the personal column itself, not the records.
        #expect(try households(plain.name) == [["郝一", nil], ["郝二", nil]])
        #expect(try households(personal.name) == [["郝一", "152701198001010011"], ["郝二", "152701198001010022"]])
        // Which a plain `SELECT *` of its own would meet.
        #expect(throws: PostgresError.self) { _ = try plain.connect().query("SELECT * FROM households") }
    }

    @Test func anUnreachableStoreIsNamedWithoutItsPassword() throws {
        let uri = try PostgresTestServer.replacing(try PostgresTestServer.database(), database: "no_such_store")
        let secret = uri.replacingOccurrences(of: "postgresql://", with: "postgresql://ana:secret@")
        do {
            _ = try Workspace.open(.postgresql(uri: secret), folder: nil)
            Issue.record("a missing database opened")
        } catch let failure as StorageFailure {
            #expect(failure.message.contains("ana:***@"))
            #expect(failure.message.contains("no_such_store"))
            #expect(!failure.message.contains("secret"))
        }
    }
}
