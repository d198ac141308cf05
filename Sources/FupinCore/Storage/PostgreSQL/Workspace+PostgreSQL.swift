import Foundation

/// Opening a workspace whose store is a PostgreSQL database.
extension Workspace {
    /// A workspace over the PostgreSQL database `uri` names, its schema created or checked
    /// first (`PostgresSchema.migrate`). Credentials come from libpq (password file, service
    /// file, environment). `folder` holds the workspace's plugins and scripts, nil for none.
    ///
    /// Example: `try Workspace.open(.postgresql(uri: "postgresql:///fupin?host=/run/postgresql"), folder: nil)`.
    static func openPostgreSQL(uri: String, folder: URL?, options: Options) throws -> Workspace {
        do {
            let setup = try PostgresConnection(uri)
            try PostgresSchema.migrate(setup)
            setup.close()
            let store = try PostgresStore(uri: uri)
            let sqlGuard = SQLGuard()
            store.stopGuard = sqlGuard
            return Workspace(folder: folder, store: store, sqlGuard: sqlGuard, readOnly: options.readOnly)
        } catch let error as PostgresError where error.kind == .connectionFailed {
            // Named as the user wrote it, without a password written into the URI.
            throw StorageFailure("\(StoreLocation.postgresql(uri: uri)): \(error)")
        }
    }
}
