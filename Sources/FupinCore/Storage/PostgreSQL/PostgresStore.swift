import Foundation

/// `Store` over one PostgreSQL database: one libpq connection, on which this process's units
/// of work run one at a time (the server lets other processes write beside it). Writes run in
/// READ COMMITTED transactions; reads in a REPEATABLE READ, READ ONLY transaction, so a read
/// sees one state of the store.
///
/// Example: `let store = try PostgresStore(uri: "postgresql:///fupin?host=/run/postgresql")`.
public final class PostgresStore: Store, @unchecked Sendable {
    public let dialect: any SQLDialect = PostgresDialect()
    public let location: StoreLocation
    private let lock = NSLock()
    private let connection: PostgresStoreConnection

    /// Connects to the database `uri` names (credentials from libpq's files and environment).
    public init(uri: String) throws {
        location = .postgresql(uri: uri)
        connection = PostgresStoreConnection(try PostgresConnection(uri), cancelState: PostgresCancelState())
    }

    public func transaction<T>(rollback: Bool, _ body: (any StoreConnection) throws -> T) throws -> T {
        try run(begin: "BEGIN", commit: !rollback, body)
    }

    public func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try run(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", commit: true, body)
    }

    /// Runs `body` in a transaction opened with `begin`; committed when `commit` and `body`
    /// returns, rolled back otherwise.
    private func run<T>(begin: String, commit: Bool, _ body: (any StoreConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        connection.cancelState.clear()
        let pg = connection.connection
        try pg.execute(begin)
        do {
            let value = try body(connection)
            // PostgreSQL answers COMMIT in an aborted transaction with a quiet rollback: a
            // failure the body caught must not pass for a commit.
            if commit && pg.inFailedTransaction {
                throw PostgresError(.server, sqlState: "25P02",
                                    message: "a statement of this unit of work failed, so the unit was rolled back; nothing was written")
            }
            try pg.execute(commit ? "COMMIT" : "ROLLBACK")
            return value
        } catch {
            if pg.isConnected { try? pg.execute("ROLLBACK") }
            throw error
        }
    }
}
