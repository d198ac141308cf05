import FupinCore
import GRDB
import LuaKit

extension FupinHost {
    /// Runs `body` as one unit of work: one transaction, committed if `body` returns, rolled
    /// back if it throws or when `dryRun` is set. Returns the result and, for a dry run, what
    /// would have changed. Units do not nest: inside one, use `fp.transaction` (a savepoint).
    public func runUnit<T>(dryRun: Bool = false, _ body: () throws -> T) throws -> (T, ChangeSummary?) {
        if db != nil { return (try body(), nil) }
        return try workspace.database.writeWithoutTransaction { db in
            var result: T?
            var summary: ChangeSummary?
            try db.inTransaction {
                self.db = db
                self.unitGeneration += 1
                defer {
                    for cursor in self.openCursors { cursor.finish() }
                    self.openCursors.removeAll()
                    self.db = nil
                    self.unitGeneration += 1
                }
                let auditStart = try AuditLog.mark(in: db)
                result = try body()
                if dryRun {
                    summary = try self.workspace.changes(since: auditStart, in: db)
                    return .rollback
                }
                return .commit
            }
            guard let result else { throw LuaScriptError("unit of work produced no result") }
            return (result, summary)
        }
    }
}
