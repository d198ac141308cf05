/// The seam between FupinCore and a SQL engine: identifier quoting, placeholders, column types
/// and table DDL. All SQL text that FupinCore generates goes through a dialect, so the same
/// API can later run over PostgreSQL (DESIGN.md "Growing past one machine").
///
/// Example: `SQLiteDialect().quote("group") == "\"group\""`.
public protocol SQLDialect: Sendable {
    /// A quoted identifier (table or column name).
    func quote(_ identifier: String) -> String
    /// The placeholder of the `index`-th (1-based) parameter.
    func placeholder(_ index: Int) -> String
    /// The column type for a storage class.
    func columnType(_ storage: FieldType.StorageClass) -> String
    /// The integer primary key column definition.
    var idColumn: String { get }
    /// Statements creating the table and indexes of a collection.
    func createTable(_ collection: CollectionSchema) -> [String]
    /// Statement adding a column (nullable) for a field, used when a ledger gains fields.
    func addColumn(_ field: FieldSpec, to table: String) -> String
    /// The verb for single-row inserts whose constraints are checked before writing, so they
    /// need no statement journal (SQLite: `INSERT OR FAIL`).
    var singleRowInsert: String { get }
    /// An integer expression for the year of a `YYYY-MM-DD` text column expression.
    func yearOf(_ expression: String) -> String
    /// A text expression `YYYY-MM` for the month of a `YYYY-MM-DD` text column expression.
    func monthOf(_ expression: String) -> String
    /// A text expression `YYYY-Qn` for the quarter of a `YYYY-MM-DD` text column expression.
    func quarterOf(_ expression: String) -> String
    /// `sql` written with `?` for each parameter, with those spelled as this dialect's
    /// placeholders (`$1`, `$2`, ... where numbered); `?` inside quotes is left alone.
    /// Example: `numbered("SELECT 1 WHERE a = ? AND b = ?")` is `... a = $1 AND b = $2` on PostgreSQL.
    func numbered(_ sql: String) -> String
    /// A statement run after a record was inserted with its id given (`?` 1: that id, `?` 2:
    /// the quoted table), so the ids the store makes later come after it; nil where the store
    /// sees to that itself (SQLite takes max(rowid) + 1).
    var identityCatchUp: String? { get }
}

extension SQLDialect {
    public var identityCatchUp: String? { nil }

    /// Runs `identityCatchUp` for `id` in `table`, if this dialect needs it.
    func catchUpIdentity(_ table: String, past id: Int64, in store: any StoreConnection) throws {
        guard let sql = identityCatchUp else { return }
        try store.execute(sql, [.integer(id), .text(quote(table))], reuse: true)
    }
}

extension SQLDialect {
    public func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var quote: Character?
        var index = 0
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "?" {
                index += 1
                out += placeholder(index)
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// A comma-separated list of placeholders for `count` parameters starting at 1.
    public func placeholders(_ count: Int, from start: Int = 1) -> String {
        (start..<(start + count)).map(placeholder).joined(separator: ", ")
    }

    public func column(_ field: FieldSpec) -> String {
        var definition = "\(quote(field.name)) \(columnType(field.type.storage))"
        if field.required { definition += " NOT NULL" }
        if field.unique { definition += " UNIQUE" }
        if let defaultValue = field.defaultValue {
            switch defaultValue {
            case .integer(let value): definition += " DEFAULT \(value)"
            case .text(let value): definition += " DEFAULT '\(value.replacingOccurrences(of: "'", with: "''"))'"
            }
        }
        if let target = field.referencedCollection {
            definition += " REFERENCES \(quote(target))(\(quote(CollectionSchema.idField)))"
        }
        return definition
    }

    public func createTable(_ collection: CollectionSchema) -> [String] {
        let columns = [idColumn] + collection.fields.map(column)
        var statements = ["CREATE TABLE \(quote(collection.name)) (\n  " + columns.joined(separator: ",\n  ") + "\n)"]
        for field in collection.referenceFields {
            statements.append(createIndex(on: collection.name, [field.name]))
        }
        if let columns = collection.householdDateIndex {
            statements.append(createIndex(on: collection.name, columns))
        }
        return statements
    }

    /// `CREATE INDEX` on `columns` of `table`, named as Fupin names indexes
    /// (`CollectionSchema.indexName`); `ifNotExists` for a table that may hold it already.
    public func createIndex(on table: String, _ columns: [String], ifNotExists: Bool = false) -> String {
        let name = quote(CollectionSchema.indexName(table, columns))
        return "CREATE INDEX \(ifNotExists ? "IF NOT EXISTS " : "")\(name) ON \(quote(table))("
            + columns.map(quote).joined(separator: ", ") + ")"
    }

    public func addColumn(_ field: FieldSpec, to table: String) -> String {
        var relaxed = field
        relaxed.required = false
        relaxed.unique = false
        return "ALTER TABLE \(quote(table)) ADD COLUMN \(column(relaxed))"
    }
}

/// SQLite: `?NNN` placeholders, INTEGER/TEXT/REAL columns, `INTEGER PRIMARY KEY` ids.
public struct SQLiteDialect: SQLDialect {
    public init() {}

    public func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func placeholder(_ index: Int) -> String { "?" }

    /// SQLite takes `?` as it is.
    public func numbered(_ sql: String) -> String { sql }

    public func columnType(_ storage: FieldType.StorageClass) -> String { storage.rawValue }

    public var idColumn: String { "\"id\" INTEGER PRIMARY KEY" }

    public var singleRowInsert: String { "INSERT OR FAIL" }

    public func yearOf(_ expression: String) -> String { "CAST(substr(\(expression), 1, 4) AS INTEGER)" }
    public func monthOf(_ expression: String) -> String { "substr(\(expression), 1, 7)" }
    public func quarterOf(_ expression: String) -> String {
        "(substr(\(expression), 1, 4) || '-Q' || ((CAST(substr(\(expression), 6, 2) AS INTEGER) + 2) / 3))"
    }
}
