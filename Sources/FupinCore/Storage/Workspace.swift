import Foundation

/// A workspace: a folder holding `fupin.sqlite`, or `fupin.store` naming a PostgreSQL store
/// (`Workspace+StoreFile.swift`), and optionally plugins/, Scripts/, exports/.
/// The facade over its store: migrations, the schema (core collections and registered
/// plugin ledgers), transactions, validated and audited writes, derived figures. Generic code
/// reaches the store through `store` (`Store`, `StoreConnection`); opening a SQLite file and
/// its GRDB-level access live in `Storage/SQLite/Workspace+SQLite.swift`.
///
/// The SQLite database runs in WAL mode with foreign keys on and a busy timeout, so two fupin
/// processes can share a workspace.
///
/// Example:
/// ```swift
/// let ws = try Workspace.create(at: URL(fileURLWithPath: "/tmp/demo"))
/// let id = try ws.insert("towns", ["name": "乌兰木伦镇"], context: WriteContext(operator: "me", source: "repl"))
/// ```
public final class Workspace: @unchecked Sendable {
    /// The database file name inside a workspace folder.
    public static let databaseFileName = "fupin.sqlite"

    /// How a workspace database is opened.
    public struct Options: Sendable {
        /// Seconds to wait for another process's lock before failing (default 5).
        public var busyTimeout: Double
        /// Open read-only (no migrations are run; the database must be current).
        public var readOnly: Bool
        /// Print every statement SQLite runs to standard error, with `?` for its values (for
        /// finding out what a script or report asks of the database). Default: whether the
        /// environment sets `FUPIN_TRACE_SQL`.
        public var traceSQL: Bool

        public init(
            busyTimeout: Double = 5, readOnly: Bool = false,
            traceSQL: Bool = getenv("FUPIN_TRACE_SQL").map { $0.pointee != 0 } ?? false
        ) {
            self.busyTimeout = busyTimeout
            self.readOnly = readOnly
            self.traceSQL = traceSQL
        }
    }

    /// The workspace folder (nil for an in-memory workspace).
    public let folder: URL?
    /// How SQL text is spelled for this database.
    public let dialect: any SQLDialect
    /// The store behind the workspace, as generic code sees it (transactions handing out
    /// `StoreConnection`s).
    public let store: any Store
    /// Opened read-only: plugin ledgers are checked against the database but not created.
    public let isReadOnly: Bool
    /// SQLite-level enforcement on every connection (read-only policy, time limit, Ctrl-C).
    public let sqlGuard: SQLGuard

    private let lock = NSLock()
    private var currentSchema: Schema
    private var compiledCache: [String: CompiledCollection] = [:]

    /// A workspace over `store` (opened by the store's own code: `Workspace+SQLite`).
    init(folder: URL?, store: any Store, sqlGuard: SQLGuard, readOnly: Bool = false) {
        self.folder = folder
        self.sqlGuard = sqlGuard
        self.isReadOnly = readOnly
        self.store = store
        self.dialect = store.dialect
        self.currentSchema = Schema.core
    }

    /// The database file of a workspace folder.
    public static func databaseURL(in folder: URL) -> URL {
        folder.appendingPathComponent(databaseFileName)
    }

    /// Opens the workspace whose data is at `location`, upgrading it with any migrations it
    /// lacks; `folder` is the workspace folder (plugins, scripts, exports), nil for none.
    /// Each kind of store is opened by its own code (`Storage/SQLite`); a store this build
    /// cannot open is refused with a message naming it.
    ///
    /// Example: `try Workspace.open(.sqlite(file: Workspace.databaseURL(in: folder)), folder: folder)`.
    public static func open(_ location: StoreLocation, folder: URL?, options: Options = Options()) throws -> Workspace {
        switch location {
        case .sqlite(let file): return try openExistingSQLite(file: file, folder: folder, options: options)
        case .sqliteInMemory: return try inMemory()
        case .postgresql(let uri): return try openPostgreSQL(uri: uri, folder: folder, options: options)
        }
    }

    // MARK: Schema

    /// The collections of this workspace: `Schema.core` plus registered plugin ledgers.
    public var schema: Schema {
        lock.lock()
        defer { lock.unlock() }
        return currentSchema
    }

    /// The description of collection `name`, or nil.
    public func collection(_ name: String) -> CollectionSchema? { schema[name] }

    func replaceSchema(_ schema: Schema) {
        lock.lock()
        currentSchema = schema
        compiledCache = [:]
        lock.unlock()
    }

    func compiled(_ name: String) -> CompiledCollection? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = compiledCache[name] { return cached }
        guard let collection = currentSchema[name] else { return nil }
        let compiled = CompiledCollection(collection, dialect: dialect, unreadable: store.unreadableColumns[name] ?? [])
        compiledCache[name] = compiled
        return compiled
    }

    func requireCompiled(_ name: String) throws -> CompiledCollection {
        guard let compiled = compiled(name) else { throw WorkspaceError.unknownCollection(name) }
        return compiled
    }

    func engine(_ name: String, _ store: any StoreConnection, _ context: WriteContext, today: CalendarDate? = nil)
        throws -> RecordEngine
    {
        RecordEngine(
            store: store, compiled: try requireCompiled(name), resolve: { [unowned self] in self.compiled($0) },
            context: context, today: today ?? CalendarDate.today())
    }
}
