import Foundation
import ProcessConfinement

/// Where plugin commands run: in a worker process (the executable given here) or, when it is
/// nil, in the host's own Lua state (the library default; `fupin` sets it).
public enum PluginIsolation {
    /// The executable started as `EXECUTABLE __plugin-worker` for each plugin command.
    /// Starts as `$FUPIN_WORKER_EXECUTABLE` (so a library user or a test run can opt in).
    /// (`getenv`, here and below: `ProcessInfo.environment` copies the whole environment into a
    /// dictionary at each use, a sixteenth of `fupin eval 'return 1'`'s start-up for two reads.)
    nonisolated(unsafe) public static var workerExecutable: String? = getenv("FUPIN_WORKER_EXECUTABLE").map {
        String(cString: $0)
    }
    /// The hidden subcommand that turns the executable into a worker.
    public static let workerModeArgument = WorkerProcess.modeArgument

    /// Called by `fupin` at start: plugin commands run in workers of this very executable
    /// (`FUPIN_PLUGIN_WORKERS=0` runs them in-process instead, for comparison and diagnosis).
    public static func configureForCommandLine() {
        guard getenv("FUPIN_PLUGIN_WORKERS").map({ String(cString: $0) }) != "0" else { return }
        workerExecutable = "/proc/self/exe"
        // Workers kept for reuse end with the host (the kernel would kill them too, a moment
        // later; ending them here leaves nothing holding the host's standard error).
        atexit { PluginIsolation.endIdleWorkers() }
    }

    /// Whether to start the next worker as soon as one is taken (the REPL, `fupin test`): it
    /// then starts while the host does other work, and the next command need not wait for it.
    nonisolated(unsafe) public static var keepsSpareWorker = false
    /// A worker started ahead of need; it holds nothing of any plugin until it gets its job.
    nonisolated(unsafe) static var spare: WorkerProcess?

    /// Starts a worker ahead of the command that will use it (`fupin PLUGIN COMMAND` calls this
    /// first thing, so the worker starts while the host opens the workspace).
    public static func prestart() {
        guard spare == nil, let executable = workerExecutable else { return }
        spare = try? WorkerProcess.spawn(executable: executable)
    }

    /// Workers that finished a job cleanly, by plugin and memory limit (what they confined
    /// themselves to), waiting for the next job of that plugin. Each job still gets a fresh
    /// environment in the worker; see RELIABILITY.md §8.
    nonisolated(unsafe) static var idle: [String: WorkerProcess] = [:]
    /// The most workers kept idle at once (the least recently used goes first).
    static let idleLimit = 8
    nonisolated(unsafe) static var idleOrder: [String] = []
    /// Whether workers are kept for the next job of their plugin (`FUPIN_WORKER_REUSE=0`: a
    /// new process per job, for comparison and diagnosis).
    nonisolated(unsafe) public static var reusesWorkers =
        getenv("FUPIN_WORKER_REUSE").map { String(cString: $0) } != "0"

    /// The key a worker is kept under: its executable, its plugin and its memory limit.
    static func poolKey(executable: String, plugin: String, memoryBytes: Int) -> String {
        "\(executable)\u{0}\(plugin)\u{0}\(memoryBytes)"
    }

    /// A worker for a job of the plugin `key` names that may run for `seconds`: one it used
    /// before if one waits and can be given the time, else the spare, else a new one.
    static func takeWorker(executable: String, key: String, seconds: Double) throws -> WorkerProcess {
        if let kept = idle.removeValue(forKey: key) {
            idleOrder.removeAll { $0 == key }
            if !kept.hasEnded, WorkerConfinement.allowProcessorTime(pid: kept.pid, seconds: seconds) { return kept }
            kept.kill()
        }
        if let ready = spare, executable == workerExecutable {
            spare = nil
            if !ready.hasEnded { return ready }
        }
        return try WorkerProcess.spawn(executable: executable)
    }

    /// Keeps `worker` (which just finished a job cleanly) for the next job under `key`.
    static func giveBack(_ worker: WorkerProcess, key: String) {
        guard reusesWorkers, !worker.hasEnded else { worker.kill(); return }
        if let older = idle.updateValue(worker, forKey: key) { older.kill() }
        idleOrder.removeAll { $0 == key }
        idleOrder.append(key)
        while idleOrder.count > idleLimit {
            idle.removeValue(forKey: idleOrder.removeFirst())?.kill()
        }
    }

    /// Ends every idle worker and the spare (the host is about to exit, or a test wants a
    /// clean slate).
    public static func endIdleWorkers() {
        for worker in idle.values { worker.kill() }
        idle = [:]
        idleOrder = []
        spare?.kill()
        spare = nil
    }

    nonisolated(unsafe) static var filterWarningShown = false

    /// Says once, on standard error, that workers run without their system-call filter (the
    /// kernel refused it although seccomp looked available); the other layers still hold.
    static func noteFilterUnavailable(_ reason: String) {
        guard !filterWarningShown else { return }
        filterWarningShown = true
        FileHandle.standardError.write(
            Data(
                "fupin: plugin workers run without their seccomp filter (\(reason)); rlimits and time limits still apply\n"
                    .utf8))
    }

    /// How long past its time limit a worker may take to stop by itself before it is killed.
    public static let grace: Double = 0.5

    /// One line for `fupin plugins`: how plugin commands are isolated here.
    public static var status: String {
        guard workerExecutable != nil else { return "plugin commands run in the host process (no worker isolation)" }
        if let reason = WorkerConfinement.unavailableReason() {
            return
                "plugin commands run in worker processes; seccomp is unavailable (\(reason)): rlimits and the host's time limit still apply"
        }
        return "plugin commands run in worker processes with a seccomp filter, RLIMIT_AS and RLIMIT_CPU"
    }
}
