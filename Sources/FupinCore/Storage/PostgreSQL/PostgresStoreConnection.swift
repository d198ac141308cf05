import CLibPQ
import Foundation

/// `StoreConnection` over a libpq connection: what generic FupinCore code runs on a
/// PostgreSQL store. Statements are run with `PQexecParams` (SQL written with `?` is numbered
/// `$1`, `$2`, … first); `query` reads a whole result, `cursor` streams through a server-side
/// cursor; `readOnlyQuery` runs in a savepoint made read-only and rolled back.
///
/// Example:
/// ```swift
/// try store.transaction(rollback: false) { c in try c.execute("INSERT INTO towns(name) VALUES (?)", ["城郊镇"]) }
/// ```
public final class PostgresStoreConnection: StoreConnection {
    public let connection: PostgresConnection
    public let dialect: any SQLDialect = PostgresDialect()
    let cancelState: PostgresCancelState
    private let serverCanceller: PostgresCanceller?
    private var cursorCounter = 0
    /// The columns, by table, the role may not select (`PostgresStore.unreadableColumns`), to
    /// explain a refused `fp.sql`.
    var unreadableColumns: [String: Set<String>] = [:]
    /// The columns, by table, the role may not insert while it may insert others (personal
    /// columns of a role granted `write` without `pii`): the bulk writer leaves them out.
    var uninsertableColumns: [String: Set<String>] = [:]

    init(_ connection: PostgresConnection, cancelState: PostgresCancelState) {
        self.connection = connection
        self.cancelState = cancelState
        self.serverCanceller = try? connection.makeCanceller()
    }

    public func prepare(_ sql: String, reuse: Bool) throws -> any StoreStatement {
        PostgresStoreStatement(self, sql: dialect.numbered(sql))
    }

    public func executeScript(_ sql: String) throws {
        try checkCancelled()
        try connection.execute(sql)
    }

    public func savepoint(_ action: SavepointAction, _ name: String) throws {
        let quoted = PostgresDialect().quote(name)
        switch action {
        case .begin: try connection.execute("SAVEPOINT \(quoted)")
        case .release: try connection.execute("RELEASE SAVEPOINT \(quoted)")
        case .rollback: try connection.execute("ROLLBACK TO SAVEPOINT \(quoted); RELEASE SAVEPOINT \(quoted)")
        }
    }

    public func tableExists(_ name: String) throws -> Bool {
        try connection.query(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = $1 AND n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
            """, [.text(name)]
        ).value(0, 0) != .integer(0)
    }

    public func indexExists(_ name: String) throws -> Bool {
        try connection.query(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = $1 AND n.nspname = current_schema() AND c.relkind IN ('i', 'I')
            """, [.text(name)]
        ).value(0, 0) != .integer(0)
    }

