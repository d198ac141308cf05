import FupinCore
import LuaKit

/// Host-side memory charged to a plugin: the Lua tables the host builds for it (results of
/// `:list()`, `fp.sql`, `group_by`) are made row by row with the limit checked as they grow,
/// and what SQLite holds for the command (open iterators' statements, sorters, temporary
/// b-trees) is added to the Lua state's own use. Past the limit the host stops with a
/// "memory limit" error instead of allocating on.
///
/// Example: a plugin limited to 16 MB calling `fp.t:list()` on 50 MB of records gets
/// "memory limit reached while building the rows of :list(): the command would hold more than
/// its memory limit (stream them with :iter())".
extension FupinHost {
    /// Bytes over the running plugin command's limit, or nil when within it (or no plugin runs).
    func hostMemoryExcess() -> Int? {
        guard let baseline = hostMemoryBaseline, let unit else { return nil }
        let limit = lua.memoryLimit
        guard limit > 0 else { return nil }
        let held = max(0, unit.heldMemory() - baseline)
        let total = lua.memoryUsed + held
        return total > limit ? total - limit : nil
    }

    /// Throws a "memory limit" error when the running plugin command holds more than its limit
    /// (its Lua state plus what SQLite holds for it); `what` says what was being built.
    func requireHostMemory(_ what: String) throws {
        guard hostMemoryExcess() != nil else { return }
        throw LuaScriptError("memory limit reached while \(what): the command would hold more than its memory limit")
    }

    /// For the SQL guard's progress handler: true (and the reason kept) when a running
    /// statement has made the command exceed its limit (a sorter or temporary b-tree growing).
    func hostMemoryStops() -> Bool {
        guard hostMemoryExcess() != nil else { return false }
        hostMemoryTrip =
            "memory limit reached while SQLite ran a statement: the command would hold more than its memory limit"
        return true
    }

    /// After `iter` opened a statement: over the limit, first let Lua collect the iterators the
    /// plugin has dropped and close the cursors no one else holds any more (each releases its
    /// statement), then refuse.
    func requireHostMemoryForIterator() throws {
        guard hostMemoryExcess() != nil else { return }
        lua.collectGarbage()
        for i in openCursors.indices.reversed() where isKnownUniquelyReferenced(&openCursors[i]) {
            openCursors[i].finish()
            openCursors.remove(at: i)
        }
        try requireHostMemory("opening an iterator (too many open iterators: finish or drop some)")
    }
}
