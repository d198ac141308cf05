import GRDB
import Testing

@testable import FupinCore

/// The dialect's core DDL (`Schema.coreDDL`, for stores that start at the current version)
/// against what SQLite's migrations make: the same tables, columns, keys, indexes and
/// settings, so a PostgreSQL store created from it holds what a SQLite workspace holds.
@Suite struct CoreDDLTests {
    /// Every table of `store` (not SQLite's or GRDB's own) with its columns, and every index name.
    func shape(_ store: any StoreConnection) throws -> (tables: [String: Set<StoreColumn>], indexes: Set<String>) {
        let names = try store.fetchAll(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'"
        ) {
            $0.text(0) ?? ""
        }
        var tables: [String: Set<StoreColumn>] = [:]
        for name in names { tables[name] = Set(try store.columns(in: name)) }
        let indexes = try store.fetchAll("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") {
            $0.text(0) ?? ""
        }
        return (tables, Set(indexes))
    }

    @Test func coreDDLMakesWhatTheMigrationsMake() throws {
        let migrated = try Workspace.inMemory()
        let expected = try migrated.store.read { try shape($0) }
        let fresh = try DatabaseQueue()
        let made = try fresh.write { db in
            let store = SQLiteConnection(db, sqlGuard: SQLGuard())
            for statement in Schema.coreDDL(SQLiteDialect()) { try store.executeScript(statement) }
            return try shape(store)
        }
        #expect(made.tables.keys.sorted() == expected.tables.keys.sorted())
        for (table, columns) in expected.tables {
            #expect(made.tables[table] == columns, "\(table)")
        }
        #expect(made.indexes == expected.indexes)
        #expect(Set(expected.tables.keys) == Set(Schema.core.names + Schema.systemTables))
    }

    @Test func coreDDLSeedsTheSettingsAndChecksAuditActions() throws {
        let fresh = try DatabaseQueue()
        try fresh.write { db in
            let store = SQLiteConnection(db, sqlGuard: SQLGuard())
            for statement in Schema.coreDDL(SQLiteDialect()) { try store.executeScript(statement) }
            #expect(
                try store.fetchValue(
                    "SELECT value FROM settings WHERE key = ?", [.text(Migrations.monitoringBandFactorKey)])
                    == .text(Migrations.monitoringBandFactorDefault))
            do {
                try store.execute(
                    "INSERT INTO audit_log (time, operator, source, collection, record_id, action) VALUES ('t', 'o', 's', 'c', 1, 'erase')"
                )
                Issue.record("an unknown audit action was stored")
            } catch {
                #expect(StoreFailure.of(error) == .constraint(.check, table: nil, column: nil))
            }
        }
    }
}
