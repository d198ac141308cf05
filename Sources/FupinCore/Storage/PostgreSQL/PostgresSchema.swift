/// The core schema in a PostgreSQL database: the same tables, columns and indexes the SQLite
/// migrations build (`Schema.coreDDL` through `PostgresDialect`), and a record of which
/// of `Migrations.identifiers` the database holds.
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

    /// Every statement creating the core schema in an empty database, in order: the store-neutral
    /// DDL (`Schema.coreDDL`) and what PostgreSQL adds to it.
    public static func createStatements(dialect: PostgresDialect = PostgresDialect()) -> [String] {
        var statements = Schema.coreDDL(dialect)
        statements += [
            // The PostgreSQL role that wrote each entry, set by the server (not by the writer).
            #"ALTER TABLE "audit_log" ADD COLUMN "role" text NOT NULL DEFAULT current_user"#,
            #"CREATE INDEX "audit_log_role" ON "audit_log"("role", "id")"#,
        ]
        statements += placeIndexes(dialect)
        statements.append(
            """
            CREATE TABLE \(dialect.quote(migrationsTable)) (
              "identifier" text PRIMARY KEY,
              "applied_at" timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = Migrations.identifiers.map { "(\(dialect.literal($0)))" }.joined(separator: ", ")
        statements.append("INSERT INTO \(dialect.quote(migrationsTable))(\"identifier\") VALUES \(applied)")
        return statements
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
