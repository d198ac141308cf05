import GRDB

/// One unit of work: a write transaction on a workspace, handed to layers above FupinCore so
/// they read and write records without seeing the storage engine (the `fp` API works through
/// one; a future PostgreSQL store brings its own). Valid only inside `Workspace.runUnit`.
///
/// ```swift
/// let (n, _) = try ws.runUnit { unit in try unit.count(Query(schema)) }
/// ```
public final class WorkUnit {
    public let workspace: Workspace
    let db: Database

    init(workspace: Workspace, db: Database) {
        self.workspace = workspace
        self.db = db
    }

    // MARK: Reading

    public func count(_ query: Query) throws -> Int { try workspace.count(query, in: db) }
    public func list(_ query: Query) throws -> [StoredRecord] { try workspace.list(query, in: db) }
    public func first(_ query: Query) throws -> StoredRecord? { try workspace.first(query, in: db) }
    public func rows(_ query: Query) throws -> RecordRows { try workspace.rows(query, in: db) }
    public func get(_ collection: String, id: Int64) throws -> StoredRecord? { try workspace.get(collection, id: id, in: db) }

    public func aggregate(_ function: Query.Aggregate, _ field: String, of query: Query) throws -> FieldValue {
        try workspace.aggregate(function, field, of: query, in: db)
    }

    public func grouped(_ query: Query, by field: String, _ function: Query.Aggregate? = nil, _ valueField: String? = nil)
        throws -> [(key: FieldValue, value: FieldValue)]
    {
        try workspace.grouped(query, by: field, function, valueField, in: db)
    }

    public func measures(_ query: Query, _ measures: [Workspace.Measure], groupedBy group: String?)
        throws -> [(key: FieldValue, values: [FieldValue])]
    {
        try workspace.measures(query, measures, groupedBy: group, in: db)
    }

    public func incomeFigures(householdID: Int64, year: Int) throws -> IncomeFigures {
        try workspace.incomeFigures(householdID: householdID, year: year, in: db)
    }

    // MARK: Writing

    public func insert(_ collection: String, _ values: [String: FieldInput], context: WriteContext) throws -> Int64 {
        try workspace.insert(collection, values, context: context, in: db)
    }

    public func update(_ collection: String, id: Int64, _ values: [String: FieldInput], context: WriteContext) throws {
        try workspace.update(collection, id: id, values, context: context, in: db)
    }

    public func remove(_ collection: String, id: Int64, context: WriteContext) throws {
        try workspace.remove(collection, id: id, context: context, in: db)
    }

    public func importCSV(_ collection: String, bytes: [UInt8], file: String, options: ImportOptions, context: WriteContext) throws -> ImportReport {
        try workspace.importCSV(collection, bytes: bytes, file: file, options: options, context: context, in: db)
    }

    /// Runs `body` in a savepoint: its writes are rolled back if it throws (the error is thrown
    /// on), kept in the unit if it returns.
    public func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { throw WorkspaceError.badLedger("savepoint produced no result") }
        return result
    }

    // MARK: Read-only SQL

    /// One cell of a read-only query's row.
    public enum Cell: Sendable {
        case null
        case integer(Int64)
        case double(Double)
        case text(String)
        case blob([UInt8])
    }

    /// Why a read-only query did not run.
    public enum ReadOnlyRefusal: Error, Sendable {
        /// The text is not one valid statement (SQLite's message).
        case invalid(String)
        /// The statement would write.
        case writes
        /// A parameter of a kind SQL cannot take.
        case badArgument(String)
    }

    /// Runs `sql`, which must be one statement SQLite calls read-only, with `arguments` bound
    /// in order (booleans as 1/0); `check` runs after the statement compiled and before it
    /// runs (the caller's own refusals). Returns the rows as (column, cell) pairs in order.
    public func readOnlyRows(_ sql: String, arguments: [FieldInput], check: () throws -> Void) throws -> [[(name: String, cell: Cell)]] {
        let statement: Statement
        do { statement = try db.makeStatement(sql: sql) } catch {
            throw ReadOnlyRefusal.invalid((error as? DatabaseError)?.message ?? "\(error)")
        }
        guard statement.isReadonly else { throw ReadOnlyRefusal.writes }
        try check()
        let values: [DatabaseValue] = arguments.map { input in
            switch input {
            case .null: return .null
            case .bool(let b): return b.databaseValue
            case .integer(let i): return i.databaseValue
            case .double(let d): return d.databaseValue
            case .text(let s): return s.databaseValue
            }
        }
        do { try statement.setArguments(StatementArguments(values)) } catch { throw ReadOnlyRefusal.badArgument("\(error)") }
        return try Row.fetchAll(statement).map { row in
            row.map { name, value in
                switch value.storage {
                case .null: return (name, .null)
                case .int64(let n): return (name, .integer(n))
                case .double(let d): return (name, .double(d))
                case .string(let s): return (name, .text(s))
                case .blob(let b): return (name, .blob([UInt8](b)))
                }
            }
        }
    }
}

extension Workspace {
    /// Runs `body` as one unit of work: one transaction, committed if `body` returns, rolled
    /// back if it throws or when `dryRun` is set. Returns the result and, for a dry run, what
    /// would have changed (from the audit entries the unit wrote).
    public func runUnit<T>(dryRun: Bool = false, _ body: (WorkUnit) throws -> T) throws -> (T, ChangeSummary?) {
        try database.writeWithoutTransaction { db in
            var result: T?
            var summary: ChangeSummary?
            try db.inTransaction {
                let mark = try AuditLog.mark(in: db)
                result = try body(WorkUnit(workspace: self, db: db))
                if dryRun {
                    summary = try self.changes(since: mark, in: db)
                    return .rollback
                }
                return .commit
            }
            guard let result else { throw WorkspaceError.badLedger("unit of work produced no result") }
            return (result, summary)
        }
    }
}
