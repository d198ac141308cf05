import Foundation
import Testing

@testable import FupinCore

/// The store seam over SQLite: what every store must do for FupinCore, checked through the
/// protocol only (a PostgreSQL store can run the same checks).
@Suite struct StoreConnectionTests {
    /// Runs `body` in a unit of a fresh in-memory workspace, with the unit's connection.
    func withStore<T>(rollback: Bool = false, _ body: (any StoreConnection) throws -> T) throws -> T {
        let ws = try Workspace.inMemory()
        return try ws.runUnit(dryRun: rollback) { unit in try body(unit.store) }.0
    }

    @Test func insertReturnsTheNewIDAndQueriesReadItBack() throws {
        try withStore { store in
            try StoreSeamChecks.insertAndReadBack(store)
            #expect(try store.fetchInt("SELECT COUNT(*) FROM towns") == 2)
            #expect(try store.fetchValue("SELECT name FROM towns WHERE id = ?", [.integer(999)]) == nil)
        }
    }

    @Test func valuesRoundTripEveryStorageClass() throws {
        try withStore { store in
            let values: [SQLValue] = [.null, .integer(-7), .real(2.5), .text("郝九为"), .blob([0, 1, 255]), .text("")]
            let row = try #require(try store.fetchOne("SELECT ?, ?, ?, ?, ?, ?", values) { $0.values })
            #expect(row == values)
        }
    }

    @Test func savepointRollbackUndoesOnlyItsWrites() throws {
        try withStore { store in
            let names = try StoreSeamChecks.savepoints(store)
            #expect(names == ["甲", "丙"])
        }
    }

    @Test func schemaQuestions() throws {
        try withStore { store in
            #expect(try store.tableExists("households"))
            #expect(try !store.tableExists("no_such_table"))
            let columns = try store.columns(in: "towns")
            #expect(columns.first == StoreColumn(name: "id", type: "INTEGER", notNull: false, primaryKey: true))
            #expect(columns.contains { $0.name == "name" && $0.type == "TEXT" && $0.notNull })
            #expect(try store.columns(in: "no_such_table").isEmpty)
        }
    }

    @Test func failuresAreClassified() throws {
        try withStore { store in
            try store.execute("CREATE TABLE t (a INTEGER UNIQUE, b TEXT NOT NULL)")
            try store.execute("INSERT INTO t VALUES (1, 'x')")
            do {
                try store.execute("INSERT INTO t VALUES (1, 'y')")
                Issue.record("a duplicate was inserted")
            } catch {
                #expect(StoreFailure.of(error) == .constraint(.unique, table: "t", column: "a"))
            }
            do {
                try store.execute("INSERT INTO t VALUES (2, NULL)")
                Issue.record("a NULL was inserted")
            } catch {
                #expect(StoreFailure.of(error) == .constraint(.notNull, table: "t", column: "b"))
            }
            #expect(StoreFailure.of(ValidationError(collection: "t", field: "a", value: "", reason: "x")) == nil)
        }
    }

    @Test func cancelStopsARunningStatement() throws {
        let ws = try Workspace.inMemory()
        _ = try ws.runUnit { unit in
            let canceller = unit.store.canceller
            // Cancelled while the statement runs (at its first row): the next step stops it
            // instead of producing the other rows.
            var rows = 0
            do {
                try unit.store.query(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) SELECT i FROM n"
                ) { _ in
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
    }

    @Test func cursorStreamsAndCloses() throws {
        try withStore { store in
            for name in ["甲", "乙", "丙"] { try store.execute("INSERT INTO towns (name) VALUES (?)", [.text(name)]) }
            let cursor = try store.prepare("SELECT name FROM towns ORDER BY id", reuse: false).cursor([])
            #expect(try cursor.next())
            #expect(cursor.text(0) == "甲")
            #expect(try cursor.next())
            #expect(cursor.value(0) == "乙")
            cursor.close()
            #expect(try !cursor.next())
        }
    }

    @Test func readOnlyQueryRefusesWrites() throws {
        try withStore { store in
            #expect(throws: ReadOnlySQLRefusal.self) {
                try store.readOnlyQuery("DELETE FROM towns", [], label: "test") { _ in true }
            }
            var seen: [SQLValue] = []
            try store.readOnlyQuery("SELECT ? + 1", [.integer(41)], label: "test") { row in
                seen.append(row.value(0))
                return true
            }
            #expect(seen == [42])
        }
    }

    @Test func storeLocationsParse() throws {
        #expect(
            try StoreLocation(parsing: "postgresql:///fupin?host=/tmp/pg")
                == .postgresql(uri: "postgresql:///fupin?host=/tmp/pg"))
        #expect(
            try StoreLocation(parsing: "/tmp/x/fupin.sqlite")
                == .sqlite(file: URL(fileURLWithPath: "/tmp/x/fupin.sqlite")))
        #expect(throws: StoreLocationError.self) { try StoreLocation(parsing: "mysql://host/db") }
        #expect(
            StoreLocation.postgresql(uri: "postgresql://ana:secret@db.example/fupin").description
                == "postgresql://ana:***@db.example/fupin")
    }

    @Test func workspacesOpenByLocation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "store-location-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try Workspace.create(at: folder)
        try created.insert("towns", ["name": "城郊镇"], context: WriteContext(operator: "t", source: "test"))
        let file = Workspace.databaseURL(in: folder)
        #expect(created.store.location == .sqlite(file: file))
        let reopened = try Workspace.open(.sqlite(file: file), folder: folder)
        #expect(try reopened.store.read { try reopened.count(reopened.query("towns"), in: $0) } == 1)
        #expect(throws: WorkspaceError.noWorkspace(path: folder.path + "-missing")) {
            try Workspace.open(
                .sqlite(file: Workspace.databaseURL(in: URL(fileURLWithPath: folder.path + "-missing"))),
                folder: URL(fileURLWithPath: folder.path + "-missing"))
        }
        do {
            _ = try Workspace.open(.postgresql(uri: "postgresql://ana:secret@db/fupin"), folder: nil)
            Issue.record("a PostgreSQL store opened")
        } catch let failure as StorageFailure {
            #expect(failure.message.contains("postgresql://ana:***@db/fupin"))
            #expect(!failure.message.contains("secret"))
        }
    }
}
