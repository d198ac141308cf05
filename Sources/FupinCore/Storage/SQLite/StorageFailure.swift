import Foundation
import GRDB

/// A problem with the workspace's database file itself (busy, damaged, read-only, disk full,
/// unreadable), told in words a user can act on instead of SQLite's result codes.
///
/// `StorageFailure.explain(error)` turns any error thrown by the database into such a sentence
/// (nil when the error is not a storage problem, e.g. a validation error). The unit of work that
/// met the problem has been rolled back, so every message says that nothing was written.
///
/// Example:
/// ```swift
/// do { try ws.insert(...) } catch {
///     print(StorageFailure.explain(error, database: ws.folder?.path) ?? "\(error)")
///     // "the workspace is busy: another fupin process held its write lock for longer than ..."
/// }
/// ```
public struct StorageFailure: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
    public var errorDescription: String? { message }

    /// The busy timeout of `Workspace.Options()` in seconds, for messages.
    static var defaultBusyTimeout: Double { Workspace.Options().busyTimeout }

    /// A sentence for a storage-level database error, or nil when `error` is something else.
    /// `database` names the file (or its workspace folder) in the sentence.
    public static func explain(_ error: Error, database: String? = nil) -> String? {
        if let failure = error as? StorageFailure { return failure.message }
        guard let error = error as? DatabaseError else { return nil }
        let file = database ?? Workspace.databaseFileName
        let sqlite = error.message.map { " (SQLite: \($0))" } ?? ""
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            let seconds = String(format: "%g", defaultBusyTimeout)
            return
                "the workspace is busy: another fupin process held its write lock for longer than the busy timeout (\(seconds) s); nothing was written — run the command again when the other one has finished"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return
                "\(file) is damaged or is not a fupin database\(sqlite); nothing was changed — restore it from a backup with `fupin restore FILE`"
        case .SQLITE_FULL:
            return
                "the disk holding \(file) is full\(sqlite); the unit of work was rolled back and nothing was written — free some space and run it again"
        case .SQLITE_READONLY:
            return
                "\(file) cannot be written: the file, its folder or the disk is read-only\(sqlite); nothing was written"
        case .SQLITE_CANTOPEN:
            return
                "\(file) cannot be opened\(sqlite): check that the folder exists and that fupin may read and write it (SQLite creates fupin.sqlite-wal and fupin.sqlite-shm beside the database)"
        case .SQLITE_IOERR:
            return
                "a disk error while using \(file)\(sqlite); the unit of work was rolled back and nothing was written — check free space, file size limits and the disk"
        case .SQLITE_PERM, .SQLITE_AUTH:
            return "\(file): permission denied\(sqlite); nothing was written"
        case .SQLITE_NOMEM:
            return "out of memory while using \(file); the unit of work was rolled back and nothing was written"
        case .SQLITE_TOOBIG:
            return "a value is too large to store in \(file)\(sqlite); nothing was written"
        default:
            return nil
        }
    }

    /// Refuses a database file that cannot be a workspace before SQLite touches it: an empty
    /// (0-byte) file would otherwise open as a new, empty workspace and hide the lost data.
    ///
    /// Sizes come from `stat`: `FileManager.attributesOfItem` also looks up the owner's and
    /// group's names (reading /etc/passwd and /etc/group), at every command's start. A log no
    /// longer than its 32-byte header holds no frames (`WALPlaceholder`), so it saves nothing.
    static func checkExistingFile(_ url: URL) throws {
        func size(_ path: String) -> Int64? {
            var st = stat()
            return stat(path, &st) == 0 ? Int64(st.st_size) : nil
        }
        if size(url.path) == 0 {
            if (size(url.path + "-wal") ?? 0) <= 32 {
                throw StorageFailure(
                    "\(url.path) is empty (0 bytes): the workspace's data is gone; nothing was changed — restore it from a backup with `fupin restore FILE`"
                )
            }
        }
    }
}
