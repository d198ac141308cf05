import Foundation
import GRDB

/// What `Workspace.backup(to:)` and `Workspace.restore(from:into:)` did.
public struct BackupReport: Sendable, Hashable {
    /// The file written (the backup, or the workspace database restored).
    public var path: String
    /// Its size in bytes.
    public var bytes: Int64
    /// Records in every collection table, plus audit entries.
    public var records: Int
    public var auditEntries: Int
    /// For a restore: where the workspace's previous database was kept (nil when there was none).
    public var previous: String?
}

extension Workspace {
    /// Copies the whole database to a new single file at `path` with SQLite's online backup
    /// (consistent even while other processes write), then checks the copy. The file must not
    /// exist yet. The copy is a self-contained file (rollback journal, not WAL).
    ///
    /// Example: `try ws.backup(to: "/mnt/usb/fupin-2019-12-31.sqlite")`
    @discardableResult
    public func backup(to path: String) throws -> BackupReport {
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: url.path) {
            throw StorageFailure("\(url.path) already exists; a backup never overwrites a file — choose a new name")
        }
        var configuration = Configuration()
        configuration.label = "fupin-backup"
        do {
            let copy = try DatabaseQueue(path: url.path, configuration: configuration)
            try database.backup(to: copy)
            try copy.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            }
            let report = try Workspace.check(copy, path: url.path)
            try copy.close()
            return report
        } catch {
            // Leave no partial backup that could later be mistaken for a good one.
            for suffix in ["", "-journal", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: url.path + suffix)
            }
            // Name the backup file, not the workspace, in what went wrong with it.
            if let explained = StorageFailure.explain(error, database: url.path) {
                throw StorageFailure("backup: " + explained)
            }
            throw error
        }
    }

    /// Replaces the database of the workspace in `folder` by the backup at `path`, after
    /// checking that the backup is an intact fupin database this build can open. The previous
    /// database is kept beside it as `fupin-before-restore-STAMP.sqlite` (a backup of it when
    /// it opens, the moved files when it is damaged), so a restore never loses data.
    ///
    /// Example: `try Workspace.restore(from: "/mnt/usb/fupin-2019-12-31.sqlite", into: folder)`
    @discardableResult
    public static func restore(from path: String, into folder: URL, stamp: String? = nil) throws -> BackupReport {
        let source = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw StorageFailure("\(source.path): no such file")
        }
        try StorageFailure.checkExistingFile(source)
        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.label = "fupin-restore-source"
        let backup: DatabaseQueue
        do {
            backup = try DatabaseQueue(path: source.path, configuration: readOnly)
            _ = try check(backup, path: source.path)
            let applied = try backup.read { db -> Set<String> in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            }
            if applied.isEmpty {
                throw StorageFailure(
                    "\(source.path) is not a fupin workspace database (it has no fupin migrations); nothing was changed"
                )
            }
            let unknown = applied.subtracting(Migrations.identifiers)
            if !unknown.isEmpty { throw WorkspaceError.newerDatabase(unknownMigrations: unknown.sorted()) }
        } catch let error as DatabaseError {
            throw StorageFailure(
                StorageFailure.explain(error, database: source.path).map { "the backup: " + $0 }
                    ?? "\(source.path) cannot be read as a backup: \(error.message ?? "\(error)")")
        }

        let stamp = stamp ?? Workspace.fileStamp()
        let target = databaseURL(in: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var previous: String?
        if FileManager.default.fileExists(atPath: target.path) {
            var keep = folder.appendingPathComponent("fupin-before-restore-\(stamp).sqlite").path
            var n = 1
            while FileManager.default.fileExists(atPath: keep) {
                n += 1
                keep = folder.appendingPathComponent("fupin-before-restore-\(stamp)-\(n).sqlite").path
            }
            if let current = try openIfIntact(folder) {
                // Intact: restore in place through the backup API (other readers see the old or the
                // new database, never a mix), after keeping a copy of the old one.
                try current.backup(to: keep)
                try backup.backup(to: current.database)
                previous = keep
                try? current.database.close()
            } else {
                // Damaged or unopenable: move its files aside, untouched, and restore into a new file.
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: target.path + suffix) {
                    try FileManager.default.moveItem(atPath: target.path + suffix, toPath: keep + suffix)
                }
                previous = keep
            }
        }
        if !FileManager.default.fileExists(atPath: target.path) {
            let fresh = try DatabaseQueue(path: target.path)
            try backup.backup(to: fresh)
            try fresh.close()
        }
        try backup.close()
        let restored = try Workspace.open(at: folder)
        var report = try check(restored.database, path: target.path)
        report.previous = previous
        return report
    }

    /// The workspace in `folder` when it opens and passes `PRAGMA quick_check`; nil when it is
    /// damaged (empty, not a database, corrupt). Any other error (busy, unreadable) is thrown, so
    /// a live workspace is never mistaken for a damaged one.
    static func openIfIntact(_ folder: URL) throws -> Workspace? {
        do {
            let workspace = try Workspace.open(at: folder)
            let verdict = try workspace.read { try String.fetchAll($0, sql: "PRAGMA quick_check") }
            if verdict == ["ok"] { return workspace }
            try? workspace.database.close()
            return nil
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            return nil
        } catch let failure as StorageFailure where failure.message.contains("is empty (0 bytes)") {
            return nil
        }
    }

    /// Runs `PRAGMA integrity_check` on `reader` and counts what it holds.
    static func check(_ reader: any DatabaseReader, path: String) throws -> BackupReport {
        try reader.read { db in
            let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard problems == ["ok"] else {
                throw StorageFailure(
                    "\(path) fails SQLite's integrity check (\(problems.prefix(3).joined(separator: "; "))); nothing was changed"
                )
            }
            var records = 0
            for collection in Schema.core.collections where try db.tableExists(collection.name) {
                records +=
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(collection.name.quotedDatabaseIdentifier)") ?? 0
            }
            let audit =
                try db.tableExists("audit_log") ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0 : 0
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
            return BackupReport(
                path: path, bytes: size?.int64Value ?? 0, records: records, auditEntries: audit, previous: nil)
        }
    }

    /// A sortable local time stamp for file names (20191231-235959).
    static func fileStamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
