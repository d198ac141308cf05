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
    /// Asked while a unit of work runs whether to stop it (a script's time limit, Ctrl-C): the
    /// workspace's guard, whose checks FupinScripting sets for each unit. SQLite asks its
    /// `shouldStop` between VM steps; here a watchdog asks its thread-safe `shouldCancel` while
    /// the server works (`StopWatchdog`).
    public var stopGuard: SQLGuard?
    public let unreadableColumns: [String: Set<String>]

    /// Connects to the database `uri` names (credentials from libpq's files and environment).
    public init(uri: String) throws {
        location = .postgresql(uri: uri)
        let pg = try PostgresConnection(uri)
        // No JIT compilation for this session (a setting any role may make). Under the access
        // policies the planner prices a role's probes of members high enough to JIT-compile
        // statements that run in tens of milliseconds: measured on the province store
        // (1,000,000 households, PostgreSQL 15, load average 6–9), a one-town role's
        // `count(*)` of training_attendees took 1.21 s by psql with JIT and 0.08 s without
        // (`fupin eval` of `fp.training_attendees:count()`: 1.21–1.31 s against 0.08–0.13 s).
        // Big statements gain nothing measurable from it: by psql, best of 3 with/without,
        // 5,000,000 sales grouped by product 0.90/0.85 s, members joined to households by
        // village 1.17/1.14 s (both JIT-compiled when on); `fp.distributions:group_by('item')
        // :sum('value')` 0.49/0.48 s and `fupin report annual` 1.07/1.01 s (best of 5).
        // docs/postgresql.md, "Access".
        try pg.execute("SET jit = off")
        connection = PostgresStoreConnection(pg, cancelState: PostgresCancelState())
        let withheld = try Self.withheldColumns(pg)
        unreadableColumns = withheld.unreadable
        connection.unreadableColumns = withheld.unreadable
        connection.uninsertableColumns = withheld.uninsertable
    }

    /// The columns of this schema's tables that the user may not select while it may select
    /// some other column of the same table, and those it may not insert while it may insert
    /// some other (column privileges, `AccessPolicy`: a role's personal columns without `pii`).
    static func withheldColumns(_ pg: PostgresConnection) throws -> (
        unreadable: [String: Set<String>], uninsertable: [String: Set<String>]
    ) {
        let rows = try pg.query(
            """
            WITH p AS (
              SELECT c.relname, a.attname, has_column_privilege(c.oid, a.attnum, 'SELECT') AS r,
                     has_column_privilege(c.oid, a.attnum, 'INSERT') AS w
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped)
            SELECT relname, attname, unreadable, uninsertable FROM (
              SELECT relname, attname, NOT r AND bool_or(r) OVER t AS unreadable,
                     NOT w AND bool_or(w) OVER t AS uninsertable
              FROM p WINDOW t AS (PARTITION BY relname)) q
            WHERE unreadable OR uninsertable
            """
        ).rows
        var unreadable: [String: Set<String>] = [:]
        var uninsertable: [String: Set<String>] = [:]
        for row in rows {
            guard let table = row[0].text, let column = row[1].text else { continue }
            if row[2] == .integer(1) { unreadable[table, default: []].insert(column) }
            if row[3] == .integer(1) { uninsertable[table, default: []].insert(column) }
        }
        return (unreadable, uninsertable)
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
        let watchdog = stopGuard.map { StopWatchdog(guard: $0, canceller: connection.canceller) }
        defer { watchdog?.stop() }
        try pg.execute(begin)
        do {
            let value = try body(connection)
            // PostgreSQL answers COMMIT in an aborted transaction with a quiet rollback: a
            // failure the body caught must not pass for a commit.
            if commit && pg.inFailedTransaction {
                throw PostgresError(
                    .server, sqlState: "25P02",
                    message: "a statement of this unit of work failed, so the unit was rolled back; nothing was written"
                )
            }
            try pg.execute(commit ? "COMMIT" : "ROLLBACK")
            return value
        } catch {
            if pg.isConnected { try? pg.execute("ROLLBACK") }
            throw error
        }
    }
}

/// Polls a guard's `shouldCancel` every 20 ms from a timer thread while a unit of work runs, and
/// cancels the connection's statement (PQcancel, so the server stops it) the first time it says
/// stop. Why a thread: during a statement the unit's own thread waits inside libpq, so nothing
/// there can ask. It asks the guard's `shouldCancel`, which only reads the Lua state's
/// deadline and interrupt flag (the unit's thread may be running Lua or host code meanwhile);
/// the cancelled statement fails on the unit's thread, which then trips the state itself.
final class StopWatchdog: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var fired = false

    init(guard sqlGuard: SQLGuard, canceller: any StoreCanceller) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(20))
        // Weak: `cancel()` does not wait for a handler already under way, which may then run
        // after the watchdog is gone (an unowned reference crashed the test process).
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.withLock {
                guard !self.fired, sqlGuard.shouldCancel?() == true else { return }
                self.fired = true
                canceller.cancel()
            }
        }
        timer.resume()
    }

    /// Stops polling; once it returns no poll runs or cancels any more (a poll holds the lock).
    func stop() {
        timer.cancel()
        lock.withLock { fired = true }
    }
}
