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
            // SQL of this unit stops where Lua code would: at the time limit or on Ctrl-C.
            let sqlGuard = self.workspace.sqlGuard
            sqlGuard.shouldStop = { [unowned self] in self.lua.limitReached() || self.hostMemoryStops() }
            // A PostgreSQL store asks from its watchdog thread: only the state's flags, read.
            let handle = self.lua.interruptHandle
            sqlGuard.shouldCancel = { handle.isStopDue }
            defer {
                sqlGuard.shouldStop = nil
                sqlGuard.shouldCancel = nil
                for cursor in self.openCursors { cursor.finish() }
                self.openCursors.removeAll()
                self.unit = nil
                self.unitGeneration += 1
            }
            return try body()
        }
    }
}
