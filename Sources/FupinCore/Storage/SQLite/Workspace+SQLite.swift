import Foundation
import GRDB

/// Opening a workspace's SQLite file (GRDB pool, or a queue in memory), its connection
/// settings and migrations, and the GRDB-level access SQLite-only code and tests use.
extension Workspace {
    /// Creates a new workspace in `folder` (created if missing); fails if it already holds one.
    public static func create(at folder: URL, options: Options = Options()) throws -> Workspace {
        let file = databaseURL(in: folder)
        if FileManager.default.fileExists(atPath: file.path) { throw WorkspaceError.alreadyExists(path: folder.path) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try openSQLite(file: file, folder: folder, options: options)
    }

    /// Opens the workspace in `folder`, upgrading its database with any migrations it lacks:
    /// the PostgreSQL store its `fupin.store` names, else its `fupin.sqlite`.
    public static func open(at folder: URL, options: Options = Options()) throws -> Workspace {
        try open(storeLocation(in: folder) ?? .sqlite(file: databaseURL(in: folder)), folder: folder, options: options)
    }

    /// Opens an existing SQLite file (checked to be a database first).
    static func openExistingSQLite(file: URL, folder: URL?, options: Options) throws -> Workspace {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw WorkspaceError.noWorkspace(path: (folder ?? file.deletingLastPathComponent()).path)
        }
        try StorageFailure.checkExistingFile(file)
        return try openSQLite(file: file, folder: folder, options: options)
    }

    /// A private in-memory workspace (tests, `fupin test`'s scratch database).
    public static func inMemory() throws -> Workspace {
        let sqlGuard = SQLGuard()
        let queue = try DatabaseQueue(configuration: configuration(Options(), sqlGuard: sqlGuard))
        let store = SQLiteStore(
            database: queue, sqlGuard: sqlGuard, dialect: SQLiteDialect(), location: .sqliteInMemory)
        let workspace = Workspace(folder: nil, store: store, sqlGuard: sqlGuard)
        try workspace.migrate()
        return workspace
    }

    private static func openSQLite(file: URL, folder: URL?, options: Options) throws -> Workspace {
        let sqlGuard = SQLGuard()
        // Else GRDB commits a dummy transaction to create the log (WALPlaceholder.swift).
        if !options.readOnly { WALPlaceholder.prepare(forDatabase: file.path) }
        let pool = try DatabasePool(path: file.path, configuration: configuration(options, sqlGuard: sqlGuard))
        let store = SQLiteStore(
            database: pool, sqlGuard: sqlGuard, dialect: SQLiteDialect(), location: .sqlite(file: file))
        let workspace = Workspace(folder: folder, store: store, sqlGuard: sqlGuard, readOnly: options.readOnly)
        if !options.readOnly { try workspace.migrate() }
        return workspace
    }

    static func configuration(_ options: Options, sqlGuard: SQLGuard) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.readonly = options.readOnly
        configuration.label = "fupin"
        configuration.prepareDatabase { db in
            sqlGuard.install(on: db)
            // WAL makes NORMAL durable across application crashes; a larger page cache keeps
            // bulk imports from spilling pages mid-transaction.
            if !options.readOnly {
                // 16 KiB pages for new databases (ignored for existing ones): ledgers are scanned
                // and bulk-loaded more than they are randomly updated; a national import costs
                // about a sixth less than with 4 KiB pages (fewer B-tree levels, WAL frames and
                // overflow pages for the audit log).
                try db.execute(sql: "PRAGMA page_size = 16384")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try db.execute(sql: "PRAGMA cache_size = -\(Workspace.readCacheKiB)")
            try db.execute(sql: "PRAGMA mmap_size = \(Workspace.mmapBytes)")
            if options.traceSQL {
                // Statements only, with `?` for values: no personal data reaches the trace.
                db.trace { event in Workspace.writeTrace("\(event)") }
            }
        }
        return configuration
    }

