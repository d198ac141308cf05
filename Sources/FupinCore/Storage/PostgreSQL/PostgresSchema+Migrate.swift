extension PostgresSchema {
    /// Brings a PostgreSQL database to the current schema: in an empty database it creates
    /// every table (`createStatements`); in a store made by an older Fupin it would run the
    /// migrations it lacks (none yet: the PostgreSQL store starts at v5); a store made by a
    /// newer Fupin is refused, as on SQLite. Runs in one transaction under an advisory lock, so
    /// two `fupin init` at once cannot both create the schema. Returns the migrations applied.
    ///
    /// Example: `try PostgresSchema.migrate(PostgresConnection(uri))` → `["v1", …, "v5"]` the first time, `[]` after.
    @discardableResult
    public static func migrate(_ connection: PostgresConnection) throws -> [String] {
        try connection.transaction {
            // Any fixed key: it only has to be the same for every Fupin.
            try connection.execute("SELECT pg_advisory_xact_lock(7305566115141)")
            let exists = try connection.query(
                "SELECT to_regclass($1) IS NOT NULL, to_regclass('households') IS NOT NULL",
                [.text(migrationsTable)]
            ).row(0)
            if exists[0] == .integer(0) {
                if exists[1] == .integer(1) {
                    throw PostgresError(
                        .client,
                        message:
                            "the database holds a households table but no \(migrationsTable): it is not a Fupin store, or was made by hand; nothing was changed"
                    )
                }
                for statement in createStatements() { try connection.execute(statement) }
                return Migrations.identifiers
            }
            let applied = Set(
                try connection.query("SELECT \"identifier\" FROM \(PostgresDialect().quote(migrationsTable))").rows
                    .compactMap { $0[0].text })
            let unknown = applied.subtracting(Migrations.identifiers)
            if !unknown.isEmpty { throw WorkspaceError.newerDatabase(unknownMigrations: unknown.sorted()) }
            let missing = Migrations.identifiers.filter { !applied.contains($0) }
            if !missing.isEmpty {
                throw PostgresError(
                    .client,
                    message:
                        "the store lacks migrations \(missing.joined(separator: ", ")), which this version cannot apply to PostgreSQL; nothing was changed"
                )
            }
            return []
        }
    }
}
