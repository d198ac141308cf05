/// One unit of work: a write transaction on a workspace, handed to layers above FupinCore so
/// they read and write records without seeing the storage engine (the `fp` API works through
/// one; a future PostgreSQL store brings its own). Valid only inside `Workspace.runUnit`.
///
/// ```swift
/// let (n, _) = try ws.runUnit { unit in try unit.count(Query(schema)) }
/// ```
public final class WorkUnit {
    public let workspace: Workspace
    /// The unit's connection, through which the generic code reaches the store.
    let store: any StoreConnection

    init(workspace: Workspace, store: any StoreConnection) {
        self.workspace = workspace
        self.store = store
    }

    // MARK: Reading

    public func count(_ query: Query) throws -> Int { try workspace.count(query, in: store) }
    public func list(_ query: Query) throws -> [StoredRecord] { try workspace.list(query, in: store) }
    public func first(_ query: Query) throws -> StoredRecord? { try workspace.first(query, in: store) }
    public func rows(_ query: Query) throws -> RecordRows { try workspace.rows(query, in: store) }
    public func get(_ collection: String, id: Int64) throws -> StoredRecord? {
        try workspace.get(collection, id: id, in: store)
    }

    public func aggregate(_ function: Query.Aggregate, _ field: String, of query: Query) throws -> FieldValue {
        try workspace.aggregate(function, field, of: query, in: store)
    }

    public func grouped(
        _ query: Query, by field: String, _ function: Query.Aggregate? = nil, _ valueField: String? = nil
    )
        throws -> [(key: FieldValue, value: FieldValue)]
    {
        try workspace.grouped(query, by: field, function, valueField, in: store)
    }

    public func measures(_ query: Query, _ measures: [Workspace.Measure], groupedBy group: String?)
        throws -> [(key: FieldValue, values: [FieldValue])]
    {
        try workspace.measures(query, measures, groupedBy: group, in: store)
    }

    public func incomeFigures(householdID: Int64, year: Int) throws -> IncomeFigures {
        try workspace.incomeFigures(householdID: householdID, year: year, in: store)
    }

    public func incomeFigures(householdIDs: [Int64], year: Int) throws -> [IncomeFigures] {
        try workspace.incomeFigures(householdIDs: householdIDs, year: year, in: store)
    }

    // MARK: Writing

    public func insert(_ collection: String, _ values: [String: FieldInput], context: WriteContext) throws -> Int64 {
        try workspace.insert(collection, values, context: context, in: store)
    }

    public func update(_ collection: String, id: Int64, _ values: [String: FieldInput], context: WriteContext) throws {
        try workspace.update(collection, id: id, values, context: context, in: store)
    }

    public func remove(_ collection: String, id: Int64, context: WriteContext) throws {
        try workspace.remove(collection, id: id, context: context, in: store)
    }

    public func importCSV(
        _ collection: String, bytes: [UInt8], file: String, options: ImportOptions, context: WriteContext
    ) throws -> ImportReport {
        try workspace.importCSV(collection, bytes: bytes, file: file, options: options, context: context, in: store)
    }

    /// Runs `body` in a savepoint: its writes are rolled back if it throws (the error is thrown
    /// on), kept in the unit if it returns.
    public func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        try store.inSavepoint("fupin_unit", body)
    }

    /// A step of a savepoint opened and closed by separate calls (a worker's `fp.transaction`
    /// arrives as messages, so no closure spans it). Savepoints of this kind nest.
    public enum SavepointStep: Sendable {
        /// Opens one more savepoint.
        case open
        /// Keeps the innermost open savepoint's writes in the unit.
        case release
        /// Undoes the innermost open savepoint's writes and closes it.
        case rollback
    }

    /// Takes `step` on the stepwise savepoints (`SavepointStep`); the caller keeps count of
    /// those open.
    public func savepoint(_ step: SavepointStep) throws {
        switch step {
        case .open: try store.savepoint(.begin, "fupin_stepwise")
        case .release: try store.savepoint(.release, "fupin_stepwise")
        case .rollback: try store.savepoint(.rollback, "fupin_stepwise")
        }
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

    /// Runs `sql`, one statement the store holds to reading (`StoreConnection.readOnlyQuery`;
    /// the authorizer's read-only policy, SQLite's own read-only flag), with `arguments` bound
    /// in order (booleans as 1/0). `body` sees each row in turn as (column, cell) pairs, so the
    /// caller decides how much to hold and can stop by throwing. A refusal is a
    /// `ReadOnlySQLRefusal` whose message starts with `label`.
    public func readOnlyRows(
        _ sql: String, arguments: [FieldInput], label: String,
        _ body: ([(name: String, cell: Cell)]) throws -> Void
    ) throws {
        let values: [SQLValue] = arguments.map { input in
            switch input {
            case .null: return .null
            case .bool(let b): return SQLValue(b)
            case .integer(let i): return .integer(i)
            case .double(let d): return .real(d)
            case .text(let s): return .text(s)
            }
        }
        try store.readOnlyQuery(sql, values, label: label) { row in
            try body(
                (0..<row.columnCount).map { index in
                    let cell: Cell
                    switch row.value(index) {
                    case .null: cell = .null
                    case .integer(let n): cell = .integer(n)
                    case .real(let d): cell = .double(d)
                    case .text(let s): cell = .text(s)
                    case .blob(let b): cell = .blob(b)
                    }
                    return (row.columnName(index), cell)
                })
            return true
        }
    }

    // MARK: Guard, references, ledgers

    /// The memory the store's engine holds for this connection (SQLite: the SQL guard's measure), in bytes.
    public func heldMemory() -> Int { store.heldMemory }

    /// Whether `error` is the store's answer to an interrupted statement (the SQL guard or a
    /// cancel request stopped it).
    public static func isInterrupt(_ error: any Error) -> Bool {
        StoreFailure.of(error) == .interrupted
    }

    /// The record of `target` that `text` names (`Workspace.resolveReference`).
    public func resolveReference(_ target: String, _ text: String) throws -> ReferenceMatch {
        try workspace.resolveReference(target, text, in: store)
    }

    /// Registers a plugin's ledger inside this unit (`Workspace.registerLedger`).
    public func registerLedger(_ ledger: CollectionSchema, owner: String) throws {
        try workspace.registerLedger(ledger, owner: owner, in: store)
    }

    /// Calls `body` with each record `query` selects, in order, while it returns true.
    public func forEach(_ query: Query, _ body: (StoredRecord) throws -> Bool) throws {
        try workspace.forEach(query, in: store, body)
    }
}

extension Workspace {
    /// Runs `body` as one unit of work: one transaction, committed if `body` returns, rolled
    /// back if it throws or when `dryRun` is set. Returns the result and, for a dry run, what
    /// would have changed (from the audit entries the unit wrote).
    public func runUnit<T>(dryRun: Bool = false, _ body: (WorkUnit) throws -> T) throws -> (T, ChangeSummary?) {
        try store.transaction(rollback: dryRun) { c in
            let mark = try AuditLog.mark(in: c)
            let result = try body(WorkUnit(workspace: self, store: c))
            return (result, dryRun ? try self.changes(since: mark, in: c) : nil)
        }
    }
}
