import Foundation
import GRDB

/// `--as-of` on SQLite: the workspace file copied (`backup`) and the later audit entries
/// undone in the copy (`Workspace.undoEntries`).
extension Workspace {
    /// Writes into `folder` a workspace database holding the ledgers as they stood at audit
    /// sequence `sequence`: a copy of this one with every later entry undone, newest first
    /// (an insert deleted, an update or removal put back from its before value), and those
    /// entries dropped from the copy's log. Returns the number of entries undone.
    ///
    /// Example: `try ws.snapshot(atSequence: 25, into: tmp)`; then `Workspace.open(at: tmp)`.
    @discardableResult
    public func snapshot(atSequence sequence: Int64, into folder: URL) throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = Workspace.databaseURL(in: folder).path
        try backup(to: path)
        let copy = try DatabaseQueue(path: path)
        defer { try? copy.close() }
        return try copy.write { db in
            try Workspace.undoEntries(after: sequence, in: SQLiteConnection(db, sqlGuard: SQLGuard(), dialect: dialect))
        }
    }
}
