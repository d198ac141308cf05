/// Table and column privileges that follow from a role's grants.
extension AccessPolicy {
    /// Tables outside the collections that a granted role reads whole.
    static let sharedTables = ["settings", "ledger_fields", PostgresSchema.migrationsTable]

    /// The statements giving `role` exactly the privileges its `grants` call for: first every
    /// privilege on Fupin's tables is taken away, then granted again, so a revoke or a dropped
    /// `pii` takes effect. With no grants the role keeps nothing.
    ///
    /// Read: SELECT on every collection (rows limited by the policies), on the audit log and
    /// the shared tables; personal columns only when some grant has `pii`, else the others
    /// column by column. Write (some grant has `write`): INSERT and UPDATE on the scoped tables
    /// (rows limited by the policies; personal columns again only with `pii`), DELETE on the
    /// scoped tables that delete removed rows, INSERT on the audit log except its `role`.
    public static func privilegeStatements(
        role: String, grants: [AccessGrant], schema: Schema, dialect: PostgresDialect = PostgresDialect()
    ) -> [String] {
        let who = dialect.quote(role)
        let collections = schema.collections + [Schema.auditLog]
        let everyTable = collections.map(\.name) + sharedTables + [table]
        var statements = everyTable.map { "REVOKE ALL ON \(dialect.quote($0)) FROM \(who)" }
        let mine = grants.filter { $0.role == role }
        guard !mine.isEmpty else { return statements }
        let pii = mine.contains(where: \.pii)
        let write = mine.contains(where: \.write)
        for name in sharedTables + [table] {
            statements.append("GRANT SELECT ON \(dialect.quote(name)) TO \(who)")
        }
        for collection in collections {
            statements.append(
                "GRANT SELECT\(columnList(collection, pii: pii, dialect)) ON \(dialect.quote(collection.name)) TO \(who)"
            )
        }
        guard write else { return statements }
        for scoped in scopedTables(schema) {
            guard let collection = schema[scoped.name] else { continue }
            let columns = columnList(collection, pii: pii, dialect)
            statements.append("GRANT INSERT\(columns), UPDATE\(columns) ON \(dialect.quote(collection.name)) TO \(who)")
            if !collection.keepsValidFlag {
                statements.append("GRANT DELETE ON \(dialect.quote(collection.name)) TO \(who)")
            }
        }
        let auditColumns = Schema.auditLog.columnNames.filter { $0 != CollectionSchema.idField }
        statements.append(
            "GRANT INSERT (\(auditColumns.map(dialect.quote).joined(separator: ", "))) ON \(dialect.quote(AuditLog.table)) TO \(who)"
        )
        return statements
    }

    /// ` (col, col, …)` naming every column but the personal ones, or nothing (the whole
    /// table) when `pii` is allowed or the table has no personal column.
    static func columnList(_ collection: CollectionSchema, pii: Bool, _ dialect: PostgresDialect) -> String {
        guard !pii, !collection.piiFields.isEmpty else { return "" }
        let open = collection.columnNames.filter { collection.field($0)?.pii != true }
        return " (" + open.map(dialect.quote).joined(separator: ", ") + ")"
    }
}
