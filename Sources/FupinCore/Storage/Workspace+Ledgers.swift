import GRDB

/// Plugin ledgers: collections a plugin declares (e.g. `sales`), which become real tables,
/// validated, audited and queryable like core collections.
///
/// Example:
/// ```swift
/// try ws.registerLedger(CollectionSchema(name: "sales", label: "销售记录", fields: [
///     FieldSpec("date", .date, "日期", required: true),
///     FieldSpec("amount", .money, "金额", min: 0)], keepsValidFlag: true))
/// ```
extension Workspace {
    /// Names no ledger may take: core collections and system tables.
    public static let reservedNames: Set<String> = Set(Schema.core.names + [AuditLog.table, "settings", "grdb_migrations", "sqlite_sequence"])

    /// Adds `ledger` to this workspace's schema, creating its table if missing or adding the
    /// columns it lacks (an existing column is never dropped or changed). Re-registering the
    /// same name replaces the description (`:reload`).
    public func registerLedger(_ ledger: CollectionSchema) throws {
        if Workspace.reservedNames.contains(ledger.name) || ledger.name.hasPrefix("sqlite_") {
            throw WorkspaceError.badLedger("\(ledger.name): a ledger may not take the name of a core collection or system table")
        }
        var candidate = schema
        candidate.upsert(ledger)
        let problems = Schema(candidate.collections).problems().filter { $0.hasPrefix("\(ledger.name)") }
        if let first = problems.first { throw WorkspaceError.badLedger(first) }
        try write { db in
            if try db.tableExists(ledger.name) {
                let existing = Set(try db.columns(in: ledger.name).map(\.name))
                for field in ledger.fields where !existing.contains(field.name) {
                    try db.execute(sql: dialect.addColumn(field, to: ledger.name))
                }
            } else {
                for statement in dialect.createTable(ledger) { try db.execute(sql: statement) }
            }
        }
        replaceSchema(candidate)
    }

    /// Removes a ledger from the schema (its table and data stay in the database).
    public func unregisterLedger(_ name: String) {
        guard !Workspace.reservedNames.contains(name) else { return }
        let kept = schema.collections.filter { $0.name != name }
        replaceSchema(Schema(kept))
    }
}
