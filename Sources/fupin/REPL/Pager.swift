import CTerminal
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Shows a result taller than the terminal through a pager, as psql does: `$PAGER`, or
/// `less -S` (long lines are cut, not folded, so table columns stay aligned; arrow keys
/// scroll sideways).
///
/// Only for the interactive prompt, only when standard output is a terminal whose height is
/// known, and only when `:pager` is on. The pager runs after the input's unit of work has
/// ended, so no transaction stays open while the person reads. If the pager cannot be
/// started the text is printed as usual.
///
/// ```swift
/// if Pager.isNeeded(for: text, enabled: session.pagesOutput) { Pager.show(text) }
/// ```
enum Pager {
    /// `$PAGER`, or `less -S` when it is unset or empty.
    static var command: String {
        let pager = ProcessInfo.processInfo.environment["PAGER"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return pager.isEmpty ? "less -S" : pager
    }

    /// Whether `text` should be paged: paging is on, standard output is a terminal, and the
    /// text has more lines than the terminal has rows (less one for the prompt).
    static func isNeeded(for text: String, enabled: Bool) -> Bool {
        guard enabled, isatty(STDOUT_FILENO) == 1 else { return false }
        let rows = Int(fped_terminal_rows(STDOUT_FILENO))
        guard rows > 1 else { return false }
        var lines = 1
        for byte in text.utf8 where byte == 0x0A {
            lines += 1
            if lines >= rows { return true }
        }
        return false
    }

    /// Pipes `text` into the pager through `/bin/sh -c` and waits for it to end; prints the
    /// text itself when the pager cannot be started.
    static func show(_ text: String) {
        ReplOutput.flush()
        guard run(text + "\n") else {
            ReplOutput.line(text)
            return
        }
    }

    /// Our environment, plus `LESSCHARSET=utf-8` when the locale it names is not UTF-8:
    /// the REPL shows Chinese text in that case too (it falls back to C.UTF-8), and less
    /// would otherwise print it as `<E5><85>...`.
    static var pagerEnvironment: [String] {
        let environment = ProcessInfo.processInfo.environment
        var entries = environment.map { "\($0.key)=\($0.value)" }
        let locale =
            [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? ""
        let utf8 = locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
        if !utf8, environment["LESSCHARSET"] == nil { entries.append("LESSCHARSET=utf-8") }
        return entries
    }

    private static func run(_ text: String) -> Bool {
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The pager gets Ctrl-C, Ctrl-\ and a closed pipe the default way, whatever we do.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGTSTP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] =
            ["/bin/sh", "-c", command].map { (word: String) in strdup(word) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = pagerEnvironment.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let started = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp) == 0
        close(pipe[0])
        guard started else {
            close(pipe[1])
            return false
        }
        // A pager quit early closes the pipe: that must not end the REPL with SIGPIPE.
        let previous = signal(SIGPIPE, SIG_IGN)
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(pipe[1], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes = bytes.dropFirst(n)
        }
        close(pipe[1])
        signal(SIGPIPE, previous)
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        // sh could not find the pager (127) or run it (126): nothing was shown.
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        return !(exited && (code == 126 || code == 127))
    }
}
