/// A first load into empty tables done as PostgreSQL's manual says to populate a database
/// ("Populating a Database"): the tables' keys — primary, unique and foreign — and indexes are
/// dropped before the rows are copied and made again after, each built or checked in one pass
/// over the table instead of once per arriving row, and index builds get more memory
/// (`maintenance_work_mem`). A table's keys can be put back as soon as its own rows are in
/// (`finish(_:)`), while the next table's rows are still being prepared.
///
/// A primary key is dropped with the foreign keys of other tables that lean on it (they are
/// empty, or hold no reference, since the table is), and those come back right after it. It
/// stays where the role does not own every such table, or where the table is clustered on it.
/// The ids copied are the sequence's, or the source's own primary key's, so they cannot repeat.
///
/// Statistics are left to autovacuum, which analyses a table soon after this many rows arrive,
/// as after `pg_restore`: analysing inside the load's transaction made a county's load
/// 0.07–0.11 s longer for its sampling, and the planner sizes a table it has not analysed from
/// its pages meanwhile.
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
/// caller writes as it always does. Unique keys of several columns, or that a foreign key leans
/// on, stay; the writer checks
/// the unique keys of one column it dropped (`uniqueColumns`), so a repeated value is still
/// refused with its row.
///
/// Example:
/// ```swift
/// let load = try PostgresBulkLoad.begin(pg, tables: ["households", "members"])
/// // … copy the households …
/// try load?.finish("households")   // optional: their keys back while members are prepared
/// // … copy the members …
/// try load?.finish()   // the rest, before the transaction commits
/// ```
final class PostgresBulkLoad {
    /// The tables being loaded.
    let tables: [String]
    /// What `finish` runs to put back what was dropped, in order: primary keys, unique keys,
    /// indexes, then foreign keys (each validated in one pass over its table), each once every
    /// table it names (by position in `tables`: the one it is on, and for a foreign key the one
    /// it references) is finished. Emptied as they are run.
    private var restore: [(statement: String, after: Set<Int>)]
    /// The positions of the tables `finish` was called for.
    private var finished: Set<Int> = []
    /// By table, the columns whose unique key was dropped: whoever writes the rows must refuse
    /// a repeated value itself (`BulkWriter.checkUnique`), or the key made again at `finish`
    /// refuses the whole load without naming the row.
    let uniqueColumns: [String: [String]]
    private let store: PostgresStoreConnection

    /// How long to wait for the tables' lock before loading the ordinary way instead: a
    /// session reading the tables holds a lock the load would wait on, and every later reader
    /// would then queue behind the load.
    static let lockTimeout = "2s"
    /// Memory for each index build, at least (the server's default is 64 MB).
    static let maintenanceWorkMem = "256MB"

    private init(
        _ store: PostgresStoreConnection, tables: [String], restore: [(statement: String, after: Set<Int>)],
        uniqueColumns: [String: [String]]
    ) {
        self.store = store
        self.tables = tables
        self.restore = restore
        self.uniqueColumns = uniqueColumns
    }