    /// The page cache (KiB) of every connection: modest, because most units of work scan a
    /// table once (a query, an `iter`, a report) and a cache that fills as it reads costs more
    /// than it saves — a 64 MB cache made a 600,000-row `group_by` a third slower than the same
    /// SQL in the sqlite3 shell (page allocation and faults) and added its size to peak memory.
    /// Bulk writers raise it for their transaction (`bulkCacheKiB`).
    public static let readCacheKiB = 8192

    /// Writes one traced statement to standard error.
    static func writeTrace(_ text: String) {
        FileHandle.standardError.write(Data(("sql: " + text + "\n").utf8))
    }

    /// How much of the database file SQLite reads through a memory map instead of `read(2)`.
    /// Why: a report reads a unit's rows of sales, distributions and visits, scattered one or two
    /// to a page across a large file; through the map each page is read in place instead of
    /// copied into the page cache. At province scale (1.9 GB) the annual summary costs a third
    /// less CPU; a sequential scan of a whole table about 5 % more (BENCHMARKS.md). Peak resident
    /// memory then counts the mapped pages, which the kernel shares with its file cache.
    /// SQLite caps the map at its compile-time SQLITE_MAX_MMAP_SIZE (0x7fff0000, 2 GB, in
    /// Debian's library): the part of a larger file beyond it is read with `read(2)` as before.
    public static let mmapBytes = 1 << 34

    /// The page cache (KiB) for bulk writes: large enough that an import's index pages are not
    /// spilled and re-read mid-transaction. A national import of 1,000,000 people costs the same
    /// CPU with 64 MB as with 256 MB (16 KiB pages) and peaks 200 MB lower (BENCHMARKS.md).
    public static let bulkCacheKiB = 65536

    /// Runs `body` with the connection's page cache at `bulkCacheKiB` on SQLite, restored
    /// afterwards (other stores tune bulk writes themselves).
    static func withBulkPageCache<T>(_ store: any StoreConnection, _ body: () throws -> T) throws -> T {
        guard let sqlite = store as? SQLiteConnection else { return try body() }
        return try withBulkPageCache(sqlite.db, body)
    }

    /// Runs `body` with the connection's page cache at `bulkCacheKiB`, restored afterwards.
    static func withBulkPageCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -readCacheKiB
        try db.execute(sql: "PRAGMA cache_size = -\(bulkCacheKiB)")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(previous)") }
        return try body()
    }

    /// Checks the applied migrations on the writer connection and runs the migrator only when
    /// one is missing: every command opens the workspace, and asking through a reader (a second
    /// connection, its own schema parse) and then the migrator cost a tenth of `fupin eval`'s
    /// start-up instructions (callgrind) on a database that is almost always current.
    func migrate() throws {
        let migrator = Migrations.migrator
        let pending = try database.writeWithoutTransaction { db -> Bool in
            let applied = try migrator.appliedIdentifiers(db)
            let unknown = applied.subtracting(Migrations.identifiers)
            if !unknown.isEmpty { throw WorkspaceError.newerDatabase(unknownMigrations: unknown.sorted()) }
            return !applied.isSuperset(of: Migrations.identifiers)
        }
        guard pending else { return }
        try migrator.migrate(database)
    }

    /// The GRDB database of a SQLite store (SQLite-only code: backup, typed records, tests);
    /// a `StorageFailure` for any other store.
    var database: any DatabaseWriter {
        get throws {
            guard let sqlite = store as? SQLiteStore else {
                throw StorageFailure("this workspace's store is not SQLite")
            }
            return sqlite.database
        }
    }

    // MARK: Transactions

    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    /// Nest units of work with `db.inSavepoint`.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try database.write(body)
    }

    /// Runs `body` in a write transaction and always rolls it back (`--dry-run`): returns what
    /// `body` returned, changes nothing.
    public func dryRun<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction {
                result = try body(db)
                return .rollback
            }
            guard let result else { throw WorkspaceError.badLedger("dry run produced no result") }
            return result
        }
    }

    /// Runs `body` with read access (a snapshot in WAL mode).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try database.read(body)
    }
}
