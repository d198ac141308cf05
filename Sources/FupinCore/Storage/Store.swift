import Foundation

/// A workspace's store as a whole: it hands out connections inside transactions
/// (`StoreConnection` is what generic code then talks to). SQLite's is a GRDB pool or queue
/// (`SQLiteStore`); PostgreSQL's keeps libpq connections.
///
/// Example:
/// ```swift
/// let n = try store.transaction(rollback: false) { c in try c.fetchInt("SELECT COUNT(*) FROM \"towns\"") ?? 0 }
/// ```
public protocol Store: AnyObject, Sendable {
    /// How SQL text is spelled for this store.
    var dialect: any SQLDialect { get }

    /// Where the store lives (the file or the server it was opened from).
    var location: StoreLocation { get }

    /// Runs `body` in one write transaction on the store's writer connection: rolled back if
    /// `body` throws or `rollback` is set (a dry run), committed otherwise. Writers of one
    /// process run one at a time.
    func transaction<T>(rollback: Bool, _ body: (any StoreConnection) throws -> T) throws -> T

    /// Runs `body` in a read-only transaction that sees one state of the store (a snapshot),
    /// beside any writer.
    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T

    /// Runs `body` in a transaction that only reads, on the connection writers use (SQLite:
    /// a deferred transaction on the writer, which every command has open already, so no
    /// reader connection is opened just to check something at start-up). Default: `read`.
    func readOnWriter<T>(_ body: (any StoreConnection) throws -> T) throws -> T

    /// The columns, by table, that the connected user may not read while it may read others
    /// of the table (PostgreSQL: personal columns of a role granted without `--pii`). Fupin's
    /// record reads select NULL in their place, so the server does not refuse the whole row.
    /// Default: none.
    var unreadableColumns: [String: Set<String>] { get }
}

extension Store {
    public var unreadableColumns: [String: Set<String>] { [:] }

    public func readOnWriter<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try read(body)
    }
}

/// Where a workspace's data is stored: a SQLite file (the embedded default) or a PostgreSQL
/// database named by a connection URI. Credentials never sit in a location: libpq's password
/// file, service file and environment supply them.
///
/// Example: `try StoreLocation(parsing: "postgresql:///fupin?host=/tmp/pg")` is `.postgresql(...)`;
/// `StoreLocation.sqlite(file: Workspace.databaseURL(in: folder))` is a folder's own file.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite database file.
    case sqlite(file: URL)
    /// A private SQLite database in memory (tests, `fupin test`'s scratch workspace).
    case sqliteInMemory
    /// A PostgreSQL database, by its `postgresql://` (or `postgres://`) URI.
    case postgresql(uri: String)

    /// Reads `--store`'s text: a `postgresql:` or `postgres:` URI, or a path to a SQLite file.
    public init(parsing text: String) throws {
        let lower = text.lowercased()
        if lower.hasPrefix("postgresql:") || lower.hasPrefix("postgres:") {
            self = .postgresql(uri: text)
        } else if lower.contains("://") || text.isEmpty {
            throw StoreLocationError(text: text)
        } else {
            self = .sqlite(file: URL(fileURLWithPath: text))
        }
    }

    /// Shown to the user; a URI's password, if one was written into it, is hidden.
    public var description: String {
        switch self {
        case .sqlite(let file): return file.path
        case .sqliteInMemory: return ":memory:"
        case .postgresql(let uri): return StoreLocation.hidingPassword(uri)
        }
    }

    /// `uri` with the password of its user-info part (`user:secret@`) replaced by `***`.
    static func hidingPassword(_ uri: String) -> String {
        guard let scheme = uri.range(of: "://"), let at = uri[scheme.upperBound...].firstIndex(of: "@") else {
            return uri
        }
        let userInfo = uri[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return uri }
        return String(uri[..<uri.index(after: colon)]) + "***" + String(uri[at...])
    }
}

/// `--store` text that names no store Fupin knows.
public struct StoreLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var description: String {
        "--store \(StoreLocation.hidingPassword(text)): not a store (give a SQLite file path or a postgresql:// URI)"
    }
}
