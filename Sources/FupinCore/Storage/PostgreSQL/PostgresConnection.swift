import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq: statements with parameters, streamed
/// results (`forEachRow`), `COPY … FROM STDIN` (`copyIn`) and cancellation from another thread
/// (`makeCanceller`).
///
/// The connection is made from a libpq URI or keyword string. Credentials are libpq's business:
/// its password file (`~/.pgpass`), service file (`~/.pg_service.conf`) and environment
/// (`PGUSER`, `PGPASSWORD`, ...) supply them, so Fupin stores none.
///
/// A connection is used by one thread at a time (libpq's rule); only a `PostgresCanceller`
/// may be used from another.
///
/// Example:
/// ```swift
/// let pg = try PostgresConnection("postgresql:///fupin?host=/tmp/pg")
/// let result = try pg.query("SELECT count(*) FROM households WHERE village_id = $1", [.integer(3)])
/// print(result.value(0, 0))   // .integer(41)
/// ```
public final class PostgresConnection {
    private var handle: OpaquePointer?
    private var cursorCounter = 0

    /// Connects with `uri` (`postgresql://…`, or `host=… dbname=…`; empty for libpq's defaults).
    public init(_ uri: String) throws {
        // libpq is loaded on first use (Sources/CLibPQ/shim.h), so a machine without it runs
        // every SQLite command and refuses only this.
        guard fpq_load() == 1 else {
            throw PostgresError(
                .connectionFailed,
                message: "libpq (libpq.so.5) cannot be loaded: install Debian's libpq5 to use a PostgreSQL store")
        }
        let connection = fpq_PQconnectdb(uri)
        guard let connection else {
            throw PostgresError(.connectionFailed, message: "libpq could not allocate a connection")
        }
        guard fpq_PQstatus(connection) == CONNECTION_OK else {
            let message = fpq_PQerrorMessage(connection).map { String(cString: $0) } ?? "unknown reason"
            fpq_PQfinish(connection)
            throw PostgresError(.connectionFailed, message: PostgresError.trimmed(message))
        }
        // Server notices (e.g. "table does not exist, skipping") are not the user's business here.
        fpq_PQsetNoticeProcessor(connection, { _, _ in }, nil)
        guard fpq_PQsetClientEncoding(connection, "UTF8") == 0 else {
            fpq_PQfinish(connection)
            throw PostgresError(.connectionFailed, message: "the server refused UTF8 as the client encoding")
        }
        handle = connection
    }

    deinit { if let handle { fpq_PQfinish(handle) } }

    /// Closes the connection; later calls throw `.connectionLost`.
    public func close() {
        if let handle { fpq_PQfinish(handle) }
        handle = nil
    }

    /// True while the link to the server is usable.
    public var isConnected: Bool { handle.map { fpq_PQstatus($0) == CONNECTION_OK } ?? false }

    /// The process id of the server backend serving this connection.
    public var backendPID: Int { handle.map { Int(fpq_PQbackendPID($0)) } ?? 0 }

    /// True inside a transaction block (after `BEGIN`, before `COMMIT`/`ROLLBACK`).
    public var inTransaction: Bool {
        guard let handle else { return false }
        return fpq_PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    /// True inside a transaction that a failed statement has aborted: it can only roll back.
    public var inFailedTransaction: Bool {
        guard let handle else { return false }
        return fpq_PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    /// Run (and cleared) before the next statement: ends a COPY the bulk writer left open to
    /// stream rows into, so a statement never meets a connection still in COPY.
    var beforeNextStatement: (() -> Void)?

    /// The live handle, or the error for a closed connection.
    func live() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(.connectionLost, message: "the connection is closed")
        }
        if let pending = beforeNextStatement {
            beforeNextStatement = nil
            pending()
        }
        return handle
    }

    /// Runs `sql`, which may hold several statements and no parameters (DDL, `BEGIN`, ...).
    public func execute(_ sql: String) throws {
        let connection = try live()
        _ = try check(fpq_PQexec(connection, sql), connection)
    }

    /// Runs one statement with `$1`, `$2`, … bound to `parameters` and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresResult {
        let connection = try live()
        let result = PostgresParameters(parameters).withArrays { count, types, values, lengths, formats in
            fpq_PQexecParams(connection, sql, count, types, values, lengths, formats, 0)
        }
        return try check(result, connection)
    }

    /// Wraps a finished result, or throws its error (and frees it).
    func check(_ result: OpaquePointer?, _ connection: OpaquePointer) throws -> PostgresResult {
        guard let result else { throw PostgresError.from(result: nil, connection: connection) }
        switch fpq_PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            fpq_PQclear(result)
            throw PostgresError(.client, message: "a COPY statement was given to query/execute; use copyIn")
        default:
            let error = PostgresError.from(result: result, connection: connection)
            fpq_PQclear(result)
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Inside an open transaction it runs in a savepoint instead.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let nested = inTransaction
        cursorCounter += 1
        let savepoint = "fupin_sp_\(cursorCounter)"
        try execute(nested ? "SAVEPOINT \(savepoint)" : "BEGIN")
        do {
            let value = try body()
            try execute(nested ? "RELEASE SAVEPOINT \(savepoint)" : "COMMIT")
            return value
        } catch {
            if isConnected {
                try? execute(nested ? "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)" : "ROLLBACK")
            }
            throw error
        }
    }

    /// Streams the rows of `sql` through a server-side cursor, `batchSize` rows at a time, so
    /// memory holds one batch however large the result. Outside a transaction it opens (and
    /// then ends) one, as a cursor needs.
    public func forEachRow(
        _ sql: String, _ parameters: [PostgresValue] = [], batchSize: Int = 5_000,
        _ body: (PostgresRow) throws -> Void
    ) throws {
        cursorCounter += 1
        let cursor = "fupin_cursor_\(cursorCounter)"
        let fetch = "FETCH FORWARD \(max(1, batchSize)) FROM \(cursor)"
        try transaction {
            try query("DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)", parameters)
            while true {
                let batch = try query(fetch)
                if batch.rowCount == 0 { break }
                for index in 0..<batch.rowCount {
                    try body(PostgresRow(result: batch, index: index))
                }
            }
            try execute("CLOSE \(cursor)")
        }
    }

    /// A handle that cancels this connection's running statement from any thread.
    public func makeCanceller() throws -> PostgresCanceller {
        let connection = try live()
        guard let cancel = fpq_PQgetCancel(connection) else {
            throw PostgresError(.client, message: "libpq gave no cancel handle for this connection")
        }
        return PostgresCanceller(cancel)
    }
}

/// Cancels the statement running on a connection, from any thread (Ctrl-C, a time limit).
///
/// Example: `DispatchQueue.global().asyncAfter(deadline: .now() + 5) { try? canceller.cancel() }`.
public final class PostgresCanceller: @unchecked Sendable {
    // PGcancel holds a copy of the connection's address and key and is only read by PQcancel,
    // which libpq documents as safe from other threads and signal handlers.
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { fpq_PQfreeCancel(handle) }

    /// Asks the server to cancel the running statement; the statement then fails with
    /// `PostgresError.Kind.cancelled`. Nothing happens when none is running.
    public func cancel() throws {
        var buffer = [CChar](repeating: 0, count: 256)
        let sent = buffer.withUnsafeMutableBufferPointer { fpq_PQcancel(handle, $0.baseAddress, Int32($0.count)) }
        if sent == 0 {
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PostgresError(.client, message: "the cancel request could not be sent: \(message)")
        }
    }
}
