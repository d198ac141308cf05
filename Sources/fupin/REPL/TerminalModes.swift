import CTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// Gives the terminal back as the REPL found it, however the REPL ends — as lua.c and psql
/// do through readline.
///
/// libedit switches the terminal to raw mode (no echo, no line editing by the kernel) while
/// it reads a line. `remember` saves the modes before the first prompt; `LineEditor.read`
/// puts them back after every line, and they are put back once more when the session ends:
/// by returning (`:quit`, Ctrl-D), by `exit` (`os.exit`), and by a signal that ends the
/// process — SIGTERM, SIGHUP, SIGQUIT, or a crash (the C handler restores, then lets the
/// previous handler act, so a crash report still appears and the exit status still names
/// the signal).
///
/// ```swift
/// TerminalModes.remember()
/// defer { TerminalModes.putBack() }
/// ```
enum TerminalModes {
    /// Saves the modes of standard input and installs the exit hooks.
    static func remember() {
        guard fped_terminal_save(STDIN_FILENO) == 0 else { return }
        _ = fped_terminal_guard_install()
    }

    /// Restores the saved modes and removes the hooks.
    static func putBack() {
        fped_terminal_restore()
        fped_terminal_guard_uninstall()
        fped_terminal_forget()
    }
}
