import Foundation

/// An empty write-ahead log beside a workspace database before GRDB opens its pool, so that
/// opening a workspace writes nothing.
///
/// Why: SQLite deletes `fupin.sqlite-wal` when the last connection closes, and GRDB's
/// `DatabasePool`, finding no WAL file (or an empty one), creates it by committing a dummy
/// transaction (`CREATE TABLE grdb_issue_102 ...; DROP TABLE ...`). Every fupin command then
/// wrote the database twice — that transaction, and the checkpoint copying it back when the
/// command ended — with four `fdatasync` calls, which on a busy disk took most of
/// `fupin eval 'return 1'`'s wall time (BENCHMARKS.md, start-up).
///
/// A WAL file no longer than its 32-byte header holds no frames: SQLite reads it as an empty
/// log (recovery looks at a file only when it is longer than the header) and writes a real
/// header over it with the first frame; GRDB sees a file that is not empty and commits
/// nothing. The file holds no data, so one left behind by a crash is harmless, and SQLite still
/// deletes the log when the last connection closes, as before.
enum WALPlaceholder {
    /// Bytes written: fewer than a WAL header, so no reader can take them for one.
    static let size = 8

    /// Creates `<database>-wal` with the database file's mode and owner when there is none;
    /// does nothing when one exists, the database is empty, or the file cannot be made (GRDB
    /// then makes the log as before).
    static func prepare(forDatabase path: String) {
        var database = stat()
        // Not beside an empty file: a log there makes `StorageFailure.checkExistingFile` take
        // the empty database for one whose data is still in its log.
        guard stat(path, &database) == 0, database.st_size > 0 else { return }
        // O_EXCL: a log another connection has open (or is writing) is never touched.
        let fd = open(path + "-wal", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { return }
        defer { close(fd) }
        // As SQLite makes its own log files: the database's permission bits (no umask), and
        // its owner when running as root.
        _ = fchmod(fd, database.st_mode & 0o777)
        if geteuid() == 0 { _ = fchown(fd, database.st_uid, database.st_gid) }
        let zeros = [UInt8](repeating: 0, count: size)
        _ = zeros.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
