extension PostgresSchema {
    /// Brings a PostgreSQL database to the current schema: in an empty database it creates
    /// every table (`createStatements`); in a store made by an older Fupin it runs the
    /// migrations it lacks (`upgrade`; the PostgreSQL store started at v6, so v7 on); a store
    /// made by a newer Fupin is refused, as on SQLite. Runs in one transaction under an advisory lock, so
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
            let steps = missing.map { upgrade($0) }
            if missing.isEmpty { return [] }
            guard steps.allSatisfy({ $0 != nil }) else {
                throw PostgresError(
                    .client,
                    message:
                        "the store lacks migrations \(missing.joined(separator: ", ")), which this version cannot apply to PostgreSQL; nothing was changed"
                )
            }
            let table = PostgresDialect().quote(migrationsTable)
            for (identifier, statements) in zip(missing, steps) {
                for statement in statements ?? [] { try connection.execute(statement) }
                _ = try connection.query("INSERT INTO \(table)(\"identifier\") VALUES ($1)", [.text(identifier)])
            }
            return missing
        }
    }

    /// The statements bringing a store at the migration before `identifier` to it, or nil for
    /// one a PostgreSQL store cannot take (those before v7 are in every store `createStatements`
    /// made).
    static func upgrade(_ identifier: String, dialect: PostgresDialect = PostgresDialect()) -> [String]? {
        switch identifier {
        case "v7": return Migrations.v7Statements(dialect)
        default: return nil
        }
    }
}
