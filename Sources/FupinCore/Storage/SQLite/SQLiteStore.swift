import GRDB

/// `Store` over a GRDB pool (a workspace file: WAL, readers beside the writer) or queue (in
/// memory): each transaction's connection is a `SQLiteConnection` with the workspace's guard.
final class SQLiteStore: Store, @unchecked Sendable {
    let database: any DatabaseWriter
    let sqlGuard: SQLGuard
    let dialect: any SQLDialect
    let location: StoreLocation

    init(database: any DatabaseWriter, sqlGuard: SQLGuard, dialect: any SQLDialect, location: StoreLocation) {
        self.database = database
        self.sqlGuard = sqlGuard
        self.dialect = dialect
        self.location = location
    }

    func connection(_ db: Database) -> SQLiteConnection {
        SQLiteConnection(db, sqlGuard: sqlGuard, dialect: dialect)
    }

    func transaction<T>(rollback: Bool, _ body: (any StoreConnection) throws -> T) throws -> T {
        if !rollback { return try database.write { db in try body(connection(db)) } }
        return try database.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction {
                result = try body(connection(db))
                return .rollback
            }
            guard let result else { throw WorkspaceError.badLedger("dry run produced no result") }
            return result
        }
    }

    func readOnWriter<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db -> T in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(connection(db))
                return .commit
            }
            guard let result else { throw WorkspaceError.badLedger("read produced no result") }
            return result
        }
    }

    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try database.read { db in try body(connection(db)) }
    }
}
