import Foundation
import Testing

@testable import FupinCore

/// The store seam over PostgreSQL: what every store must do for FupinCore, checked through
/// the `Store` and `StoreConnection` protocols only, on a database holding the core schema.
@Suite struct PostgresStoreTests {
    /// A store on a new database with the core schema.
    func makeStore() throws -> PostgresStore {
        let uri = try PostgresTestServer.database()
        let setup = try PostgresConnection(uri)
        for statement in PostgresSchema.createStatements() { try setup.execute(statement) }
        return try PostgresStore(uri: uri)
    }

    @Test func theStoresSessionRunsWithoutJIT() throws {
        // The server's default is on; JIT compilation cost a role's small statements under
        // the access policies seconds (PostgresStore.init).
        let store = try makeStore()
        let setting = try store.read { c in try c.fetchAll("SELECT current_setting('jit')") { $0.text(0) } }
        #expect(setting == ["off"])
    }

    @Test func insertReturnsTheNewIDAndQueriesReadItBack() throws {
        let store = try makeStore()
        try store.transaction(rollback: false) { c in
            try StoreSeamChecks.insertAndReadBack(c)
            // `?` placeholders are numbered for the server; one inside a string literal is not one.
            #expect(try c.fetchValue("SELECT name FROM towns WHERE id = ? AND name <> '?'", [.integer(999)]) == nil)
        }
        #expect(try store.read { c in try c.fetchInt("SELECT count(*) FROM towns WHERE name LIKE '%!'") } == 2)
        // A dry run rolls back.
        _ = try store.transaction(rollback: true) { c in try c.execute("DELETE FROM towns") }
        #expect(try store.read { c in try c.fetchInt("SELECT count(*) FROM towns") } == 2)
    }

    @Test func valuesRoundTripEveryStorageClass() throws {
        let store = try makeStore()
        let values: [SQLValue] = [.null, .integer(-7), .real(2.5), .text("郝九为"), .blob([0, 1, 255]), .text("")]
        let row = try store.read { c in try c.fetchOne("SELECT ?, ?, ?, ?, ?, ?", values) { $0.values } }
        #expect(row == values)
    }

    @Test func savepointRollbackUndoesOnlyItsWrites() throws {
        let store = try makeStore()
        let names = try store.transaction(rollback: false) { c in try StoreSeamChecks.savepoints(c) }
        #expect(names == ["甲", "丙"])
    }

