import CSeccomp

#if canImport(Glibc)
    import Glibc
#endif

/// What a plugin's worker does to itself before it runs any plugin code: drop every inherited
/// descriptor but its socket, cap its address space and processor time, and install a seccomp
/// filter that allows little beyond reading and writing that socket and managing memory.
/// Any other system call kills the process (SIGSYS), which the host reports.
///
/// A target of its own so that only it imports libseccomp: the worker calls this C-free API.
public enum WorkerConfinement {
    /// The descriptor of a worker's socket to its host (`WorkerProcess` puts it there).
    public static let socketDescriptor: Int32 = 3

    /// System calls the Swift runtime, glibc's allocator and Lua need once running, found by
    /// running the bundled plugins' specs in workers. Reads and writes are limited to the
    /// socket (descriptor 3) below.
    static let allowed = [
        "brk", "mmap", "munmap", "mremap", "madvise", "mprotect",
        "futex", "clock_gettime", "clock_getres", "gettimeofday", "time",
        "rt_sigreturn", "rt_sigprocmask", "sched_yield", "getpid", "gettid", "getrandom",
        "exit", "exit_group",
    ]
    static let socketCalls = ["read", "write", "recvfrom", "sendto", "poll", "ppoll"]

    /// Whether this kernel and libseccomp can filter system calls; nil when they can, the
    /// reason when they cannot (then workers run with every other layer only).
    public static func unavailableReason() -> String? {
        if seccomp_api_get() < 1 { return "the kernel offers no seccomp filter to libseccomp" }
        if cseccomp_kernel_supports() == 0 { return "seccomp is not enabled in this kernel" }
        return nil
    }

    /// Closes every descriptor above the socket (any the host leaked without close-on-exec).
    public static func closeOtherDescriptors() {
        if cseccomp_close_from(UInt32(socketDescriptor + 1)) != 0 {
            // Before Linux 5.9: one by one, up to the descriptor limit.
            let highest = min(Int32(clamping: sysconf(Int32(_SC_OPEN_MAX))), 65536)
            var fd = socketDescriptor + 1
            while fd < highest { close(fd); fd += 1 }
        }
    }

    /// Processor seconds a worker may use over its whole life (the hard `RLIMIT_CPU`): a worker
    /// reused for many commands gets each one's limit as its soft limit on top of what it has
    /// used (`allowProcessorTime`) until this is reached, and is then replaced.
    public static let lifetimeSeconds = 3600

    /// Caps the address space at what the process maps now plus `memoryBytes` and some room
    /// for the runtime, and processor time at `seconds` rounded up plus one (hard: the lifetime).
    public static func applyLimits(memoryBytes: Int, seconds: Double) {
        let mapped = currentlyMapped()
        let soft = max(1, Int(seconds.rounded(.up)) + 1)
        cseccomp_set_limits(UInt(mapped + memoryBytes + (64 << 20)), UInt(soft), UInt(max(soft + 1, lifetimeSeconds)))
    }

    /// Gives worker `pid` (about to run another job) `seconds` more processor time than it has
    /// used (soft `RLIMIT_CPU`, set from outside); false when its lifetime would not cover it
    /// or the limit cannot be read, and the worker should be replaced.
    public static func allowProcessorTime(pid: pid_t, seconds: Double) -> Bool {
        guard let used = processorSeconds(pid: pid) else { return false }
        let soft = Int(used.rounded(.up)) + max(1, Int(seconds.rounded(.up)) + 1)
        return cseccomp_set_cpu_limit(pid, UInt(soft)) == 0
    }

    /// Processor seconds (user and system) process `pid` has used, from /proc/PID/stat.
    public static func processorSeconds(pid: pid_t) -> Double? {
        guard let f = fopen("/proc/\(pid)/stat", "r") else { return nil }
        defer { fclose(f) }
        var buffer = [CChar](repeating: 0, count: 1024)
        guard fgets(&buffer, 1024, f) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The command name may hold spaces and parentheses: fields count from the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After ')': state is field 3, utime 14 and stime 15 of the whole line.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Bytes of address space mapped now (from /proc/self/statm; 1 GB if unreadable).
    static func currentlyMapped() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 1 << 30 }
        defer { fclose(f) }
        var pages: Int = 0
        guard fscanf_pages(f, &pages) else { return 1 << 30 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_pages(_ f: UnsafeMutablePointer<FILE>, _ pages: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, 64, f) != nil else { return false }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let first = text.split(separator: " ").first, let n = Int(first) else { return false }
        pages = n
        return true
    }

    /// Asks the kernel to kill this process when `parent` (the host) dies; false when it
    /// cannot, or when the parent is already gone.
    public static func dieWithParent() -> Bool {
        cseccomp_die_with_parent(getppid()) == 0
    }

    /// Installs the filter; returns nil when it is on, the reason when it could not be.
    public static func installFilter() -> String? {
        switch prepareFilter() {
        case .success(let filter): return filter.install()
        case .failure(let problem): return problem.description
        }
    }

    /// A filter built and ready to load: a worker builds it before its first job arrives
    /// (asking the kernel what it supports and compiling the rules take a while) and loads it
    /// once the job has been read.
    public final class Filter {
        let ctx: scmp_filter_ctx
        init(_ ctx: scmp_filter_ctx) { self.ctx = ctx }
        deinit { seccomp_release(ctx) }

        /// Loads the filter into this process; nil when it is on, the reason when not.
        public func install() -> String? {
            let result = seccomp_load(ctx)
            return result == 0 ? nil : "seccomp_load failed: \(String(cString: strerror(-result)))"
        }
    }

    /// Why a filter could not be built.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Builds the filter without loading it.
    public static func prepareFilter() -> Result<Filter, Problem> {
        if let reason = unavailableReason() { return .failure(Problem(description: reason)) }
        guard let ctx = seccomp_init(UInt32(SCMP_ACT_KILL_PROCESS)) else {
            return .failure(Problem(description: "seccomp_init failed"))
        }
        let filter = Filter(ctx)
        for name in allowed {
            let number = seccomp_syscall_resolve_name(name)
            if number == __NR_SCMP_ERROR { continue }
            if seccomp_rule_add_array(ctx, UInt32(SCMP_ACT_ALLOW), number, 0, nil) != 0 {
                return .failure(Problem(description: "cannot allow \(name)"))
            }
        }
        for name in socketCalls {
            let number = seccomp_syscall_resolve_name(name)
            if number == __NR_SCMP_ERROR { continue }
            // poll's first argument is a pointer, not a descriptor: it is allowed as is (it only waits).
            let status =
                name.hasSuffix("poll")
                ? seccomp_rule_add_array(ctx, UInt32(SCMP_ACT_ALLOW), number, 0, nil)
                : cseccomp_allow_on_fd(ctx, number, UInt(socketDescriptor))
            if status != 0 { return .failure(Problem(description: "cannot allow \(name)")) }
        }
        return .success(filter)
    }
}
