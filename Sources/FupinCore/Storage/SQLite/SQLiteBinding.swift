import GRDB
import GRDBSQLite

/// Direct binding and stepping of a prepared GRDB statement, for the bulk path: binds the
/// row's values with sqlite3_bind_* (no argument arrays) and steps once.
enum SQLiteBinding {
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static let staticDestructor = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    /// Like `execute(_:leading:values:db:)`, but text values are first copied into `arena`
    /// (reused from row to row) and bound with SQLITE_STATIC, so SQLite neither allocates nor
    /// copies them again (the bulk path binds a dozen strings per row). The arena is sized
    /// before anything is bound and is not touched until the bindings are cleared after the step.
    static func execute(
        _ statement: Statement, leading: SQLValue?, values: [SQLValue], db: Database,
        arena: inout [UInt8]
    ) throws {
        var textBytes = 0
        for value in values {
            if case .text(let string) = value { textBytes += string.utf8.count }
        }
        if arena.count < textBytes { arena = [UInt8](repeating: 0, count: max(textBytes, 2 * arena.count, 4096)) }
        let handle = statement.sqliteStatement
        let code: Int32 = arena.withUnsafeMutableBufferPointer { buffer -> Int32 in
            sqlite3_reset(handle)
            var index: Int32 = 1
            if let leading {
                bind(leading, handle, index)
                index += 1
            }
            var offset = 0
            for value in values {
                if case .text(let string) = value, let base = buffer.baseAddress {
                    var copy = string
                    let count = copy.withUTF8 { utf8 -> Int in
                        if let source = utf8.baseAddress, utf8.count > 0 {
                            (base + offset).update(from: source, count: utf8.count)
                        }
                        return utf8.count
                    }
                    let start = UnsafeRawPointer(base + offset).assumingMemoryBound(to: CChar.self)
                    _ = sqlite3_bind_text(handle, index, start, Int32(count), staticDestructor)
                    offset += count
                } else {
                    bind(value, handle, index)
                }
                index += 1
            }
            let code = sqlite3_step(handle)
            if code != SQLITE_DONE && code != SQLITE_ROW { return code }
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            return code
        }
        if code != SQLITE_DONE && code != SQLITE_ROW {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            let extended = sqlite3_extended_errcode(db.sqliteConnection)
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
    }

    /// Binds `leading` (if any) then `values` and executes the statement; throws a GRDB
    /// `DatabaseError` with SQLite's code and message on failure.
    static func execute(_ statement: Statement, leading: SQLValue?, values: [SQLValue], db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var index: Int32 = 1
        if let leading {
            bind(leading, handle, index)
            index += 1
        }
        for value in values {
            bind(value, handle, index)
            index += 1
        }
        let code = sqlite3_step(handle)
        if code != SQLITE_DONE && code != SQLITE_ROW {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            let extended = sqlite3_extended_errcode(db.sqliteConnection)
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }

    /// Runs a one-parameter SELECT and returns the first row's `count` columns by position
    /// (nil when there is no row): no lookup of columns by name.
    static func fetchRow(_ statement: Statement, _ parameter: SQLValue, count: Int, db: Database) throws -> [SQLValue]?
    {
        try firstRow(statement, parameter, db: db) { handle in
            (0..<count).map { SQLiteValues.value(handle, Int32($0)) }
        } ?? nil
    }

    /// Runs a one-parameter SELECT and returns the first column of the first row as Int64
    /// (nil when there is no row or the value is NULL).
    static func fetchInt64(_ statement: Statement, _ parameter: SQLValue, db: Database) throws -> Int64? {
        try firstRow(statement, parameter, db: db) { handle in
            sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        } ?? nil
    }

    /// Binds `parameter`, steps once and reads the row with `read` (nil when there is none);
    /// the statement is reset afterwards.
    private static func firstRow<T>(
        _ statement: Statement, _ parameter: SQLValue, db: Database,
        _ read: (OpaquePointer) -> T
    ) throws -> T? {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        bind(parameter, handle, 1)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return read(handle) }
        if code == SQLITE_DONE { return nil }
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        throw DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)), message: message,
            sql: statement.sql)
    }

    /// Binds UTF-8 `bytes` as text at `index`.
    static func bindText(_ bytes: [UInt8], _ handle: OpaquePointer, _ index: Int32) {
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                _ = sqlite3_bind_text(
                    handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                    Int32(buffer.count), transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, transient)
            }
        }
    }

    /// Steps a statement whose parameters are bound; throws SQLite's error.
    static func step(_ statement: Statement, db: Database) throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        if code != SQLITE_DONE && code != SQLITE_ROW {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            let extended = sqlite3_extended_errcode(db.sqliteConnection)
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }

    @inline(__always)
    static func bind(_ value: SQLValue, _ handle: OpaquePointer, _ index: Int32) {
        SQLiteValues.bind(value, handle, index)
    }
}
