import Foundation

/// The two targets `fupin store copy` writes: an empty PostgreSQL database, or a new SQLite
/// file (built beside its final place and moved there only when the copy has committed).
extension StoreCopy {
    /// Copies `source` into the empty PostgreSQL database `uri` (credentials from libpq), its
    /// schema created in the same transaction as the rows.
    ///
    /// Example: `try StoreCopy.copy(from: ws.store, schema: ws.schema, toPostgreSQL: "postgresql:///county?host=/run/postgresql")`
    public static func copy(
        from source: any Store, schema: Schema, toPostgreSQL uri: String,
        progress: (StoreCopyReport.Table) -> Void = { _ in }
    ) throws -> StoreCopyReport {
        let target = try PostgresStore(uri: uri)
        let tables = try tableNames(in: target)
        if !tables.isEmpty {
            let shown =
                tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", … (\(tables.count) tables)" : "")
            throw StoreCopyError(
                "\(target.location): the database is not empty (it holds \(shown)); store copy writes only into an empty database — create a new one (CREATE DATABASE … OWNER …)"
            )
        }
        return try copy(
            from: source, schema: schema, to: target, schemaStatements: PostgresSchema.createStatements(),
            progress: progress)
    }

    /// The tables (and views) of the database's current schema, by name: an empty list means
    /// an empty database, the only kind a store copy or a restore writes into.
    public static func tableNames(in store: PostgresStore) throws -> [String] {
        try store.read { c in
            try c.fetchAll(
                """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname
                """
            ) { $0.text(0) ?? "" }
        }
    }

    /// Copies `source` into a new SQLite database at `file`, which must not exist (its folder
    /// must). The database is built in a scratch folder beside it, with a workspace's own
    /// migrations, and moved to `file` only once the copy has committed: a failure leaves
    /// nothing at `file`.
    ///
    /// Example: `try StoreCopy.copy(from: pgStore, schema: .core, toSQLite: folder.appendingPathComponent("fupin.sqlite"))`
    public static func copy(
        from source: any Store, schema: Schema, toSQLite file: URL,
        progress: (StoreCopyReport.Table) -> Void = { _ in }
    ) throws -> StoreCopyReport {
        let manager = FileManager.default
        if manager.fileExists(atPath: file.path) {
            throw StoreCopyError("\(file.path) already exists; store copy writes only a new file")
        }
        let parent = file.deletingLastPathComponent()
        let scratch = parent.appendingPathComponent(".fupin-store-copy-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: scratch) }
        let report = try copyIntoNewWorkspace(scratch, from: source, schema: schema, progress: progress)
        // The workspace is closed (its connections released): only the database file is left.
        // After the checkpoint the log is empty; moved along should it still be there.
        let log = Workspace.databaseURL(in: scratch).path + "-wal"
        if manager.fileExists(atPath: log) { try manager.moveItem(atPath: log, toPath: file.path + "-wal") }
        try manager.moveItem(at: Workspace.databaseURL(in: scratch), to: file)
        return report
    }

    /// Makes a workspace in `folder`, copies into it, and checkpoints its log into the file;
    /// the workspace is released when this returns.
    private static func copyIntoNewWorkspace(
        _ folder: URL, from source: any Store, schema: Schema,
        progress: (StoreCopyReport.Table) -> Void
    ) throws -> StoreCopyReport {
        let workspace = try Workspace.create(at: folder)
        let report = try copy(
            from: source, schema: schema, to: workspace.store, schemaStatements: [], progress: progress)
        try workspace.checkpointLog()
        return report
    }
}