    @Test func schemaQuestionsAnswerInSQLitesSpelling() throws {
        let store = try makeStore()
        try store.read { c in
            #expect(try c.tableExists("households"))
            #expect(try !c.tableExists("no_such_table"))
            let columns = try c.columns(in: "towns")
            #expect(
                columns == [
                    StoreColumn(name: "id", type: "INTEGER", notNull: true, primaryKey: true),
                    StoreColumn(name: "name", type: "TEXT", notNull: true, primaryKey: false),
                    StoreColumn(name: "district", type: "TEXT", notNull: false, primaryKey: false),
                    StoreColumn(name: "valid", type: "INTEGER", notNull: true, primaryKey: false),
                ])
            #expect(try c.columns(in: "distributions").first { $0.name == "quantity" }?.type == "REAL")
            #expect(try c.columns(in: "no_such_table").isEmpty)
        }
    }

    @Test func failuresAreClassifiedAndAFailedUnitIsNotCommitted() throws {
        let store = try makeStore()
        try store.transaction(rollback: false) { c in
            try c.execute("CREATE TABLE t (a bigint UNIQUE, b text NOT NULL)")
            try c.execute("INSERT INTO t VALUES (1, 'x')")
        }
        for (sql, expected) in [
            ("INSERT INTO t VALUES (1, 'y')", StoreFailure.constraint(.unique, table: "t", column: "a")),
            ("INSERT INTO t VALUES (2, NULL)", .constraint(.notNull, table: "t", column: "b")),
            (
                "INSERT INTO households(number, head_name, village_id) VALUES ('H', '某', 99)",
                .constraint(.foreignKey, table: "households", column: "village_id")
            ),
        ] {
            do {
                _ = try store.transaction(rollback: false) { c in try c.execute(sql) }
                Issue.record("\(sql) was stored")
            } catch {
                #expect(StoreFailure.of(error) == expected, "\(sql): \(error)")
            }
        }
        // A body that swallows a failed statement does not commit what came before it.
        do {
            try store.transaction(rollback: false) { c in
                try c.execute("INSERT INTO t VALUES (5, 'kept?')")
                _ = try? c.execute("INSERT INTO t VALUES (1, 'duplicate')")
            }
            Issue.record("a unit with a failed statement committed")
        } catch let error as PostgresError {
            #expect(error.message.contains("nothing was written"))
        }
        #expect(try store.read { c in try c.fetchInt("SELECT count(*) FROM t") } == 1)
    }

    @Test func cancelStopsTheStatementAndTheRowsStillComing() throws {
        let store = try makeStore()
        try store.transaction(rollback: false) { c in
            let canceller = c.canceller
            var rows = 0
            do {
                try c.query("SELECT g FROM generate_series(1, 100000) g") { _ in
                    rows += 1
                    canceller.cancel()
                    return true
                }
                Issue.record("the query was not stopped")
            } catch {
                #expect(StoreFailure.of(error) == .interrupted)
                #expect(WorkUnit.isInterrupt(error))
            }
            #expect(rows == 1)
        }
        // The next unit starts afresh.
        #expect(try store.read { c in try c.fetchInt("SELECT 1") } == 1)
    }

    @Test func aCancelFromAnotherThreadStopsTheServer() throws {
        let store = try makeStore()
        let started = Date()
        do {
            try store.transaction(rollback: false) { c in
                let canceller = c.canceller
                // Cancels once the sleep is under way: a second thread waits on the clock of
                // the server's own activity view, through its own connection.
                let uri: String
                if case .postgresql(let text) = store.location { uri = text } else { uri = "" }
                let backend = try c.fetchInt("SELECT pg_backend_pid()") ?? 0
                Thread.detachNewThread {
                    guard let watcher = try? PostgresConnection(uri) else { return }
                    while let result = try? watcher.query(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%' AND state = 'active'",
                        [.integer(backend)]),
                        result.value(0, 0) == .integer(0), Date().timeIntervalSince(started) < 20
                    {
                        usleep(20_000)
                    }
                    canceller.cancel()
                }
                try c.execute("SELECT pg_sleep(30)")
            }
            Issue.record("the sleep was not cancelled")
        } catch {
            #expect(StoreFailure.of(error) == .interrupted)
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func cursorStreamsAndCloses() throws {
        let store = try makeStore()
        try store.transaction(rollback: false) { c in
            for name in ["甲", "乙", "丙"] { try c.execute("INSERT INTO towns (name) VALUES (?)", [.text(name)]) }
            let cursor = try c.prepare("SELECT name FROM towns ORDER BY id", reuse: false).cursor([])
            #expect(try cursor.next())
            #expect(cursor.text(0) == "甲")
            #expect(try cursor.next())
            #expect(cursor.value(0) == "乙")
            cursor.close()
            #expect(try !cursor.next())
            // More rows than one batch.
            let big = try c.prepare("SELECT g FROM generate_series(1, 5001) g", reuse: false).cursor([])
            var sum: Int64 = 0
            while try big.next() { sum += big.integer(0) ?? 0 }
            #expect(sum == 5001 * 5002 / 2)
        }
    }

    @Test func readOnlyQueryRefusesWritesAndUndoesAnything() throws {
        let store = try makeStore()
        try store.transaction(rollback: false) { c in
            try c.execute("INSERT INTO towns (name) VALUES ('甲')")
            for sql in [
                "DELETE FROM towns", "WITH d AS (DELETE FROM towns RETURNING id) SELECT * FROM d",
                "SELECT 1; DELETE FROM towns", "CREATE TABLE x (a int)",
            ] {
                do {
                    try c.readOnlyQuery(sql, [], label: "fp.sql") { _ in true }
                    Issue.record("\(sql) ran")
                } catch let refusal as ReadOnlySQLRefusal {
                    #expect(refusal.message.hasPrefix("fp.sql "), "\(refusal.message)")
                }
            }
            var seen: [SQLValue] = []
            try c.readOnlyQuery("SELECT ? + 1, name FROM towns", [.integer(41)], label: "fp.sql") { row in
                seen = row.values
                return true
            }
            #expect(seen == [42, "甲"])
            // The unit goes on writing after a read-only query.
            try c.execute("INSERT INTO towns (name) VALUES ('乙')")
        }
        #expect(try store.read { c in try c.fetchInt("SELECT count(*) FROM towns") } == 2)
    }
}
