import Foundation
import GRDB
import GRDBSQLite

/// `StoreConnection` over one GRDB `Database` (a SQLite connection inside a transaction GRDB
/// opened): statements are GRDB's (prepared, or kept in GRDB's statement cache with `reuse`),
/// bound and stepped with `sqlite3_*` directly, rows read straight from SQLite's buffers.
///
/// Example: `try ws.database.write { db in try SQLiteConnection(db, sqlGuard: ws.sqlGuard).execute("DELETE FROM \"notes\"") }`.
public final class SQLiteConnection: StoreConnection {
    /// The GRDB connection (for the SQLite-only code: migrations, backup, the bulk writer).
    public let db: Database
    public let dialect: any SQLDialect
    let sqlGuard: SQLGuard
    /// Wrappers of statements kept for reuse, by SQL text, so a hot write path allocates none.
    private var reused: [String: SQLiteStoreStatement] = [:]

    public init(_ db: Database, sqlGuard: SQLGuard, dialect: any SQLDialect = SQLiteDialect()) {
        self.db = db
        self.sqlGuard = sqlGuard
        self.dialect = dialect
    }

    public func prepare(_ sql: String, reuse: Bool) throws -> any StoreStatement {
        try sqliteStatement(sql, reuse: reuse)
    }

    /// `prepare` with the concrete type (the SQLite-only fast paths).
    func sqliteStatement(_ sql: String, reuse: Bool) throws -> SQLiteStoreStatement {
        if reuse, let kept = reused[sql] { return kept }
        let statement = reuse ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        let wrapper = SQLiteStoreStatement(statement, db: db)
        if reuse { reused[sql] = wrapper }
        return wrapper
    }

    public func executeScript(_ sql: String) throws {
        try db.execute(sql: sql)
        // Scripts carry the DDL; the SQL guard's authorizer stands in for GRDB's, which would
        // clear GRDB's schema cache after it.
        db.clearSchemaCache()
    }

    public func savepoint(_ action: SavepointAction, _ name: String) throws {
        let quoted = dialect.quote(name)
        switch action {
        case .begin: try db.execute(sql: "SAVEPOINT \(quoted)")
        case .release: try db.execute(sql: "RELEASE SAVEPOINT \(quoted)")
        // SQLite's ROLLBACK TO leaves the savepoint open: release it too.
        case .rollback: try db.execute(sql: "ROLLBACK TO SAVEPOINT \(quoted); RELEASE SAVEPOINT \(quoted)")
        }
    }

    public func tableExists(_ name: String) throws -> Bool {
        try fetchInt(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE", [.text(name)])
            != nil
    }

    public func columns(in table: String) throws -> [StoreColumn] {
        try fetchAll("PRAGMA table_info(\(dialect.quote(table)))") { row in
            StoreColumn(
                name: row.text(1) ?? "", type: row.text(2) ?? "",
                notNull: row.integer(3) == 1, primaryKey: (row.integer(5) ?? 0) > 0)
        }
    }

    public func readOnlyQuery(
        _ sql: String, _ arguments: [SQLValue], label: String,
        _ body: (any StoreRow) throws -> Bool
    ) throws {
        try sqlGuard.readOnlyQuery(sql, arguments, label: label, in: db, body)
    }

    public var canceller: any StoreCanceller { SQLiteCanceller(handle: db.sqliteConnection) }

    public var heldMemory: Int { sqlGuard.heldMemory(in: db) }
}

/// SQLite's errors (GRDB's `DatabaseError`) tell their kind by result code.
extension DatabaseError: StoreError {
    public var storeFailure: StoreFailure? {
        switch resultCode {
        case .SQLITE_INTERRUPT: return .interrupted
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
        case .SQLITE_CONSTRAINT: break
        default: return nil
        }
        let constraint: StoreFailure.Constraint
        switch extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: constraint = .unique
        case .SQLITE_CONSTRAINT_NOTNULL: constraint = .notNull
        case .SQLITE_CONSTRAINT_FOREIGNKEY: constraint = .foreignKey
        case .SQLITE_CONSTRAINT_CHECK: constraint = .check
        default: constraint = .other
        }
        // "UNIQUE constraint failed: households.number" (the first column when several).
        let message = self.message ?? ""
        guard let colon = message.range(of: "failed: ") else { return .constraint(constraint, table: nil, column: nil) }
        let named = message[colon.upperBound...].prefix { $0 != "," && $0 != " " }
        guard let dot = named.firstIndex(of: ".") else { return .constraint(constraint, table: nil, column: nil) }
        return .constraint(constraint, table: String(named[..<dot]), column: String(named[named.index(after: dot)...]))
    }
}

/// Stops the statement running on a SQLite connection (`sqlite3_interrupt`, safe from any
/// thread while the connection is open).
struct SQLiteCanceller: StoreCanceller, @unchecked Sendable {
    let handle: OpaquePointer?
    func cancel() { if let handle { sqlite3_interrupt(handle) } }
}

/// A GRDB statement run through `StoreStatement`: bound and stepped with `sqlite3_*`.
final class SQLiteStoreStatement: StoreStatement {
    let statement: Statement
    let db: Database

    init(_ statement: Statement, db: Database) {
        self.statement = statement
        self.db = db
    }

