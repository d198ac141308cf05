import Foundation
import FupinCore

/// `fupin backup`/`restore` for a PostgreSQL store: PostgreSQL's own tools, `pg_dump` in its
/// custom format (compressed, one file, restored table by table) and `pg_restore`, which
/// database administrators already trust and schedule. Fupin finds them on PATH and says how
/// to install them when they are missing; credentials are libpq's, as for every connection.
///
/// Example: `try PostgresBackup.dump(uri: "postgresql:///county?host=/run/postgresql", to: "/backups/county.dump")`
enum PostgresBackup {
    /// The Debian package that holds the tools.
    static let package = "postgresql-client"

    /// Dumps the store at `uri` into the new file `path` (custom format) and checks that
    /// `pg_restore` can read the file; returns its size and how many tables' data it holds.
    static func dump(uri: String, to path: String) throws -> (bytes: Int64, tables: Int) {
        if FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("\(path) already exists; a backup never overwrites a file — choose a new name")
        }
        // Row-level security stays on: the owner's all-towns grant reads every row, and a
        // role bound by the policies dumps what it may read instead of failing half-way.
        let (status, output) = try runTool(
            "pg_dump",
            [
                "--format=custom", "--enable-row-security", "--no-owner",
                "--file=\(path)", "--dbname=\(uri)",
            ])
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw CommandFailure(
                "pg_dump of \(StoreLocation.postgresql(uri: uri)) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines)); no backup was written"
            )
        }
        let (listed, list) = try runTool("pg_restore", ["--list", path])
        guard listed == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw CommandFailure(
                "pg_restore cannot read the dump pg_dump wrote (\(list.trimmingCharacters(in: .whitespacesAndNewlines))); it was removed"
            )
        }
        let tables = list.split(separator: "\n").filter { $0.contains(" TABLE DATA ") }.count
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
        return (bytes, tables)
    }

    /// Restores the dump at `path` into the empty database `uri`, in one transaction: an
    /// error leaves the database as it was.
    static func restore(from path: String, into uri: String) throws -> Int64 {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("\(path): no such file") }
        let store = try PostgresStore(uri: uri)
        let tables = try StoreCopy.tableNames(in: store)
        if !tables.isEmpty {
            throw CommandFailure(
                "\(store.location): the database is not empty (it holds \(tables.prefix(5).joined(separator: ", "))\(tables.count > 5 ? ", …" : "")); restore into a new, empty database (CREATE DATABASE … OWNER …); nothing was changed"
            )
        }
        let (status, output) = try runTool(
            "pg_restore",
            [
                "--single-transaction", "--exit-on-error", "--no-owner",
                "--dbname=\(uri)", path,
            ])
        guard status == 0 else {
            throw CommandFailure(
                "pg_restore of \(path) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines)); nothing was restored"
            )
        }
        return try store.read { c in try c.fetchInt(#"SELECT count(*) FROM "audit_log""#) ?? 0 }
    }

    /// Runs a PostgreSQL client tool found on PATH; returns its exit status and what it printed.
    static func runTool(_ name: String, _ arguments: [String]) throws -> (Int32, String) {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let executable = found else {
            throw CommandFailure(
                "\(name) is not installed (it is not on PATH); backups of a PostgreSQL store use PostgreSQL's own tools: install them (Debian: apt-get install \(package)) and try again"
            )
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
