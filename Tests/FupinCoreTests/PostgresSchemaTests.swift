import Foundation
import GRDB
import Testing

@testable import FupinCore

/// The core schema created in an empty PostgreSQL database agrees with what the SQLite
/// migrations v1–v5 build (their frozen SQL is the reference), and the dialect's SQL runs there.
@Suite struct PostgresSchemaTests {
    /// SQLite's declared type → the PostgreSQL column type the dialect must give.
    static let types = ["INTEGER": "bigint", "TEXT": "text", "REAL": "double precision"]

    @Test func coreSchemaMatchesTheSQLiteMigrations() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        for statement in PostgresSchema.createStatements() { try pg.execute(statement) }

        let sqlite = try Workspace.inMemory()
        let (tables, indexes) = try sqlite.read {
            (db: Database) throws -> ([String: [(String, String, Bool)]], Set<String>) in
            let names = try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'"
            )
            var tables: [String: [(String, String, Bool)]] = [:]
            for name in names {
                tables[name] = try db.columns(in: name).map {
                    ($0.name, $0.type.uppercased(), $0.isNotNull || $0.primaryKeyIndex > 0)
                }
            }
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
            return (tables, Set(indexes))
        }
        #expect(tables.count == 26, "the SQLite workspace has \(tables.count) tables")

        let pgTables = Set(
            try pg.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").rows
                .compactMap { $0[0].text })
        #expect(pgTables == Set(tables.keys).union([PostgresSchema.migrationsTable]))
        for (table, columns) in tables {
            let pgColumns = try pg.query(
                """
                SELECT column_name, data_type, is_nullable FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position
                """, [.text(table)]
            ).rows
            var expected = columns.map {
                [PostgresValue.text($0.0), .text(Self.types[$0.1] ?? "?\($0.1)"), .text($0.2 ? "NO" : "YES")]
            }
            if table == "audit_log" { expected.append([.text("role"), .text("text"), .text("NO")]) }
            // The same columns; their order may differ where SQLite's migrations appended one
            // (the audit log's last_record_id, v3).
            #expect(Set(pgColumns) == Set(expected), "\(table)")
            #expect(pgColumns.count == expected.count, "\(table)")
        }
        let pgIndexes = Set(
            try pg.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").rows.compactMap { $0[0].text })
        #expect(indexes.isSubset(of: pgIndexes), "missing: \(indexes.subtracting(pgIndexes).sorted())")
        // Every reference is a foreign key, every unique field a unique constraint, as on SQLite.
        let foreignKeys = try pg.query(
            "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'public' AND constraint_type = 'FOREIGN KEY'"
        ).value(0, 0)
        #expect(foreignKeys == .integer(Int64(Schema.core.collections.reduce(0) { $0 + $1.referenceFields.count })))
        let uniques = try pg.query(
            "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'public' AND constraint_type = 'UNIQUE'"
        ).value(0, 0)
        #expect(uniques == .integer(Int64(Schema.core.collections.reduce(0) { $0 + $1.fields.filter(\.unique).count })))
        #expect(
            try pg.query("SELECT identifier FROM fupin_migrations ORDER BY identifier").rows.map { $0[0] }
                == Migrations.identifiers.map { .text($0) })
        #expect(
            try pg.query("SELECT value FROM settings WHERE key = $1", [.text(Migrations.monitoringBandFactorKey)])
                .value(0, 0) == .text("1.5"))
    }

    @Test func theAuditLogRecordsTheRoleBesideTheOperator() throws {
        let uri = try PostgresTestServer.database()
        let pg = try PostgresConnection(uri)
        for statement in PostgresSchema.createStatements() { try pg.execute(statement) }
        let role = PostgresTestServer.uniqueName("clerk")
        try pg.execute("CREATE ROLE \(role) LOGIN; GRANT INSERT, SELECT ON audit_log TO \(role)")
        let clerk = try PostgresConnection(try PostgresTestServer.replacing(uri, user: role))
        try clerk.query(
            #"INSERT INTO audit_log("time", "operator", "source", "collection", "record_id", "action") VALUES ($1, $2, 'test', 'households', 1, 'insert')"#,
            [.text("2026-12-06T08:00:00.000Z"), .text("王明刚")])
        #expect(try pg.query(#"SELECT "operator", "role" FROM audit_log"#).row(0) == [.text("王明刚"), .text(role)])
    }

    @Test func dialectExpressionsRunOnTheServer() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        let dialect = PostgresDialect()
        let date = "'2019-11-30'"
        let row = try pg.query(
            "SELECT \(dialect.yearOf(date)), \(dialect.monthOf(date)), \(dialect.quarterOf(date)), $1::bigint + $2::bigint",
            [.integer(2), .integer(3)]
        ).row(0)
        #expect(row == [.integer(2019), .text("2019-11"), .text("2019-Q4"), .integer(5)])
        #expect(dialect.placeholders(3) == "$1, $2, $3")
        #expect(dialect.quote("gr\"oup") == "\"gr\"\"oup\"")
        // A plugin ledger's table: identity ids, typed columns, an index per reference.
        let sales = CollectionSchema(
            name: "sales", label: "销售",
            fields: [
                FieldSpec("household_id", .ref("households"), "户"),
                FieldSpec("amount", .money, "金额", required: true),
                FieldSpec("weight", .number, "重量"),
            ], keepsValidFlag: true)
        for statement in PostgresSchema.createStatements() + dialect.createTable(sales) { try pg.execute(statement) }
        try pg.query(
            "INSERT INTO sales(amount, weight) VALUES ($1, $2), ($3, NULL)", [.integer(12050), .real(2.5), .integer(1)])
        #expect(
            try pg.query("SELECT id, amount, weight, valid FROM sales ORDER BY id").rows == [
                [.integer(1), .integer(12050), .real(2.5), .integer(1)],
                [.integer(2), .integer(1), .null, .integer(1)],
            ])
        #expect(
            try pg.query("SELECT count(*) FROM pg_indexes WHERE indexname = 'sales_household_id'").value(0, 0)
                == .integer(1))
    }
}

