import LuaKit

/// What the REPL asks of the layer it runs in: how one unit of work runs.
///
/// Every input — a Lua line or chunk with the printing of its results, `:load FILE`, and
/// any meta-command that runs code through `ReplSession.evaluate` — is one `runUnit` call.
/// The fp layer wraps it in one transaction that commits when `body` returns and rolls
/// back when it throws: a Lua error, or `LuaError.Kind.interrupted` after Ctrl-C (and, with
/// `:dry-run on`, always rolls back after reporting what would change).
///
/// ```swift
/// final class WorkspaceReplHost: ReplHost {
///     let workspace: Workspace
///     func runUnit(_ body: () throws -> [LuaValue]) throws -> [LuaValue] {
///         try workspace.inTransaction(source: "repl") { try body() }
///     }
/// }
/// session.host = WorkspaceReplHost(workspace: workspace)
/// ```
protocol ReplHost {
    func runUnit(_ body: () throws -> [LuaValue]) throws -> [LuaValue]
}

/// The host used when nothing wraps the REPL: runs each unit as it is.
struct PlainReplHost: ReplHost {
    func runUnit(_ body: () throws -> [LuaValue]) throws -> [LuaValue] { try body() }
}