    /// Prepares `tables` for a load inside the open transaction, or returns nil (nothing
    /// changed) when they are not all empty, not owned by the role, or under row-level security
    /// for it, or when their lock is not granted within `lockTimeout`.
    static func begin(_ store: PostgresStoreConnection, tables: [String]) throws -> PostgresBulkLoad? {
        let d = PostgresDialect()
        let connection = store.connection
        let list = tables.map { "\(d.literal(d.quote($0)))::regclass" }.joined(separator: ", ")
        // Which of `tables` a catalog row is about (0-based).
        let position = { (column: String) in "array_position(ARRAY[\(list)]::oid[], \(column)) - 1" }
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
            try lockSequences(connection, list: list)
            let keys = try connection.query(
                """
                SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid), \(position("conrelid")),
                       \(position("confrelid"))
                FROM pg_constraint WHERE contype = 'f' AND conrelid IN (\(list)) ORDER BY oid
                """
            ).rows.map { Key($0, references: $0[4].integer.map(Int.init)) }
            let primary = try primaryKeys(connection, list: list, position: position)
            // Unique keys of one column that no foreign key leans on: the writer checks those
            // itself (`uniqueColumns`), so a repeat is still refused with its row.
            let uniqueRows = try connection.query(
                """
                SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid), t.relname, a.attname,
                       \(position("c.conrelid"))
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                WHERE c.contype = 'u' AND c.conrelid IN (\(list)) AND array_length(c.conkey, 1) = 1
                  AND NOT c.condeferrable
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
                ORDER BY c.oid
                """
            ).rows
            let unique = uniqueRows.map { Key($0, of: 5) }
            var uniqueColumns: [String: [String]] = [:]
            for row in uniqueRows { uniqueColumns[row[3].text ?? "", default: []].append(row[4].text ?? "") }
            // Indexes that back no constraint (those are above, or stay) and that no
            // other table's foreign key, clustering or replica identity depends on.
            let indexes = try connection.query(
                """
                SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname), pg_get_indexdef(i.oid),
                       \(position("x.indrelid"))
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
                WHERE x.indrelid IN (\(list)) AND x.indisvalid AND NOT x.indisclustered AND NOT x.indisreplident
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
                ORDER BY i.oid
                """
            ).rows.map { (name: $0[0].text ?? "", definition: $0[1].text ?? "", of: $0[2].integer ?? 0) }
            for key in keys + unique { try connection.execute(key.drop) }
            for index in indexes { try connection.execute("DROP INDEX \(index.name)") }
            for (key, leaning) in primary {
                for other in leaning { try connection.execute(other.drop) }
                try connection.execute(key.drop)
            }
            // Dropping a foreign key locks the table it names too: under the same time limit.
            _ = try connection.query("SELECT set_config('lock_timeout', $1, true)", [.text(timeout)])
            _ = try connection.query(
                """
                SELECT set_config('maintenance_work_mem', $1, true)
                WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes($1)
                """, [.text(maintenanceWorkMem)])
            try connection.execute("RELEASE SAVEPOINT fupin_bulk_load")
            var restore = primary.map { (statement: $0.key.add, after: Set([$0.key.of])) }
            restore += unique.map { ($0.add, [$0.of]) }
            restore += indexes.map { ($0.definition, [Int($0.of)]) }
            // A foreign key between two loaded tables waits for both: it is checked over the
            // rows of the one it is on, against the other's primary key.
            restore += keys.map { ($0.add, Set([$0.of] + [$0.references].compactMap { $0 })) }
            for (key, leaning) in primary { restore += leaning.map { ($0.add, [key.of]) } }
            return PostgresBulkLoad(store, tables: tables, restore: restore, uniqueColumns: uniqueColumns)
        } catch let error as PostgresError where error.kind == .server || error.kind == .serializationFailure {
            // Not granted in time (55P03), a deadlock with a writer of a table a foreign key
            // names (40P01), or refused (a dependency the catalog query missed): load the
            // ordinary way, as if nothing had been tried.
            try connection.execute("ROLLBACK TO SAVEPOINT fupin_bulk_load; RELEASE SAVEPOINT fupin_bulk_load")
            return nil
        }
    }

    /// Locks the id sequences of the tables in `list` until the transaction ends, as `ALTER
    /// SEQUENCE` does (here to the increment each has): every other session's `nextval` waits
    /// for the load to commit, so the bulk writer takes the ids it needs in one step
    /// (`PostgresBulkCopy.takesOneBlock`). A rolled-back load leaves the sequences as they were.
    private static func lockSequences(_ connection: PostgresConnection, list: String) throws {
        let sequences = try connection.query(
            """
            SELECT s, q.seqincrement FROM unnest(ARRAY[\(list)]::regclass[]) AS t,
                   pg_get_serial_sequence(t::text, 'id') AS s JOIN pg_sequence q ON q.seqrelid = s::regclass
            """
        ).rows
        for sequence in sequences {
            guard let name = sequence[0].text, let increment = sequence[1].integer else { continue }
            try connection.execute("ALTER SEQUENCE \(name) INCREMENT BY \(increment)")
        }
    }

    /// The primary keys of the tables in `list` that may be dropped for the load, with the
    /// foreign keys of tables outside it that lean on them (dropped first, put back after): not
    /// where the role does not own such a table (it may not alter it), nor where a table is
    /// clustered on its key.
    private static func primaryKeys(
        _ connection: PostgresConnection, list: String, position: (String) -> String
    ) throws -> [(key: Key, leaning: [Key])] {
        let keys = try connection.query(
            """
            SELECT p.conrelid::regclass::text, quote_ident(p.conname), pg_get_constraintdef(p.oid),
                   \(position("p.conrelid")), p.conindid::oid::text
            FROM pg_constraint p JOIN pg_index x ON x.indexrelid = p.conindid
            WHERE p.contype = 'p' AND p.conrelid IN (\(list)) AND NOT x.indisclustered AND NOT x.indisreplident
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint f JOIN pg_class r ON r.oid = f.conrelid
                  WHERE f.contype = 'f' AND f.conindid = p.conindid AND NOT pg_has_role(r.relowner, 'USAGE'))
            ORDER BY p.oid
            """
        ).rows
        let leaning = try connection.query(
            """
            SELECT f.conrelid::regclass::text, quote_ident(f.conname), pg_get_constraintdef(f.oid), 0,
                   f.conindid::oid::text
            FROM pg_constraint f
            WHERE f.contype = 'f' AND f.confrelid IN (\(list)) AND f.conrelid NOT IN (\(list))
            ORDER BY f.oid
            """
        ).rows
        return keys.map { key in (Key(key), leaning.filter { $0[4].text == key[4].text }.map { Key($0) }) }
    }

    /// Puts back what was dropped from `table` — its unique keys, indexes, then foreign keys,
    /// each built or checked over every row now stored (a repeat, or a row naming a missing
    /// record, fails here and the caller rolls back). Call once the table's rows are in; the
    /// other tables keep loading meanwhile.
    func finish(_ table: String) throws {
        guard let position = tables.firstIndex(of: table), finished.insert(position).inserted else { return }
        while let next = restore.firstIndex(where: { $0.after.isSubset(of: finished) }) {
            let statement = restore.remove(at: next).statement
            try store.connection.execute(statement)
        }
    }

    /// Puts back what is still dropped, table by table (`finish(_:)`). Call once the rows are
    /// in, before the transaction commits.
    func finish() throws {
        for table in tables { try finish(table) }
    }

    /// A constraint dropped for the load, as the catalog gave it (names quoted where they
    /// must be), with the position in `tables` of the table it is on (for a key of another
    /// table, not read) and, for a foreign key, of the table it references if that is loaded too.
    struct Key {
        var table: String
        var name: String
        var definition: String
        var of: Int
        var references: Int?

        /// From a catalog row: table, name, definition, then the position at column `of`.
        init(_ row: [PostgresValue], of column: Int = 3, references: Int? = nil) {
            table = row[0].text ?? ""
            name = row[1].text ?? ""
            definition = row[2].text ?? ""
            of = Int(row[column].integer ?? 0)
            self.references = references
        }

        var drop: String { "ALTER TABLE \(table) DROP CONSTRAINT \(name)" }
        var add: String { "ALTER TABLE \(table) ADD CONSTRAINT \(name) \(definition)" }
    }
}
