import Foundation

/// How `StoreCopy` writes rows into each kind of target: PostgreSQL through `COPY … FROM
/// STDIN` (one stream per table, ids given, then each identity sequence moved past the highest
/// id); any other store through one reused INSERT statement, its foreign keys checked at commit.
enum StoreCopyWriting {
    /// Readies the target's transaction for rows arriving with their ids.
    static func prepare(_ out: any StoreConnection) throws {
        if out is SQLiteConnection {
            // A ledger may reference its own table or one copied after it: check at commit.
            try out.executeScript("PRAGMA defer_foreign_keys = ON")
        }
    }

    /// Writes the rows `produce` emits (one array of values per row, in `columns`' order) into
    /// `table`; returns how many.
    static func write(table: String, columns: [String], into out: any StoreConnection,
                      _ produce: ((([SQLValue]) throws -> Void)) throws -> Void) throws -> Int {
        let d = out.dialect
        let list = columns.map(d.quote).joined(separator: ", ")
        if let pg = out as? PostgresStoreConnection {
            try pg.checkCancelled()
            return try pg.connection.copyIn("COPY \(d.quote(table)) (\(list)) FROM STDIN") { writer in
                var values = [PostgresValue](repeating: .null, count: columns.count)
                try produce { row in
                    for index in row.indices { values[index] = PostgresValue(row[index]) }
                    try writer.writeRow(values)
                }
            }
        }
        let insert = try out.prepare("INSERT INTO \(d.quote(table)) (\(list)) VALUES (\(d.placeholders(columns.count)))", reuse: true)
        var count = 0
        try Workspace.withBulkPageCache(out) {
            try produce { row in
                try insert.execute(row)
                count += 1
            }
        }
        return count
    }

    /// After the rows: on PostgreSQL each table's identity sequence continues past its highest
    /// id, so the next record gets a new one.
    static func finish(_ out: any StoreConnection, tables: [String]) throws {
        guard out is PostgresStoreConnection else { return }
        let d = out.dialect
        for table in tables {
            let literal = "'" + d.quote(table).replacingOccurrences(of: "'", with: "''") + "'"
            try out.execute("""
                SELECT setval(pg_get_serial_sequence(\(literal), 'id'), \
                (SELECT COALESCE(MAX("id"), 0) + 1 FROM \(d.quote(table))), false)
                """)
        }
    }
}
