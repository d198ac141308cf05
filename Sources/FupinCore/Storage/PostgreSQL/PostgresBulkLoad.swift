/// A first load into empty tables done as PostgreSQL's manual says to populate a database
/// ("Populating a Database"): the tables' foreign keys and their indexes other than the primary
/// and unique keys are dropped before the rows are copied and made again after, each built or
/// checked in one pass over the table instead of once per arriving row; index builds get more
/// memory (`maintenance_work_mem`), and the indexed columns are analysed afterwards.
///
/// All of it happens inside the caller's transaction, under an ACCESS EXCLUSIVE lock taken
/// first: no other session ever sees the tables without their keys, and a failure anywhere
/// rolls back the dropped keys with the rows. The definitions put back are the catalog's own
/// (`pg_get_indexdef`, `pg_get_constraintdef`), read under the lock, so whatever made them
/// (the schema, a migration, an administrator) is what comes back.
///
/// Only where that is safe on a shared store: every table is empty under the lock (a county's
/// first load into a new store), the role owns the tables and may reference what their foreign
/// keys name, and row-level security does not apply to it. Anywhere else `begin` returns nil
/// with nothing changed (what it did ran in a savepoint, rolled back with its lock), and the
/// caller writes as it always does. Primary and unique keys stay: other tables' foreign keys
/// lean on the primary keys, and a repeated unique value is still refused with its row.
///
/// Example:
/// ```swift
/// let load = try PostgresBulkLoad.begin(pg, tables: ["households", "members"])
/// // … copy the rows …
/// try load?.finish()   // before the transaction commits
/// ```
final class PostgresBulkLoad {
    /// The tables being loaded.
    let tables: [String]
    /// What `finish` runs to put back what was dropped, in order: indexes, then foreign keys
    /// (each validated in one pass over its table).
    let restore: [String]
    private let store: PostgresStoreConnection
    private let list: String

    /// How long to wait for the tables' lock before loading the ordinary way instead: a
    /// session reading the tables holds a lock the load would wait on, and every later reader
    /// would then queue behind the load.
    static let lockTimeout = "2s"
    /// Memory for each index build, at least (the server's default is 64 MB).
    static let maintenanceWorkMem = "256MB"

    private init(_ store: PostgresStoreConnection, tables: [String], list: String, restore: [String]) {
        self.store = store
        self.tables = tables
        self.list = list
        self.restore = restore
    }

    /// Prepares `tables` for a load inside the open transaction, or returns nil (nothing
    /// changed) when they are not all empty, not owned by the role, or under row-level security
    /// for it, or when their lock is not granted within `lockTimeout`.
    static func begin(_ store: PostgresStoreConnection, tables: [String]) throws -> PostgresBulkLoad? {
        let d = PostgresDialect()
        let connection = store.connection
        let list = tables.map { "\(d.literal(d.quote($0)))::regclass" }.joined(separator: ", ")
        let empty = "NOT (" + tables.map { "EXISTS (SELECT 1 FROM \(d.quote($0)))" }.joined(separator: " OR ") + ")"
        // Asked first without a lock: the everyday import into a store that holds rows takes
        // no lock beyond its writes.
        let probe = try connection.query(
            """
            SELECT count(*) = \(tables.count)
                   AND bool_and(pg_has_role(c.relowner, 'USAGE') AND NOT row_security_active(c.oid))
                   AND (SELECT coalesce(bool_and(has_table_privilege(f.confrelid, 'REFERENCES')), true)
                        FROM pg_constraint f WHERE f.contype = 'f' AND f.conrelid IN (\(list)))
                   AND \(empty)
            FROM pg_class c WHERE c.oid IN (\(list))
            """)
        guard probe.value(0, 0) == .integer(1) else { return nil }
        try connection.execute("SAVEPOINT fupin_bulk_load")
        do {
            let timeout = try connection.query("SELECT current_setting('lock_timeout')").value(0, 0).text ?? "0"
            try connection.execute("SET LOCAL lock_timeout = \(d.literal(lockTimeout))")
            try connection.execute(
                "LOCK TABLE \(tables.map { "ONLY \(d.quote($0))" }.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE")
            // Another session may have written between the probe and the lock.
            guard try connection.query("SELECT \(empty)").value(0, 0) == .integer(1) else {
                try connection.execute("ROLLBACK TO SAVEPOINT fupin_bulk_load; RELEASE SAVEPOINT fupin_bulk_load")
                return nil
            }
            let keys = try connection.query(
                """
                SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
                FROM pg_constraint WHERE contype = 'f' AND conrelid IN (\(list)) ORDER BY oid
                """
            ).rows.map { (table: $0[0].text ?? "", name: $0[1].text ?? "", definition: $0[2].text ?? "") }
            // Indexes that back no constraint (the primary and unique keys stay) and that no
            // other table's foreign key, clustering or replica identity depends on.
            let indexes = try connection.query(
                """
                SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname), pg_get_indexdef(i.oid)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
                WHERE x.indrelid IN (\(list)) AND x.indisvalid AND NOT x.indisclustered AND NOT x.indisreplident
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
                ORDER BY i.oid
                """
            ).rows.map { (name: $0[0].text ?? "", definition: $0[1].text ?? "") }
            for key in keys { try connection.execute("ALTER TABLE \(key.table) DROP CONSTRAINT \(key.name)") }
            for index in indexes { try connection.execute("DROP INDEX \(index.name)") }
            // Dropping a foreign key locks the table it names too: under the same time limit.
            _ = try connection.query("SELECT set_config('lock_timeout', $1, true)", [.text(timeout)])
            _ = try connection.query(
                """
                SELECT set_config('maintenance_work_mem', $1, true)
                WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes($1)
                """, [.text(maintenanceWorkMem)])
            try connection.execute("RELEASE SAVEPOINT fupin_bulk_load")
            let restore =
                indexes.map(\.definition)
                + keys.map { "ALTER TABLE \($0.table) ADD CONSTRAINT \($0.name) \($0.definition)" }
            return PostgresBulkLoad(store, tables: tables, list: list, restore: restore)
        } catch let error as PostgresError where error.kind == .server || error.kind == .serializationFailure {
            // Not granted in time (55P03), a deadlock with a writer of a table a foreign key
            // names (40P01), or refused (a dependency the catalog query missed): load the
            // ordinary way, as if nothing had been tried.
            try connection.execute("ROLLBACK TO SAVEPOINT fupin_bulk_load; RELEASE SAVEPOINT fupin_bulk_load")
            return nil
        }
    }

    /// Puts back the indexes and foreign keys (the foreign keys checked over every row now
    /// stored: a row naming a missing record fails here and the caller rolls back), then
    /// analyses the columns the indexes cover, so the next statements are planned with the
    /// rows counted; autovacuum analyses the rest after the commit. Call once the rows are in,
    /// before the transaction commits.
    func finish() throws {
        let connection = store.connection
        for statement in restore { try connection.execute(statement) }
        let indexed = try connection.query(
            """
            SELECT c.oid::regclass::text, string_agg(DISTINCT quote_ident(a.attname), ', ')
            FROM pg_class c JOIN pg_index x ON x.indrelid = c.oid
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (x.indkey) AND a.attnum > 0
            WHERE c.oid IN (\(list)) GROUP BY c.oid ORDER BY c.oid
            """)
        let targets = indexed.rows.map { "\($0[0].text ?? "") (\($0[1].text ?? ""))" }
        if !targets.isEmpty { try connection.execute("ANALYZE " + targets.joined(separator: ", ")) }
    }
}