/// `PostgresSchema.migrate`: create once, then nothing; refuse newer stores and strangers.
@Suite struct PostgresMigrateTests {
    @Test func migrateCreatesOnceAndRefusesNewerOrForeignDatabases() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        #expect(try PostgresSchema.migrate(pg) == Migrations.identifiers)
        #expect(
            try pg.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").value(0, 0)
                == .integer(27))
        try pg.execute("INSERT INTO towns(name) VALUES ('城郊镇')")
        #expect(try PostgresSchema.migrate(pg) == [])
        #expect(try pg.query("SELECT name FROM towns").rows == [[.text("城郊镇")]])
        try pg.execute("INSERT INTO fupin_migrations(identifier) VALUES ('v99')")
        #expect(throws: WorkspaceError.newerDatabase(unknownMigrations: ["v99"])) { try PostgresSchema.migrate(pg) }

        let foreign = try PostgresConnection(try PostgresTestServer.database())
        try foreign.execute("CREATE TABLE households (id int)")
        do {
            try PostgresSchema.migrate(foreign)
            Issue.record("a foreign households table was taken for a store")
        } catch let error as PostgresError {
            #expect(error.message.contains("not a Fupin store"))
        }
        #expect(
            try foreign.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").value(
                0, 0) == .integer(1))
    }
}

/// A store made before the index by household and date (at v6) takes v7 when opened; one that
/// lacks a migration PostgreSQL cannot take is still refused.
@Suite struct PostgresUpgradeTests {
    @Test func aV6StoreTakesV7AndOlderOnesAreRefused() throws {
        let pg = try PostgresConnection(try PostgresTestServer.database())
        #expect(try PostgresSchema.migrate(pg) == Migrations.identifiers)
        let names = Migrations.v7Indexes.map { CollectionSchema.indexName($0.table, $0.columns) }
        for name in names { try pg.execute("DROP INDEX \"\(name)\"") }
        try pg.execute("DELETE FROM fupin_migrations WHERE identifier = 'v7'")
        #expect(try PostgresSchema.migrate(pg) == ["v7"])
        let made = try pg.query(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE '%\\_household\\_id\\_%'"
        ).rows.compactMap { $0[0].text }
        #expect(Set(made) == Set(names))
        #expect(try PostgresSchema.migrate(pg) == [])
        try pg.execute("DELETE FROM fupin_migrations WHERE identifier IN ('v6', 'v7')")
        #expect(throws: PostgresError.self) { try PostgresSchema.migrate(pg) }
    }
}