    /// Columns with their types spelled as SQLite's storage classes where they are one
    /// (`bigint` → INTEGER, `double precision` → REAL, `text` → TEXT), so generic code
    /// compares one spelling.
    public func columns(in table: String) throws -> [StoreColumn] {
        let result = try connection.query(
            """
            SELECT a.attname, format_type(a.atttypid, NULL), a.attnotnull,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = $1 AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, [.text(table)])
        let types = [
            "bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER",
            "double precision": "REAL", "real": "REAL", "text": "TEXT", "bytea": "BLOB",
        ]
        return result.rows.map { row in
            let type = row[1].text ?? ""
            return StoreColumn(
                name: row[0].text ?? "", type: types[type] ?? type.uppercased(),
                notNull: row[2] == .integer(1), primaryKey: row[3] == .integer(1))
        }
    }

    /// One statement, run in a savepoint with the transaction made read-only, then rolled
    /// back: the server refuses any write, and whatever the statement did is undone. Only a
    /// query a cursor can hold (SELECT, VALUES, a WITH without data-modifying parts) runs.
    public func readOnlyQuery(
        _ sql: String, _ arguments: [SQLValue], label: String,
        _ body: (any StoreRow) throws -> Bool
    ) throws {
        try checkCancelled()
        cursorCounter += 1
        let savepoint = "fupin_read_only_\(cursorCounter)"
        try connection.execute("SAVEPOINT \(savepoint); SET LOCAL transaction_read_only = on")
        defer { try? connection.execute("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)") }
        do {
            let cursor = try PostgresStoreCursor(self, sql: dialect.numbered(sql), arguments: arguments)
            defer { cursor.close() }
            while try cursor.next() {
                guard try body(cursor) else { break }
            }
        } catch let error as PostgresError {
            switch error.sqlState {
            case "25006": throw ReadOnlySQLRefusal(message: "\(label) is read-only: \(error.message)")
            case "42601", "0A000", "42P18", "08P01":
                throw ReadOnlySQLRefusal(message: "\(label) runs one valid read-only statement: \(error.message)")
            case "42501":
                throw ReadOnlySQLRefusal(
                    message: PostgresPrivilegeRefusal.message(
                        label: label, serverMessage: error.message, sql: sql, unreadable: unreadableColumns))
            default: throw error
            }
        }
    }

    public var canceller: any StoreCanceller {
        PostgresStoreCanceller(state: cancelState, server: serverCanceller)
    }

    public var heldMemory: Int { 0 }

    /// A new cursor name for this connection.
    func nextCursorName() -> String {
        cursorCounter += 1
        return "fupin_store_cursor_\(cursorCounter)"
    }

    /// Throws the cancel error when a cancel was asked for since the unit began.
    func checkCancelled() throws {
        if cancelState.isSet {
            throw PostgresError(.cancelled, sqlState: "57014", message: "canceling statement due to user request")
        }
    }
}

/// Whether a cancel was asked for on a connection since its unit of work began: the server
/// stops the statement it runs, and this flag stops the rows Fupin is still handing out.
final class PostgresCancelState: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false

    var isSet: Bool { lock.withLock { set } }
    func raise() { lock.withLock { set = true } }
    func clear() { lock.withLock { set = false } }
}

/// Cancels a PostgreSQL connection's statement from any thread.
struct PostgresStoreCanceller: StoreCanceller {
    let state: PostgresCancelState
    let server: PostgresCanceller?

    func cancel() {
        state.raise()
        try? server?.cancel()
    }
}

/// A statement of a `PostgresStoreConnection` (its text; libpq plans it at each run).
final class PostgresStoreStatement: StoreStatement {
    let owner: PostgresStoreConnection
    let sql: String

    init(_ owner: PostgresStoreConnection, sql: String) {
        self.owner = owner
        self.sql = sql
    }

    @discardableResult
    func execute(_ arguments: [SQLValue]) throws -> Int {
        try owner.checkCancelled()
        return try owner.connection.query(sql, arguments.map(PostgresValue.init)).affectedRows
    }

    func insert(_ arguments: [SQLValue]) throws -> Int64 {
        try owner.checkCancelled()
        let result = try owner.connection.query(sql + " RETURNING \"id\"", arguments.map(PostgresValue.init))
        guard let id = result.value(0, 0).integer else {
            throw PostgresError(.client, message: "the insert returned no id: \(sql)")
        }
        return id
    }

    func query(_ arguments: [SQLValue], _ body: (any StoreRow) throws -> Bool) throws {
        try owner.checkCancelled()
        let result = try owner.connection.query(sql, arguments.map(PostgresValue.init))
        for index in 0..<result.rowCount {
            guard try body(PostgresStoreRow(result: result, index: index)) else { break }
            try owner.checkCancelled()
        }
    }

    func cursor(_ arguments: [SQLValue]) throws -> any StoreCursor {
        try PostgresStoreCursor(owner, sql: sql, arguments: arguments)
    }
}

/// One row of a PostgreSQL result, as generic code reads it.
struct PostgresStoreRow: StoreRow {
    let result: PostgresResult
    let index: Int

    var columnCount: Int { result.columnCount }

    func columnName(_ index: Int) -> String {
        fpq_PQfname(result.handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    func value(_ column: Int) -> SQLValue { SQLValue(result.value(index, column)) }

    func isNull(_ column: Int) -> Bool {
        column < 0 || column >= result.columnCount || index >= result.rowCount
            || fpq_PQgetisnull(result.handle, Int32(index), Int32(column)) != 0
    }

    func integer(_ column: Int) -> Int64? {
        switch result.value(index, column) {
        case .null: return nil
        case .integer(let number): return number
        case .real(let number): return number.isFinite ? Int64(exactly: number.rounded(.towardZero)) ?? 0 : 0
        case .text(let text):
            return Int64(text) ?? Double(text).flatMap { $0.isFinite ? Int64(exactly: $0.rounded(.towardZero)) : nil }
                ?? 0
        case .bytes: return 0
        }
    }

    func withText<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard !isNull(column), let pointer = fpq_PQgetvalue(result.handle, Int32(index), Int32(column)) else {
            return nil
        }
        let length = Int(fpq_PQgetlength(result.handle, Int32(index), Int32(column)))
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}

/// A query streamed through a server-side cursor, a batch at a time, inside the unit's
/// transaction.
@usableFromInline
final class PostgresStoreCursor: StoreCursor {
    static let batchSize = 2_000
    let owner: PostgresStoreConnection
    let name: String
    /// The rows fetched last and the current row's index in them (read in place by `visit`).
    @usableFromInline private(set) var batch: PostgresResult?
    @usableFromInline private(set) var index = -1
    /// How each column's cells decode, from its type (the same in every batch).
    @usableFromInline private(set) var cells: [PostgresCell] = []
    private var open = true
    private var exhausted = false

    init(_ owner: PostgresStoreConnection, sql: String, arguments: [SQLValue]) throws {
        try owner.checkCancelled()
        self.owner = owner
        name = owner.nextCursorName()
        try owner.connection.query("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", arguments.map(PostgresValue.init))
        // The first batch now: it carries the column names and count, which callers read
        // before the first `next()` (RecordRows plans its columns from them).
        try fetch()
        index = -1
        cells = batch.map { $0.columnTypes.map(PostgresCell.init(type:)) } ?? []
    }

    /// Reads the next batch into `batch`.
    private func fetch() throws {
        let fetched = try owner.connection.query("FETCH FORWARD \(Self.batchSize) FROM \(name)")
        exhausted = fetched.rowCount < Self.batchSize
        batch = fetched
        index = 0
    }

    @usableFromInline func next() throws -> Bool {
        guard open else { return false }
        try owner.checkCancelled()
        index += 1
        if let batch, index < batch.rowCount { return true }
        if exhausted {
            close()
            return false
        }
        try fetch()
        if batch?.rowCount == 0 {
            close()
            return false
        }
        return true
    }

    @usableFromInline func close() {
        guard open else { return }
        open = false
        batch = nil
        if owner.connection.isConnected, owner.connection.inTransaction {
            try? owner.connection.execute("CLOSE \(name)")
        }
    }

    private var row: PostgresStoreRow? { batch.map { PostgresStoreRow(result: $0, index: index) } }

    // The batch's, so they are known before the first row and after the last.
    @usableFromInline var columnCount: Int { batch?.columnCount ?? 0 }
    @usableFromInline func columnName(_ index: Int) -> String {
        batch.flatMap { fpq_PQfname($0.handle, Int32(index)) }.map { String(cString: $0) } ?? ""
    }
    @usableFromInline func value(_ index: Int) -> SQLValue { row?.value(index) ?? .null }
    @usableFromInline func isNull(_ index: Int) -> Bool { row?.isNull(index) ?? true }
    @usableFromInline func integer(_ index: Int) -> Int64? { row?.integer(index) }
    @usableFromInline func withText<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try row?.withText(index, body)
    }
}

extension PostgresValue {
    /// The driver's value for a store value.
    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let number): self = .integer(number)
        case .real(let number): self = .real(number)
        case .text(let text): self = .text(text)
        case .blob(let bytes): self = .bytes(bytes)
        }
    }
}

extension SQLValue {
    /// The store value of a driver's value.
    init(_ value: PostgresValue) {
        switch value {
        case .null: self = .null
        case .integer(let number): self = .integer(number)
        case .real(let number): self = .real(number)
        case .text(let text): self = .text(text)
        case .bytes(let bytes): self = .blob(bytes)
        }
    }
}
