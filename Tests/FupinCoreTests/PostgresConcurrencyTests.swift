import Foundation
import Testing

@testable import FupinCore

/// Many writers on one PostgreSQL store at once: no whole-database lock, every unit lands
/// once, readers are never blocked by writers.
@Suite struct PostgresConcurrencyTests {
    /// `writers` stores writing `units` units each at the same time; each unit inserts a
    /// household and its audit entry. Returns the seconds it took.
    func write(uri: String, writers: Int, units: Int, tag: String) throws -> Double {
        let failures = NSLock()
        nonisolated(unsafe) var errors: [String] = []
        let group = DispatchGroup()
        let start = Date()
        for writer in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let store = try PostgresStore(uri: uri)
                    for unit in 0..<units {
                        try store.transaction(rollback: false) { c in
                            let number = "\(tag)-\(writer)-\(unit)"
                            let id = try c.insert(
                                "INSERT INTO households(number, head_name, village_id) VALUES (?, ?, 1)",
                                [.text(number), "户主"])
                            try c.execute(
                                #"INSERT INTO audit_log("time", "operator", "source", "collection", "record_id", "action") VALUES ('t', ?, 'test', 'households', ?, 'insert')"#,
                                [.text("\(tag) \(writer)"), .integer(id)])
                        }
                    }
                } catch {
                    failures.withLock { errors.append("\(error)") }
                }
            }
        }
        group.wait()
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        return Date().timeIntervalSince(start)
    }

    @Test func sixteenWritersAllLandOnce() throws {
        let uri = try PostgresTestServer.database()
        let setup = try PostgresConnection(uri)
        for statement in PostgresSchema.createStatements() { try setup.execute(statement) }
        try setup.execute(
            "INSERT INTO towns(id, name) VALUES (1, '城郊镇'); INSERT INTO villages(id, name, town_id) VALUES (1, '前进村', 1)"
        )

        let one = try write(uri: uri, writers: 1, units: 100, tag: "solo")
        let sixteen = try write(uri: uri, writers: 16, units: 100, tag: "many")
        let counts = try setup.query(
            """
            SELECT count(*), count(DISTINCT number),
                   (SELECT count(*) FROM audit_log), (SELECT count(DISTINCT record_id) FROM audit_log)
            FROM households WHERE number LIKE 'many-%'
            """
        ).row(0)
        #expect(counts == [.integer(1600), .integer(1600), .integer(1700), .integer(1700)])
        // Every writer's every unit, by name.
        let perWriter = try setup.query(
            "SELECT count(*) FROM (SELECT operator FROM audit_log WHERE operator LIKE 'many %' GROUP BY operator HAVING count(*) = 100) w"
        ).value(0, 0)
        #expect(perWriter == .integer(16))
        print("PostgreSQL writers: 1 writer \(Int(100 / one)) units/s, 16 writers \(Int(1600 / sixteen)) units/s")
    }

    @Test func aReaderIsNotBlockedByAnOpenWriter() throws {
        let uri = try PostgresTestServer.database()
        let writer = try PostgresConnection(uri)
        let reader = try PostgresConnection(uri)
        for statement in PostgresSchema.createStatements() { try writer.execute(statement) }
        try writer.execute("INSERT INTO towns(name) VALUES ('甲')")
        // The writer holds row and table locks of an open transaction that changed every town.
        try writer.execute("BEGIN; UPDATE towns SET name = '乙'; INSERT INTO towns(name) VALUES ('丙')")
        // A blocked read would hit the timeout and fail instead of hanging the suite.
        try reader.execute("SET statement_timeout = '5s'")
        #expect(try reader.query("SELECT array_agg(name)::text FROM towns").value(0, 0) == .text("{甲}"))
        try writer.execute("COMMIT")
        #expect(try reader.query("SELECT array_agg(name ORDER BY id)::text FROM towns").value(0, 0) == .text("{乙,丙}"))
    }
}

/// A server restart in the middle of a unit of work, on a server of the test's own (the
/// shared one keeps serving the other tests).
@Suite struct PostgresRestartTests {
    @Test func aRestartMidUnitIsAClearErrorAndNothingIsHalfWritten() throws {
        let output = try PostgresTestServer.run([PostgresTestServer.script.path, "start"])
        let uri = output.split(separator: "\n").last.map(String.init) ?? ""
        let folder = try #require(URLComponents(string: uri)?.queryItems?.first { $0.name == "host" }?.value)
        defer { _ = try? PostgresTestServer.run([PostgresTestServer.script.path, "stop", folder]) }
        let setup = try PostgresConnection(uri)
        for statement in PostgresSchema.createStatements() { try setup.execute(statement) }
        setup.close()

        let store = try PostgresStore(uri: uri)
        do {
            try store.transaction(rollback: false) { c in
                try c.execute("INSERT INTO towns(name) VALUES ('甲')")
                _ = try PostgresTestServer.run([PostgresTestServer.script.path, "restart", folder])
                try c.execute("INSERT INTO towns(name) VALUES ('乙')")
            }
            Issue.record("the unit went on after the restart")
        } catch let error as PostgresError {
            #expect(error.kind == .connectionLost)
            #expect("\(error)".contains("connection to the PostgreSQL server was lost"))
        }
        let after = try PostgresConnection(uri)
        #expect(try after.query("SELECT count(*) FROM towns").value(0, 0) == .integer(0))
    }
}
