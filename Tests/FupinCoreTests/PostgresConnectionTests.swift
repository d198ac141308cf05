import Foundation
import Testing

@testable import FupinCore

/// The libpq driver against a real PostgreSQL server (PostgresTestServer): values, errors,
/// streaming, COPY, cancel and a lost connection.
@Suite struct PostgresConnectionTests {
    @Test func valuesRoundTripThroughTypedColumns() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        try pg.execute("CREATE TABLE t (i bigint, f double precision, s text, b bytea, n text)")
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xff, 92, 120]
        try pg.query(
            "INSERT INTO t VALUES ($1, $2, $3, $4, $5)",
            [.integer(Int64.min), .real(0.1), .text("城郊镇 \"引号\" 'x' \\ \t\n"), .bytes(bytes), .null])
        try pg.query(
            "INSERT INTO t VALUES ($1, $2, $3, $4, $5)",
            [.integer(Int64.max), .real(-1.5e300), .text(""), .bytes([]), .text("有")])
        let rows = try pg.query("SELECT i, f, s, b, n FROM t ORDER BY i").rows
        #expect(
            rows == [
                [.integer(Int64.min), .real(0.1), .text("城郊镇 \"引号\" 'x' \\ \t\n"), .bytes(bytes), .null],
                [.integer(Int64.max), .real(-1.5e300), .text(""), .bytes([]), .text("有")],
            ])
        // Whole-number numeric (sum of bigint) reads as an integer, booleans as 0/1.
        let sums = try pg.query(
            "SELECT sum(x), true AS yes, false AS no, 2.5::numeric FROM (VALUES (9007199254740993::bigint), (1)) v(x)")
        #expect(sums.row(0) == [.integer(9_007_199_254_740_994), .integer(1), .integer(0), .real(2.5)])
        #expect(sums.columnNames == ["sum", "yes", "no", "numeric"])
    }

    @Test func serverErrorsCarrySQLStateAndMessage() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        try pg.execute("CREATE TABLE u (k text UNIQUE)")
        try pg.query("INSERT INTO u VALUES ($1)", [.text("a")])
        do {
            try pg.query("INSERT INTO u VALUES ($1)", [.text("a")])
            Issue.record("a duplicate key was stored")
        } catch let error as PostgresError {
            #expect(error.kind == .server)
            #expect(error.sqlState == "23505")
            #expect(error.message.contains("duplicate key"))
            #expect(error.detail?.contains("(k)=(a)") == true)
        }
        do {
            try pg.query("SELECT * FROM missing_table")
            Issue.record("a missing table was read")
        } catch let error as PostgresError {
            #expect(error.sqlState == "42P01")
            #expect("\(error)".contains("missing_table"))
        }
        // The connection still works after errors.
        #expect(try pg.query("SELECT 1").value(0, 0) == .integer(1))
    }

    @Test func aFailedConnectionSaysWhy() throws {
        let uri = try PostgresTestServer.replacing(try PostgresTestServer.database(), database: "no_such_database")
        do {
            _ = try PostgresConnection(uri)
            Issue.record("connected to a database that does not exist")
        } catch let error as PostgresError {
            #expect(error.kind == .connectionFailed)
            #expect("\(error)".contains("no_such_database"))
        }
    }

    @Test func serializationFailureIsItsOwnKind() throws {
        let uri = try PostgresTestServer.database()
        let one = try PostgresConnection(uri)
        let two = try PostgresConnection(uri)
        try one.execute("CREATE TABLE ledger (amount bigint)")
        // Write skew: each transaction reads the total, then adds a row the other did not see.
        for pg in [one, two] {
            try pg.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            try pg.query("SELECT coalesce(sum(amount), 0) FROM ledger")
        }
        try one.query("INSERT INTO ledger VALUES (1)")
        try two.query("INSERT INTO ledger VALUES (2)")
        try one.execute("COMMIT")
        do {
            try two.execute("COMMIT")
            Issue.record("both serializable transactions committed")
        } catch let error as PostgresError {
            #expect(error.kind == .serializationFailure)
            #expect(error.sqlState == "40001")
            #expect(error.isRetryable)
        }
        #expect(try one.query("SELECT count(*) FROM ledger").value(0, 0) == .integer(1))
    }

    @Test func aTransactionIsAllOrNothing() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        try pg.execute("CREATE TABLE t (v bigint NOT NULL)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try pg.transaction {
                try pg.query("INSERT INTO t VALUES (1)")
                try pg.transaction { try pg.query("INSERT INTO t VALUES (2)") }
                throw Stop()
            }
        }
        #expect(try pg.query("SELECT count(*) FROM t").value(0, 0) == .integer(0))
        try pg.transaction {
            try pg.query("INSERT INTO t VALUES (3)")
            // A failing inner unit rolls back to its savepoint only.
            _ = try? pg.transaction { try pg.query("INSERT INTO t VALUES (NULL)") }
        }
        #expect(try pg.query("SELECT array_agg(v)::text FROM t").value(0, 0) == .text("{3}"))
    }

    @Test func streamingUsesACursorAndKeepsMemoryFlat() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        // 100,000 rows of about 1 KB (330 three-byte characters): 100 MB if the result were held whole.
        let sql = "SELECT g, repeat('扶', 330) FROM generate_series(1, $1::int) g"
        var count = 0
        var sum: Int64 = 0
        var cursors: [PostgresValue] = []
        let before = residentBytes()
        var peak = before
        try pg.forEachRow(sql, [.integer(100_000)], batchSize: 1_000) { row in
            count += 1
            if case .integer(let g) = row[0] { sum += g }
            if count == 1 {
                // Between fetches the connection is free: the cursor is open on the server.
                cursors = try pg.query("SELECT name FROM pg_cursors WHERE name LIKE 'fupin%'").rows.map { $0[0] }
            }
            if count % 10_000 == 0 { peak = max(peak, residentBytes()) }
        }
        #expect(count == 100_000)
        #expect(sum == 5_000_050_000)
        #expect(cursors.count == 1)
        #expect(cursors.first.map { "\($0)".contains("fupin_cursor") } == true)
        #expect(peak - before < 40 << 20, "resident memory grew by \((peak - before) >> 20) MB while streaming")
        // The cursor's transaction is over.
        #expect(!pg.inTransaction)
        #expect(try pg.query("SELECT count(*) FROM pg_cursors WHERE name LIKE 'fupin%'").value(0, 0) == .integer(0))
    }

    @Test func copyInStoresEveryRowAndAnAbandonedCopyNone() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        try pg.execute("CREATE TABLE c (id bigint, name text, amount double precision, raw bytea)")
        let stored = try pg.copyIn("COPY c FROM STDIN") { writer in
            for id in 1...10_000 {
                try writer.writeRow([
                    .integer(Int64(id)), .text("户\(id)\t\\\n"), id % 2 == 0 ? .real(Double(id) / 4) : .null,
                    .bytes([UInt8(id % 256), 0, 92]),
                ])
            }
        }
        #expect(stored == 10_000)
        let check = try pg.query("SELECT count(*), sum(id), count(amount), sum(amount) FROM c")
        #expect(check.row(0) == [.integer(10_000), .integer(50_005_000), .integer(5_000), .real(6_251_250)])
        let one = try pg.query("SELECT name, raw FROM c WHERE id = 300")
        #expect(one.row(0) == [.text("户300\t\\\n"), .bytes([44, 0, 92])])

        struct Broken: Error {}
        #expect(throws: Broken.self) {
            try pg.copyIn("COPY c FROM STDIN") { writer in
                try writer.writeRow([.integer(1), .text("x"), .null, .null])
                throw Broken()
            }
        }
        #expect(try pg.query("SELECT count(*) FROM c").value(0, 0) == .integer(10_000))
        // Bad data: the server's error names the line, nothing stored.
        do {
            try pg.copyIn("COPY c FROM STDIN") { writer in try writer.write(Array("1\tx\tnot-a-number\t\\N\n".utf8)) }
            Issue.record("a bad number was copied")
        } catch let error as PostgresError {
            #expect(error.sqlState == "22P02")
            #expect(error.message.contains("not-a-number"))
        }
        #expect(try pg.query("SELECT count(*) FROM c").value(0, 0) == .integer(10_000))
    }

    @Test func aCancelFromAnotherThreadStopsASleepPromptly() throws {
        let uri = try PostgresTestServer.database()
        let pg = try PostgresConnection(uri)
        let canceller = try pg.makeCanceller()
        let pid = pg.backendPID
        let started = Date()
        let thread = Thread {
            // Waits until the server runs the sleep, then cancels it.
            guard let watcher = try? PostgresConnection(uri) else { return }
            while let state = try? watcher.query(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE '%pg_sleep%'",
                [.integer(Int64(pid))]), state.value(0, 0) == .integer(0), Date().timeIntervalSince(started) < 20
            {
                usleep(20_000)
            }
            try? canceller.cancel()
        }
        thread.start()
        do {
            try pg.query("SELECT pg_sleep(30)")
            Issue.record("the sleep was not cancelled")
        } catch let error as PostgresError {
            #expect(error.kind == .cancelled)
            #expect(error.sqlState == "57014")
            #expect("\(error)".contains("cancelled"))
        }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try pg.query("SELECT 2").value(0, 0) == .integer(2))
    }

    @Test func aLostConnectionIsAClearError() throws {
        let uri = try PostgresTestServer.database()
        let pg = try PostgresConnection(uri)
        let admin = try PostgresConnection(uri)
        try pg.execute("CREATE TABLE t (v bigint)")
        try pg.execute("BEGIN; INSERT INTO t VALUES (1)")
        #expect(
            try admin.query("SELECT pg_terminate_backend($1::int)", [.integer(Int64(pg.backendPID))]).value(0, 0)
                == .integer(1))
        do {
            try pg.query("INSERT INTO t VALUES (2)")
            Issue.record("a terminated connection still answered")
        } catch let error as PostgresError {
            #expect(error.kind == .connectionLost)
            #expect("\(error)".contains("connection to the PostgreSQL server was lost"))
        }
        #expect(!pg.isConnected)
        #expect(throws: PostgresError.self) { try pg.query("SELECT 1") }
        // Nothing of the open transaction was kept.
        #expect(try admin.query("SELECT count(*) FROM t").value(0, 0) == .integer(0))
    }
}

/// This process's resident memory in bytes (Linux /proc).
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kilobytes * 1024
    }
    return 0
}