    @discardableResult
    func execute(_ arguments: [SQLValue]) throws -> Int {
        try run(arguments)
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    func insert(_ arguments: [SQLValue]) throws -> Int64 {
        try run(arguments)
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    /// Binds and steps until done (rows of a statement run for its effect are skipped).
    private func run(_ arguments: [SQLValue]) throws {
        let handle = statement.sqliteStatement
        SQLiteValues.bind(arguments, handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        if code != SQLITE_DONE { throw SQLiteValues.error(db, statement) }
    }

    func query(_ arguments: [SQLValue], _ body: (any StoreRow) throws -> Bool) throws {
        let handle = statement.sqliteStatement
        SQLiteValues.bind(arguments, handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        let row = SQLiteRow(handle: handle)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw SQLiteValues.error(db, statement) }
            if try !body(row) { return }
        }
    }

    func cursor(_ arguments: [SQLValue]) throws -> any StoreCursor {
        try sqliteCursor(arguments)
    }

    /// `cursor` with the concrete type (RecordRows' column visitor reads it directly).
    func sqliteCursor(_ arguments: [SQLValue]) throws -> SQLiteStoreCursor {
        SQLiteValues.bind(arguments, statement.sqliteStatement)
        return SQLiteStoreCursor(statement, db: db)
    }
}

/// A query's rows stepped one `next()` at a time; the current row is read in place.
@usableFromInline
final class SQLiteStoreCursor: StoreCursor {
    @usableFromInline let statement: Statement
    let db: Database
    /// The statement handle, nil once closed or done.
    @usableFromInline var handle: OpaquePointer?

    init(_ statement: Statement, db: Database) {
        self.statement = statement
        self.db = db
        self.handle = statement.sqliteStatement
    }

    deinit { close() }

    @usableFromInline func next() throws -> Bool {
        guard let handle else { return false }
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE {
            close()
            return false
        }
        let error = SQLiteValues.error(db, statement)
        close()
        throw error
    }

    @usableFromInline func close() {
        guard let handle else { return }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        self.handle = nil
    }

    var row: SQLiteRow? { handle.map(SQLiteRow.init) }

    @usableFromInline var columnCount: Int { Int(sqlite3_column_count(statement.sqliteStatement)) }
    @usableFromInline func columnName(_ index: Int) -> String { statement.columnNames[index] }
    @usableFromInline func value(_ index: Int) -> SQLValue { row?.value(index) ?? .null }
    @usableFromInline func isNull(_ index: Int) -> Bool { row?.isNull(index) ?? true }
    @usableFromInline func integer(_ index: Int) -> Int64? { row?.integer(index) }
    @usableFromInline func withText<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try row?.withText(index, body) ?? nil
    }
}

/// The current row of a stepped SQLite statement.
struct SQLiteRow: StoreRow {
    let handle: OpaquePointer

    var columnCount: Int { Int(sqlite3_column_count(handle)) }

    func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    func value(_ index: Int) -> SQLValue { SQLiteValues.value(handle, Int32(index)) }

    func isNull(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    func integer(_ index: Int) -> Int64? {
        isNull(index) ? nil : sqlite3_column_int64(handle, Int32(index))
    }

    func withText<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return nil }
        return try body(UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, Int32(index)))))
    }
}

/// SQLValue to and from SQLite's C API.
enum SQLiteValues {
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Resets `handle` and binds `arguments` from parameter 1.
    static func bind(_ arguments: [SQLValue], _ handle: OpaquePointer) {
        sqlite3_reset(handle)
        var index: Int32 = 1
        for value in arguments {
            bind(value, handle, index)
            index += 1
        }
    }

    @inline(__always)
    static func bind(_ value: SQLValue, _ handle: OpaquePointer, _ index: Int32) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let integer): sqlite3_bind_int64(handle, index, integer)
        case .real(let double): sqlite3_bind_double(handle, index, double)
        case .text(let string):
            var copy = string
            copy.withUTF8 { buffer in
                if let base = buffer.baseAddress, buffer.count > 0 {
                    _ = sqlite3_bind_text(
                        handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                        Int32(buffer.count), transient)
                } else {
                    _ = sqlite3_bind_text(handle, index, "", 0, transient)
                }
            }
        case .blob(let bytes):
            bytes.withUnsafeBytes { buffer in
                _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), transient)
            }
        }
    }

    /// The value of column `index` of the current row.
    static func value(_ handle: OpaquePointer, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, index) else { return .null }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes = sqlite3_column_blob(handle, index), count > 0 else { return .blob([]) }
            return .blob([UInt8](UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// The connection's last error as GRDB's `DatabaseError` (the type the rest of the SQLite
    /// side and `StorageFailure` read).
    static func error(_ db: Database, _ statement: Statement) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        let extended = sqlite3_extended_errcode(db.sqliteConnection)
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
    }
}

extension SQLValue {
    /// The GRDB value (SQLite side only).
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let i): return i.databaseValue
        case .real(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return Data(b).databaseValue
        }
    }

    /// The value of a GRDB value (SQLite side only).
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let i): self = .integer(i)
        case .double(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .blob(let b): self = .blob([UInt8](b))
        }
    }
}
