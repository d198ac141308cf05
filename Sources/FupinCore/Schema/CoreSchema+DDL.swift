/// The core schema as DDL spelled by a dialect: what SQLite's frozen migrations
/// (`Storage/SQLite/Migrations.swift`) leave in a new workspace, for a store that starts at
/// the current version instead of replaying them (PostgreSQL). SQLite keeps its migrations:
/// databases in the field were made by them, and the test `CoreDDLTests` holds the two equal.
///
/// Example: `for statement in Schema.coreDDL(SQLiteDialect()) { try store.executeScript(statement) }`.
extension Schema {
    /// The system tables beside the collections: the audit log, settings, ledger declarations.
    public static let systemTables = [AuditLog.table, "settings", "ledger_fields"]

    /// Statements creating every core collection (with the indexes of its references), the
    /// audit log, the settings (holding the monitoring band factor's default) and the table of
    /// plugin ledger declarations, in an order that satisfies their references.
    public static func coreDDL(_ dialect: any SQLDialect) -> [String] {
        var statements: [String] = []
        for collection in core.collections { statements += dialect.createTable(collection) }
        let q = dialect.quote
        // The audit log: its action is checked against the vocabulary in the store itself.
        var audit = [dialect.idColumn]
        for field in auditLog.fields {
            var column = dialect.column(field)
            if case .enum(let vocabulary) = field.type {
                let values = vocabulary.values.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(
                    separator: ", ")
                column += " CHECK (\(q(field.name)) IN (\(values)))"
            }
            audit.append(column)
        }
        statements.append("CREATE TABLE \(q(AuditLog.table)) (\n  " + audit.joined(separator: ",\n  ") + "\n)")
        statements.append(
            "CREATE INDEX \(q("audit_log_record")) ON \(q(AuditLog.table))(\(q("collection")), \(q("record_id")))")
        let text = dialect.columnType(.text)
        statements.append(
            "CREATE TABLE \(q("settings")) (\n  \(q("key")) \(text) PRIMARY KEY NOT NULL,\n  \(q("value")) \(text) NOT NULL\n)"
        )
        statements.append(
            "INSERT INTO \(q("settings")) (\(q("key")), \(q("value"))) VALUES ('\(Migrations.monitoringBandFactorKey)', '\(Migrations.monitoringBandFactorDefault)')"
        )
        let declaration = ["ledger", "field", "type", "plugin"].map { "\(q($0)) \(text) NOT NULL" }
        statements.append(
            "CREATE TABLE \(q("ledger_fields")) (\n  " + declaration.joined(separator: ",\n  ")
                + ",\n  PRIMARY KEY (\(q("ledger")), \(q("field")))\n)")
        return statements
    }
}
