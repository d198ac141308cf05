/// An error from Lua code, or from loading it, as Swift receives it.
///
/// `message` is the error value as text (for `error("boom")` at line 3 of `x.lua`,
/// `x.lua:3: boom`); `traceback` is Lua's stack traceback with `file:line` entries;
/// `value` is the original error value when it was not a string (a table, say), so Swift can
/// raise it again unchanged.
///
/// ```swift
/// do { try lua.run(string: "error('boom')", chunkName: "=demo") }
/// catch let e as LuaError { print(e.message) }   // demo:1: boom
/// ```
public struct LuaError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A runtime error raised by Lua code or by a Swift function it called.
        case runtime
        /// A chunk that does not compile.
        case syntax
        /// The memory limit, or the system, refused an allocation.
        case memory
        /// The message handler itself failed.
        case handler
        /// The time limit ran out.
        case timeLimit
        /// `interrupt()` stopped the code.
        case interrupted
        /// A file could not be read.
        case file
    }

    public var kind: Kind
    public var message: String
    public var traceback: String?
    /// The error value when it was not a string. Like every `LuaValue` it belongs to the
    /// state's thread: read it where the error was caught, on that thread.
    public var value: LuaValue? {
        get { heldValue?.value }
        set { heldValue = newValue.map(ThreadBoundValue.init) }
    }
    /// `Error` must be `Sendable`; the one non-Sendable part is boxed here, unchecked, with the
    /// thread rule above (the message and kind, which other threads may read, are plain data).
    private var heldValue: ThreadBoundValue?

    public init(kind: Kind, message: String, traceback: String? = nil, value: LuaValue? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
        self.value = value
    }

    /// The message followed by the traceback, as `lua` prints an uncaught error.
    public var description: String {
        guard let traceback, !traceback.isEmpty else { return message }
        return message + "\n" + traceback
    }
}

/// An error a Swift function can throw to raise a specific Lua value (a table, say) instead
/// of its description.
public protocol LuaErrorValueConvertible: Error {
    var luaErrorValue: LuaValue { get }
}

/// A plain error for Swift functions called from Lua; the message reaches Lua as is, with
/// the caller's `file:line:` in front (as `luaL_error` does).
///
/// ```swift
/// throw LuaScriptError("households.phone: 12345 is not a phone number")
/// ```
public struct LuaScriptError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Whether the position of the calling Lua code is put in front of the message.
    public var addsPosition: Bool
    public init(_ message: String, addsPosition: Bool = true) {
        self.message = message
        self.addsPosition = addsPosition
    }
    public var description: String { message }
}

/// A Lua value carried by an error; see `LuaError.value` for the thread rule.
private struct ThreadBoundValue: @unchecked Sendable {
    let value: LuaValue
}
