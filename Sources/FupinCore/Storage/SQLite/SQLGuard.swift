import CSQLiteGuard
import Foundation
import GRDB
import GRDBSQLite

/// SQLite-level enforcement on every connection of a workspace: the defensive settings, an
/// authorizer that holds read-only statements to reading, and a progress handler that stops a
/// running statement when the caller's time limit passes or the user presses Ctrl-C.
///
/// Why in SQLite itself: a textual check of SQL misses forms (`PRAGMA query_only(1)`), and flag
/// pragmas take effect while the statement is *compiled*, before any check after preparing
/// could refuse it. The authorizer is asked by SQLite about every action and function of a
/// statement as it compiles (and recompiles), so nothing it refuses ever runs.
///
/// The authorizer replaces GRDB's (SQLite keeps one per connection). GRDB's only records what
/// statements touch for its observation features, which Fupin does not use; the schema cache
/// it would clear after DDL is cleared by `Workspace+Ledgers` itself.
///
/// Example (the host, before running a unit of Lua):
/// ```swift
/// workspace.sqlGuard.shouldStop = { lua.limitReached() }
/// try unit.store.readOnlyQuery("SELECT ...", [], label: "fp.sql") { row in ...; return true }
/// ```
public final class SQLGuard: @unchecked Sendable {
    /// Asked every `progressSteps` virtual-machine steps while any statement runs; returning
    /// true stops the statement with SQLITE_INTERRUPT (the unit then rolls back). Set by the
    /// host around its units of work; nil asks nothing. Asked on the unit's own thread only,
    /// so it may read and change the host's state.
    public var shouldStop: (() -> Bool)?

    /// Asked every 20 ms from a PostgreSQL store's timer thread while a unit of work runs
    /// (`StopWatchdog`): true sends the server a cancel request. It runs beside the unit's
    /// thread, so it must only read what is safe to read from another thread (the Lua state's
    /// interrupt flag and deadline, `LuaInterruptHandle.isStopDue`); the unit's thread works out
    /// why when the cancelled statement returns. Under a lock: set on the unit's thread.
    public var shouldCancel: (@Sendable () -> Bool)? {
        get { cancelLock.withLock { cancelCheck } }
        set { cancelLock.withLock { cancelCheck = newValue } }
    }
    private let cancelLock = NSLock()
    private var cancelCheck: (@Sendable () -> Bool)?

    /// How often (in SQLite VM steps) `shouldStop` is asked: a few microseconds of work apart,
    /// so a limit holds within a millisecond while the check costs well under 1 % of a scan.
    public static let progressSteps: Int32 = 1000

    /// What `fupin_sqlite_harden` could not turn on, on any connection (0 when all hold):
    /// `readOnlyRows` refuses to run while it is not 0.
    public private(set) var hardeningFailures: Int32 = 0

    /// Per-connection state the authorizer reads: whether the statement being compiled or run
    /// must only read, and why it was refused.
    final class Connection {
        let handle: OpaquePointer
        var readOnly = false
        var refusal: String?
        var label = "read-only SQL"
        init(handle: OpaquePointer) { self.handle = handle }
    }

    private var connections: [Connection] = []
    private let lock = NSLock()

    public init() {}

    /// Installs the settings, the authorizer and the progress handler on a new connection.
    func install(on db: Database) {
        guard let handle = db.sqliteConnection else { return }
        let failures = fupin_sqlite_harden(handle)
        let connection = Connection(handle: handle)
        lock.withLock {
            hardeningFailures |= failures
            connections.append(connection)
        }
        sqlite3_set_authorizer(
            handle,
            { arg, action, first, second, _, _ in
                guard let arg else { return SQLITE_OK }
                let connection = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
                guard connection.readOnly else { return SQLITE_OK }
                if let refusal = ReadOnlyPolicy.refusal(
                    action, first.map { String(cString: $0) }, second.map { String(cString: $0) },
                    label: connection.label)
                {
                    if connection.refusal == nil { connection.refusal = refusal }
                    return SQLITE_DENY
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(connection).toOpaque())
        sqlite3_progress_handler(
            handle, SQLGuard.progressSteps,
            { arg in
                guard let arg else { return 0 }
                let guardian = Unmanaged<SQLGuard>.fromOpaque(arg).takeUnretainedValue()
                return guardian.shouldStop?() == true ? 1 : 0
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Bytes SQLite holds for the whole process beyond `db`'s page cache: prepared and running
    /// statements, sorters, temporary b-trees, result buffers. The host compares it with a
    /// figure taken when a plugin command starts to charge what the command makes SQLite hold.
    /// (The page cache is the connection's, bounded by `Workspace.readCacheKiB`, and outlives
    /// any one command, so it is left out.)
    public func heldMemory(in db: Database) -> Int {
        var cache: Int32 = 0
        var highwater: Int32 = 0
        if let handle = db.sqliteConnection {
            _ = sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_USED, &cache, &highwater, 0)
        }
        return max(0, Int(sqlite3_memory_used()) - Int(cache))
    }

    /// The state of the connection behind `db`, if the guard was installed on it.
    func connection(of db: Database) -> Connection? {
        guard let handle = db.sqliteConnection else { return nil }
        // The latest with this handle: a closed connection's address may be reused by a new one.
        return lock.withLock { connections.last { $0.handle == handle } }
    }
}

/// A refusal of a read-only statement by the SQL guard: names what was refused.
public struct ReadOnlySQLRefusal: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension SQLGuard {
    /// `StoreConnection.readOnlyQuery` on SQLite: runs one statement with the guard's read-only
    /// policy in force while it compiles and runs (reads only, reading pragmas only, no ATTACH,
    /// no transaction control, functions from `ReadOnlyPolicy.functions` only) and SQLite's
    /// read-only flag as the second opinion. `label` starts every refusal ("fp.sql is read-only: ...").
    func readOnlyQuery(
        _ sql: String, _ arguments: [SQLValue], label: String, in db: Database,
        _ body: (any StoreRow) throws -> Bool
    ) throws {
        let sqlGuard = self
        guard let connection = sqlGuard.connection(of: db), sqlGuard.hardeningFailures == 0 else {
            throw ReadOnlySQLRefusal(
                message: "\(label) is unavailable: SQLite's defensive settings could not be turned on for this database"
            )
        }
        connection.readOnly = true
        connection.refusal = nil
        connection.label = label
        defer {
            connection.readOnly = false
            connection.refusal = nil
        }
        let statement: Statement
        do { statement = try db.makeStatement(sql: sql) } catch {
            if let refusal = connection.refusal { throw ReadOnlySQLRefusal(message: refusal) }
            throw ReadOnlySQLRefusal(
                message:
                    "\(label) runs one valid read-only statement: \((error as? DatabaseError)?.message ?? "\(error)")")
        }
        // The authorizer sees no action for an empty statement and lets every read through:
        // SQLite's own flag is the second opinion on writes.
        guard statement.isReadonly else {
            throw ReadOnlySQLRefusal(message: "\(label) is read-only: this statement would write")
        }
        let parameters = Int(sqlite3_bind_parameter_count(statement.sqliteStatement))
        guard parameters == arguments.count else {
            throw ReadOnlySQLRefusal(
                message:
                    "\(label): wrong number of statement arguments: \(arguments.count) given, \(parameters) expected")
        }
        do {
            try SQLiteStoreStatement(statement, db: db).query(arguments, body)
        } catch let error as DatabaseError {
            if let refusal = connection.refusal { throw ReadOnlySQLRefusal(message: refusal) }
            throw error
        }
    }
}
