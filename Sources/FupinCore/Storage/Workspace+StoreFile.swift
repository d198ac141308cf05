import Foundation

/// Which store a workspace folder uses: its own `fupin.sqlite`, or the PostgreSQL database its
/// `fupin.store` file names (docs/postgresql.md "A workspace over PostgreSQL").
///
/// `fupin.store` is a text file: one line holding the store's `postgresql:` URI, without a
/// password; blank lines and lines starting with `#` are ignored.
///
/// Example: a folder with `fupin.store` holding `postgresql:///county?host=/run/postgresql`
/// opens that database with `Workspace.open(at: folder)`.
extension Workspace {
    /// The file that names a workspace folder's PostgreSQL store.
    public static let storeFileName = "fupin.store"

    /// Whether `folder` holds a workspace: its `fupin.sqlite`, or `fupin.store` naming a
    /// PostgreSQL store (checked when opened).
    public static func holdsWorkspace(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: databaseURL(in: folder).path)
            || FileManager.default.fileExists(atPath: storeFileURL(in: folder).path)
    }

    /// The store file of a workspace folder.
    public static func storeFileURL(in folder: URL) -> URL {
        folder.appendingPathComponent(storeFileName)
    }

    /// Where the workspace in `folder` keeps its data: the store `fupin.store` names, else the
    /// folder's `fupin.sqlite`, else nil (no workspace). A store file that names no
    /// PostgreSQL store, or holds a password, is an error naming the file.
    public static func storeLocation(in folder: URL) throws -> StoreLocation? {
        let storeFile = storeFileURL(in: folder)
        if FileManager.default.fileExists(atPath: storeFile.path) {
            return .postgresql(uri: try readStoreFile(storeFile))
        }
        let database = databaseURL(in: folder)
        return FileManager.default.fileExists(atPath: database.path) ? .sqlite(file: database) : nil
    }

    /// The URI a store file holds, checked.
    static func readStoreFile(_ file: URL) throws -> String {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw StorageFailure("\(file.path): cannot be read as text (\(error.localizedDescription))")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1, case .postgresql(let uri)? = try? StoreLocation(parsing: lines[0]) else {
            throw StorageFailure(
                "\(file.path): should hold one line, the store's postgresql:// URI (found \(lines.count == 1 ? "\"\(StoreLocation.hidingPassword(lines[0]))\"" : "\(lines.count) lines"))"
            )
        }
        if let problem = StoreLocation.passwordProblem(uri) { throw StorageFailure("\(file.path): \(problem)") }
        return uri
    }

    /// Makes a workspace in `folder` over the PostgreSQL store `uri`: the schema is created (or
    /// checked) in the database, then `fupin.store` is written. A database that already holds a
    /// Fupin store is refused unless `attach` is set (another analyst's folder over a shared
    /// store, or this folder made again); a URI holding a password is refused.
    ///
    /// Example: `try Workspace.createPostgreSQL(at: folder, uri: "postgresql:///county?host=/run/postgresql")`.
    public static func createPostgreSQL(at folder: URL, uri: String, attach: Bool = false, options: Options = Options())
        throws -> Workspace
    {
        if let problem = StoreLocation.passwordProblem(uri) { throw StorageFailure(problem) }
        let storeFile = storeFileURL(in: folder)
        for existing in [storeFile, databaseURL(in: folder)] where FileManager.default.fileExists(atPath: existing.path)
        {
            throw WorkspaceError.alreadyExists(path: folder.path)
        }
        let existing: Bool
        do {
            let probe = try PostgresConnection(uri)
            defer { probe.close() }
            existing =
                try probe.query("SELECT to_regclass($1) IS NOT NULL", [.text(PostgresSchema.migrationsTable)]).value(
                    0, 0) == .integer(1)
        } catch let error as PostgresError where error.kind == .connectionFailed {
            throw StorageFailure("\(StoreLocation.postgresql(uri: uri)): \(error)")
        }
        if existing && !attach { throw StoreInUse(store: .postgresql(uri: uri), folder: folder) }
        let workspace = try openPostgreSQL(uri: uri, folder: folder, options: options)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text =
            "# The PostgreSQL store of this workspace (credentials: ~/.pgpass, ~/.pg_service.conf, PG* variables)\n\(uri)\n"
        try Data(text.utf8).write(to: storeFile, options: .withoutOverwriting)
        return workspace
    }
}

/// `createPostgreSQL` was given a database that already holds a Fupin store (and no `attach`).
public struct StoreInUse: Error, Sendable, CustomStringConvertible {
    public var store: StoreLocation
    public var folder: URL

    public var description: String {
        "\(store) already holds a Fupin store; nothing was changed — give --attach to make \(folder.path) a workspace over it (as another analyst of the same store does), or name an empty database"
    }
}

extension StoreLocation {
    /// Why `uri` must not be written down (a password in its user-info part or a `password`
    /// parameter), or nil when it holds none.
    public static func passwordProblem(_ uri: String) -> String? {
        let hidden = hidingPassword(uri)
        let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let hasParameter = query.split(separator: "&").contains { $0.lowercased().hasPrefix("password=") }
        guard hidden != uri || hasParameter else { return nil }
        return
            "the store URI holds a password, which fupin will not write into the workspace; remove it and let libpq find it: a line HOST:PORT:DB:ROLE:PASSWORD in ~/.pgpass (mode 0600), a service in ~/.pg_service.conf (postgresql:///?service=NAME), or PGPASSWORD in the environment"
    }
}
