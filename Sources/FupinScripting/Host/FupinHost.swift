import Foundation
import FupinCore
import LuaKit

/// What a caller of the `fp` API may do: the plugin host narrows it per plugin.
///
/// ```swift
/// let readOnly = FpView(source: "plugin:report:annual", allowsWrites: false, masksPersonalData: true)
/// ```
public struct FpView: Sendable {
    /// Recorded as the audit source of every write ("repl", a script path, "plugin:NAME:COMMAND").
    public var source: String
    /// Without it every write through `fp` fails with a clear error.
    public var allowsWrites: Bool
    /// When set, writes are allowed to these collections only (a plugin with `write:own`: its
    /// own ledgers).
    public var writableCollections: Set<String>?
    /// With it ID numbers and phones reach Lua masked.
    public var masksPersonalData: Bool
    /// Who the writes are recorded for.
    public var operatorName: String

    public init(
        source: String, allowsWrites: Bool = true, masksPersonalData: Bool = false, operatorName: String = "unknown"
    ) {
        self.source = source
        self.allowsWrites = allowsWrites
        self.masksPersonalData = masksPersonalData
        self.operatorName = operatorName
    }

    var writeContext: WriteContext { WriteContext(operator: operatorName, source: source) }
}

/// The `fp` API host: a Lua state with `fp` installed over a workspace, and the unit of work
/// each input, script or command runs in.
///
/// Every call of the `fp` API needs an open unit (`runUnit`), which is one database
/// transaction: committed when the unit returns, rolled back when it throws (an error, an
/// interrupt, a limit) or when it is a dry run.
///
/// ```swift
/// let host = try FupinHost(workspace: ws, view: FpView(source: "script.lua"))
/// let (results, _) = try host.runUnit { try host.lua.run(string: "return fp.households:count()") }
/// ```
public final class FupinHost {
    public let workspace: Workspace
    public let lua: LuaState
    /// The view the `fp` functions currently act under (the plugin host swaps it per command).
    public var view: FpView
    /// Where plugins' files go (`ctx.write_file`): nil for the workspace's own `exports/`; a
    /// command run `--as-of` on a copy of the workspace writes into the original's.
    public var exportsFolder: URL?
    /// The day a plugin command takes as today (`ctx.today`): set for a command run `--as-of`
    /// to the day of that moment; nil for the local date.
    public var today: String?

    /// `ctx.today` of a plugin command: `today` when set, else the local date.
    var commandToday: String { today ?? CalendarDate.today().text }
    /// The open unit of work; nil between units.
    var unit: WorkUnit?
    /// Increases with every unit, so cursors from an earlier unit refuse to run.
    var unitGeneration = 0
    /// Registry of per-collection record metatables (marks a table as a record of a collection).
    var recordMetatables: [String: LuaTable] = [:]
    /// Cursors opened by `iter` in the current unit; closed when it ends (or, under a plugin's
    /// memory limit, once Lua has dropped their iterators: `FupinHost+Memory`).
    var openCursors: [RecordCursor] = []
    /// While a plugin command runs: what SQLite held when it started (`FupinHost+Memory`).
    var hostMemoryBaseline: Int?
    /// Why the SQL guard stopped a statement for memory, if it did.
    var hostMemoryTrip: String?
    /// The `fp` table the prelude built.
    public internal(set) var fpTable: LuaTable?
    /// The `fp` prelude, compiled once: every `fp` (the trusted one
    /// and each plugin's) is made by running them again. Compiling them per plugin was 40 of
    /// `fupin eval`'s 110 M start-up instructions with the bundled plugins (callgrind).
    var compiledPrelude: LuaFunction?
    /// The `fp.report` module, compiled on first use (each `fp` then runs it for its own copy).
    var compiledReport: LuaFunction?
    /// The plugins loaded into this host (nil until `loadPlugins`).
    public internal(set) var plugins: PluginRuntime?
    /// Plugins to load on first use (`deferPlugins`), and the function that takes the hook
    /// off the trusted `fp` again.
    var deferredPlugins: (places: PluginPlaces, unhook: LuaFunction)?
    /// The last value a plugin's write was refused for (a field that does not validate): when
    /// the command fails with that message, the input was wrong, not the plugin (no traceback).
    var lastRefusedInput: String?

    /// The refused input a plugin command's error `message` ends with, if the command failed
    /// because its input made a record invalid (the user's error: shown alone, no traceback).
    func refusedInput(endingMessage message: String) -> String? {
        guard let refused = lastRefusedInput, message.hasSuffix(refused) else { return nil }
        return refused
    }

    /// The `fp` objects of loaded plugins (refreshed with the trusted one).
    func extraFpTables() -> [LuaTable] {
        plugins?.plugins.compactMap { $0.caller.fp } ?? []
    }

    /// Creates the host and installs `fp` as a global of `lua` (a trusted state by default).
    public init(workspace: Workspace, view: FpView, lua: LuaState? = nil) throws {
        self.workspace = workspace
        self.view = view
        self.lua = try lua ?? LuaState(libraries: .all)
        try installAPI()
    }

    /// The open unit's connection, or an error naming what needs one.
    func requireUnit() throws -> WorkUnit {
        guard let unit else { throw LuaScriptError("the fp API can only be used inside a unit of work") }
        return unit
    }

    /// Refuses writes to `collection` when the view forbids them.
    func requireWrites(_ what: String, to collection: String) throws {
        guard view.allowsWrites else {
            throw LuaScriptError("\(what): this caller (\(view.source)) has no 'write' permission")
        }
        if let own = view.writableCollections, !own.contains(collection) {
            let list = own.isEmpty ? "none" : own.sorted().joined(separator: ", ")
            throw LuaScriptError("\(what): this caller (\(view.source)) may write only its own ledgers (\(list))")
        }
    }
}
