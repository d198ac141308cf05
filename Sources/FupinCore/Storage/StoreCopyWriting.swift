import Foundation

/// How `StoreCopy` writes rows into each kind of target: PostgreSQL through `COPY … FROM
/// STDIN` (one stream per table, ids given, indexes and foreign keys built after the rows, then
/// each identity sequence moved past the highest id); any other store through one reused
/// INSERT statement, its foreign keys checked at commit.
enum StoreCopyWriting {
    /// Readies the target's transaction for rows arriving with their ids; returns what
    /// `finish` puts back.
    static func prepare(_ out: any StoreConnection) throws -> [String] {
        if out is SQLiteConnection {
            // A ledger may reference its own table or one copied after it: check at commit.
            try out.executeScript("PRAGMA defer_foreign_keys = ON")
            return []
        }
        guard out is PostgresStoreConnection else { return [] }
        // As pg_restore does: rows first, then the keys, indexes and foreign keys, each built
        // or checked in one pass over its table instead of once per arriving row. They are put
        // back in the same transaction, so no one ever sees the tables without them. Foreign
        // keys go first (they depend on the keys) and come back last.
        let constraints = { (kinds: String) in
            try out.fetchAll(
                """
                SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype IN (\(kinds)) AND connamespace = current_schema()::regnamespace ORDER BY oid
                """
            ) { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "") }
        }
        let keys = try constraints("'f'")
        let unique = try constraints("'p', 'u'")
        let indexes = try out.fetchAll(
            """
            SELECT quote_ident(i.relname), pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE i.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
            ORDER BY i.oid
            """
        ) { ($0.text(0) ?? "", $0.text(1) ?? "") }
        for key in keys + unique { try out.executeScript("ALTER TABLE \(key.0) DROP CONSTRAINT \(key.1)") }
        for index in indexes { try out.executeScript("DROP INDEX \(index.0)") }
        let add = { (key: (String, String, String)) in "ALTER TABLE \(key.0) ADD CONSTRAINT \(key.1) \(key.2)" }
        return unique.map(add) + indexes.map(\.1) + keys.map(add)
    }

    /// Writes the rows `produce` emits (the source's current row, its columns in `columns`'
    /// order) into `table`; returns how many. `asText[i]` says column `i` is declared TEXT or
    /// INTEGER in the source, so its text form is what COPY takes.
    static func write(
        table: String, columns: [String], asText: [Bool], into out: any StoreConnection,
        _ produce: (((any StoreRow) throws -> Void)) throws -> Void
    ) throws -> Int {
        let d = out.dialect
        let list = columns.map(d.quote).joined(separator: ", ")
        if let pg = out as? PostgresStoreConnection {
            try pg.checkCancelled()
            return try pg.connection.copyIn("COPY \(d.quote(table)) (\(list)) FROM STDIN") { writer in
                var line: [UInt8] = []
                line.reserveCapacity(4096)
                try produce { row in
                    line.removeAll(keepingCapacity: true)
                    appendCopyLine(row, asText: asText, to: &line)
                    try writer.write(line)
                }
            }
        }
        let insert = try out.prepare(
            "INSERT INTO \(d.quote(table)) (\(list)) VALUES (\(d.placeholders(columns.count)))", reuse: true)
        var count = 0
        var values = [SQLValue](repeating: .null, count: columns.count)
        try Workspace.withBulkPageCache(out) {
            try produce { row in
                for index in values.indices { values[index] = row.value(index) }
                try insert.execute(values)
                count += 1
            }
        }
        return count
    }

    /// One row in COPY's text format. Text and integer columns are copied from the row's own
    /// text bytes (escaped where needed) with no value made in between: a store copy moves
    /// millions of them. Reals and bytes go through their value (exact digits, hex).
    static func appendCopyLine(_ row: any StoreRow, asText: [Bool], to line: inout [UInt8]) {
        for index in asText.indices {
            if index > 0 { line.append(9) }
            if asText[index] {
                let present: Void? = row.withText(index) { bytes in
                    PostgresCopyWriter.appendEscaped(bytes, to: &line)
                }
                if present == nil { line.append(contentsOf: [92, 78]) }
            } else {
                PostgresCopyWriter.append(PostgresValue(row.value(index)), to: &line)
            }
        }
        line.append(10)
    }

    /// After the rows: on PostgreSQL each table's identity sequence continues past its highest
    /// id, so the next record gets a new one.
    static func finish(_ out: any StoreConnection, tables: [String], restoring statements: [String]) throws {
        for statement in statements { try out.executeScript(statement) }
        guard out is PostgresStoreConnection else { return }
        let d = out.dialect
        for table in tables {
            let literal = "'" + d.quote(table).replacingOccurrences(of: "'", with: "''") + "'"
            try out.execute(
                """
                SELECT setval(pg_get_serial_sequence(\(literal), 'id'), \
                (SELECT COALESCE(MAX("id"), 0) + 1 FROM \(d.quote(table))), false)
                """)
        }
    }
}
