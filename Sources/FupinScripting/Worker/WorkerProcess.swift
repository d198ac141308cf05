import FupinWire
import ProcessConfinement

#if canImport(Glibc)
    import Glibc
#endif

/// A plugin's worker process as the host sees it: the same executable started in its hidden
/// worker mode (`fupin __plugin-worker`) with `posix_spawn`, holding the other end of a
/// `socketpair` as its descriptor 3 and nothing else of the host's.
///
/// ```swift
/// let worker = try WorkerProcess.spawn(executable: "/proc/self/exe")
/// try worker.channel.send(.record([("op", .text("run"))]))
/// worker.kill()
/// ```
final class WorkerProcess {
    /// The descriptor number the worker finds its socket at.
    static let workerDescriptor: Int32 = WorkerConfinement.socketDescriptor
    /// The hidden subcommand that turns the executable into a worker.
    static let modeArgument = "__plugin-worker"

    let pid: pid_t
    let channel: WorkerChannel
    private var reaped: Int32?

    private init(pid: pid_t, fd: Int32) {
        self.pid = pid
        self.channel = WorkerChannel(fd: fd)
    }

    deinit {
        kill()
        close(channel.fd)
    }

    /// Starts a worker. Its standard input and output are /dev/null (plugin output travels
    /// over the socket); standard error stays the host's, for a crash report before the
    /// filter is on.
    static func spawn(executable: String) throws -> WorkerProcess {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw WorkerFailure("cannot create the worker's socket: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        // dup2 clears close-on-exec on the copy: descriptor 3 is the only one the worker inherits
        // on purpose (it closes any other that lacked the flag before running plugin code).
        if fds[1] == workerDescriptor {
            let moved = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
            close(fds[1])
            fds[1] = moved
        }
        posix_spawn_file_actions_adddup2(&actions, fds[1], workerDescriptor)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A worker starts with default signal handling whatever the host ignores or blocks.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGPIPE, SIGTERM, SIGQUIT] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        // Its own process group: Ctrl-C reaches the host, which decides what the worker does.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), strdup(modeArgument), nil]
        defer { for a in argv { free(a) } }
        // The environment is not passed on, but for the time zone: set, so that glibc reads the
        // zone file once before the filter (unset, it checks /etc/localtime at every os.date).
        let zone = getenv("TZ").map { String(cString: $0) } ?? ":/etc/localtime"
        // LC_CTYPE only (wcwidth's UTF-8): with LC_ALL the worker loaded a dozen locale files
        // at start for categories it never uses (the others stay "C", built in).
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("LC_CTYPE=C.UTF-8"), strdup("TZ=" + zone), nil]
        defer { for e in envp { free(e) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            throw WorkerFailure("cannot start a plugin worker (\(executable)): \(String(cString: strerror(status)))")
        }
        return WorkerProcess(pid: pid, fd: fds[0])
    }

    /// Whether the worker has ended (reaped without waiting).
    var hasEnded: Bool {
        if reaped != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = status; return true }
        return false
    }

    /// Ends the worker wherever it is (SIGKILL) and reaps it. Safe to call twice.
    func kill() {
        guard reaped == nil else { return }
        _ = Glibc.kill(pid, SIGKILL)
        _ = waitForExit()
    }

    /// Waits for the worker to end and returns its wait status.
    @discardableResult
    func waitForExit() -> Int32 {
        if let reaped { return reaped }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = status
        return status
    }

    /// How the worker ended, in words (after `waitForExit`).
    func endDescription() -> String {
        let status = waitForExit()
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        if signal == SIGSYS { return "was stopped by its system-call filter (it tried something a plugin may not do)" }
        if signal == SIGXCPU { return "used more processor time than its limit" }
        if signal == SIGKILL { return "was killed" }
        if signal == SIGSEGV || signal == SIGABRT || signal == SIGBUS {
            return "crashed (signal \(signal)), perhaps out of memory"
        }
        return "ended on signal \(signal)"
    }
}

/// A worker that could not be started or misbehaved.
struct WorkerFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
