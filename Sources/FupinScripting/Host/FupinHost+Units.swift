import FupinCore
import LuaKit

extension FupinHost {
    /// Runs `body` as one unit of work: one transaction, committed if `body` returns, rolled
    /// back if it throws or when `dryRun` is set. Returns the result and, for a dry run, what
    /// would have changed. Units do not nest: inside one, use `fp.transaction` (a savepoint).
    public func runUnit<T>(dryRun: Bool = false, _ body: () throws -> T) throws -> (T, ChangeSummary?) {
        if unit != nil { return (try body(), nil) }
        return try workspace.runUnit(dryRun: dryRun) { unit in
            self.unit = unit
            self.unitGeneration += 1
            defer {
                for cursor in self.openCursors { cursor.finish() }
                self.openCursors.removeAll()
                self.unit = nil
                self.unitGeneration += 1
            }
            return try body()
        }
    }
}
