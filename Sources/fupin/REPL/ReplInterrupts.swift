import CTerminal
import LuaKit

/// Ctrl-C for the REPL: while code runs it stops the code (the Lua state's interrupt, which
/// raises an "interrupted" error the session reports); at the prompt it makes libedit
/// return so the line is dropped.
///
/// The handler is C (CTerminal) and does only async-signal-safe work: it records the
/// signal and, while code runs, calls LuaKit's `LuaInterruptHandle.signalSafeInterrupt` on the state — the same
/// flag-and-hook that lua.c's `laction` sets. It is installed for the whole interactive
/// session (and for a script read from stdin) and behaves according to `whileRunning`.
///
/// ```swift
/// ReplInterrupts.install(for: lua)
/// defer { ReplInterrupts.uninstall() }
/// let results = try ReplInterrupts.whileRunning { try chunk.call() }
/// ```
enum ReplInterrupts {
    /// Installs the handler aimed at `lua`. The state must outlive the installation.
    static func install(for lua: LuaState) {
        fped_sigint_set_target(LuaInterruptHandle.signalSafeInterrupt, lua.interruptHandle.signalContext)
        _ = fped_sigint_install()
    }

    /// Puts back the handler that was there before.
    static func uninstall() {
        fped_sigint_uninstall()
        fped_sigint_set_target(nil, nil)
    }

    /// Runs `body` with Ctrl-C aimed at the running code.
    static func whileRunning<T>(_ body: () throws -> T) rethrows -> T {
        fped_sigint_set_running(1)
        defer { fped_sigint_set_running(0) }
        return try body()
    }
}
