/// The core schema in a PostgreSQL database: the same tables, columns and indexes the SQLite
/// migrations v1–v5 build, made from `Schema.core` through `PostgresDialect`, plus the tables
/// outside the collections (audit log, settings, ledger fields) and a record of which of
/// `Migrations.identifiers` the database holds.
///
/// Differences from SQLite, each for the server's sake: the audit log has a `role` column
/// that the server fills with `current_user` (the PostgreSQL role that made the change,
/// beside the operator Fupin names); ids are identity columns; the indexes that row-level
/// security joins through lead with the place (village, then id).
///
/// Example: `try connection.execute(PostgresSchema.createStatements().joined(separator: ";\n"))`.
public enum PostgresSchema {
    /// The table recording applied migrations (SQLite's GRDB keeps `grdb_migrations`).
    public static let migrationsTable = "fupin_migrations"

    /// Every statement creating the core schema in an empty database, in order.
    public static func createStatements(dialect: PostgresDialect = PostgresDialect()) -> [String] {
        var statements: [String] = []
        for collection in Schema.core.collections {
            statements += dialect.createTable(collection)
        }
        statements += auxiliaryTables(dialect)
        statements += placeIndexes(dialect)
        statements.append("""
            CREATE TABLE \(dialect.quote(migrationsTable)) (
              "identifier" text PRIMARY KEY,
              "applied_at" timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = Migrations.identifiers.map { "(\(dialect.literal($0)))" }.joined(separator: ", ")
        statements.append("INSERT INTO \(dialect.quote(migrationsTable))(\"identifier\") VALUES \(applied)")
        return statements
    }

    /// The audit log (v1, v2's index, v3's column, and the role), settings (v2) and ledger fields (v4).
    static func auxiliaryTables(_ dialect: PostgresDialect) -> [String] {
        [
            """
            CREATE TABLE "audit_log" (
              \(dialect.idColumn),
              "time" text NOT NULL,
              "operator" text NOT NULL,
              "source" text NOT NULL,
              "collection" text NOT NULL,
              "record_id" bigint NOT NULL,
              "action" text NOT NULL CHECK ("action" IN ('insert', 'update', 'remove')),
              "before" text,
              "after" text,
              "last_record_id" bigint,
              "role" text NOT NULL DEFAULT current_user
            )
            """,
            #"CREATE INDEX "audit_log_record" ON "audit_log"("collection", "record_id")"#,
            #"CREATE INDEX "audit_log_role" ON "audit_log"("role", "id")"#,
            """
            CREATE TABLE "settings" (
              "key" text PRIMARY KEY NOT NULL,
              "value" text NOT NULL
            )
            """,
            "INSERT INTO \"settings\"(\"key\", \"value\") VALUES (\(dialect.literal(Migrations.monitoringBandFactorKey)), \(dialect.literal(Migrations.monitoringBandFactorDefault)))",
            """
            CREATE TABLE "ledger_fields" (
              "ledger" text NOT NULL,
              "field" text NOT NULL,
              "type" text NOT NULL,
              "plugin" text NOT NULL,
              PRIMARY KEY ("ledger", "field")
            )
            """,
        ]
    }

    /// Indexes leading with the place a row belongs to, so a town's or village's rows are one
    /// index range (row-level security and per-unit reports read them so).
    static func placeIndexes(_ dialect: PostgresDialect) -> [String] {
        [
            #"CREATE INDEX "villages_town_place" ON "villages"("town_id", "id")"#,
            #"CREATE INDEX "households_village_place" ON "households"("village_id", "id")"#,
        ]
    }
}
