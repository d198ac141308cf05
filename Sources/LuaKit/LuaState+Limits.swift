import CLua
import CLuaShim

/// Memory and time limits, and interruption.
///
/// The memory limit binds allocations made while Lua code runs: past it Lua raises
/// "not enough memory" and the state stays usable. Allocations made by Swift code are
/// counted but never refused, so no allocation can raise across a Swift frame.
/// The time limit applies to each top-level call from Swift; a count hook checks the
/// clock and, once tripped, raises again every few instructions so `pcall` cannot swallow it.
///
/// ```swift
/// lua.memoryLimit = 64 << 20
/// lua.timeLimit = .seconds(2)
/// ```
extension LuaState {
    /// Bytes the state may hold while Lua code runs; 0 means no limit.
    public var memoryLimit: Int {
        get { Int(clua_getlimits(L).pointee.limit) }
        set { clua_getlimits(L).pointee.limit = newValue <= 0 ? 0 : size_t(newValue) }
    }

    /// Bytes currently allocated by the state.
    public var memoryUsed: Int { Int(clua_getlimits(L).pointee.used) }

    /// The most bytes the state has held at once.
    public var memoryPeak: Int { Int(clua_getlimits(L).pointee.peak) }

    /// Time each top-level call may run; nil means no limit.
    public var timeLimit: Duration? {
        get { timeLimitNanoseconds > 0 ? .nanoseconds(timeLimitNanoseconds) : nil }
        set {
            if let newValue {
                let (s, atto) = newValue.components
                timeLimitNanoseconds = max(1, s * 1_000_000_000 + atto / 1_000_000_000)
                clua_install_limit_hook(L)
            } else {
                timeLimitNanoseconds = 0
            }
        }
    }

    /// Runs `body` with a deadline of `limit` from now (nested inside any outer deadline,
    /// never extending it), restoring the outer deadline afterwards.
    public func withTimeLimit<T>(_ limit: Duration, _ body: () throws -> T) rethrows -> T {
        let limits = clua_getlimits(L)!
        let (s, atto) = limit.components
        let ns = max(1, s * 1_000_000_000 + atto / 1_000_000_000)
        let outer = limits.pointee.deadline_ns
        var deadline = clua_now_ns() + ns
        if outer != 0 && outer < deadline { deadline = outer }
        limits.pointee.deadline_ns = deadline
        clua_install_limit_hook(L)
        defer { limits.pointee.deadline_ns = outer }
        return try body()
    }

    /// Runs `body` allowing Lua code at most `bytes` more than the state holds now,
    /// restoring the outer limit afterwards.
    public func withMemoryAllowance<T>(_ bytes: Int, _ body: () throws -> T) rethrows -> T {
        let limits = clua_getlimits(L)!
        let outer = limits.pointee.limit
        var limit = limits.pointee.used + size_t(max(0, bytes))
        if outer != 0 && outer < limit { limit = outer }
        limits.pointee.limit = limit
        defer { limits.pointee.limit = outer }
        return try body()
    }

    /// Whether the running call should stop now: an interrupt was requested or its deadline
    /// has passed. For long work outside Lua (a SQL statement) to poll. A first positive answer
    /// trips the state as the hook would, so the error raised when control returns to Lua is
    /// classed as `.timeLimit` / `.interrupted` and a `pcall` cannot swallow it.
    public func limitReached() -> Bool {
        guard let limits = clua_getlimits(L) else { return false }
        if Int(limits.pointee.tripped) == Int(CLUA_TRIP_NONE) {
            if limits.pointee.interrupt != 0 {
                limits.pointee.tripped = Int32(CLUA_TRIP_INTERRUPT)
            } else if limits.pointee.deadline_ns != 0 && clua_now_ns() > limits.pointee.deadline_ns {
                limits.pointee.tripped = Int32(CLUA_TRIP_TIME)
            } else {
                return false
            }
            // The hook, on the next instruction, raises again (as it does once tripped itself).
            clua_install_limit_hook(L)
            lua_sethook(L, lua_gethook(L), LUA_MASKCOUNT, 1)
        }
        return true
    }

    /// "interrupted" or "time limit exceeded" once the running call has tripped, else nil.
    public var limitMessage: String? {
        guard let limits = clua_getlimits(L) else { return nil }
        switch Int(limits.pointee.tripped) {
        case Int(CLUA_TRIP_INTERRUPT): return "interrupted"
        case Int(CLUA_TRIP_TIME): return "time limit exceeded"
        default: return nil
        }
    }

    /// A handle that can stop this state's running code from another thread or a signal
    /// handler. It must not be used after the state is gone.
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(L) }

    /// Asks running Lua code to stop with an "interrupted" error.
    public func interrupt() { clua_request_interrupt(L) }

    /// Whether an interrupt has been requested and not yet cleared. Only reads the flag (unlike
    /// `LuaState.limitReached`, it trips nothing): for a wait outside Lua to poll.
    public var isRequested: Bool { (clua_getlimits(L)?.pointee.interrupt ?? 0) != 0 }
}

/// Stops a state's running Lua code; safe to call from any thread.
///
/// ```swift
/// let handle = lua.interruptHandle
/// DispatchQueue.global().asyncAfter(deadline: .now() + 1) { handle.interrupt() }
/// ```
public struct LuaInterruptHandle: @unchecked Sendable {
    let L: OpaquePointer
    init(_ L: OpaquePointer) { self.L = L }

    /// Sets the interrupt flag and arms the hook (async-signal-safe, like lua.c's `laction`).
    public func interrupt() { clua_request_interrupt(L) }

    /// Whether an interrupt has been requested and not yet cleared. Only reads the flag (unlike
    /// `LuaState.limitReached`, it trips nothing): for a wait outside Lua to poll.
    public var isRequested: Bool { (clua_getlimits(L)?.pointee.interrupt ?? 0) != 0 }

    /// Whether the running call is due to stop: an interrupt was requested, its deadline has
    /// passed, or it has already tripped. Only reads (atomically) and trips nothing, so another
    /// thread may ask it while Lua runs — a PostgreSQL store's watchdog does, and the state's
    /// own thread then trips it with `LuaState.limitReached` when the cancelled statement
    /// returns.
    public var isStopDue: Bool { clua_stop_due(L) != 0 }
}
