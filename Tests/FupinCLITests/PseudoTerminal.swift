import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program on a pseudo-terminal, as a user at a terminal would: it sends keystrokes
/// and waits for expected output — by reading until the text appears, with a deadline,
/// never by sleeping.
///
/// The child gets its own session with the terminal as its controlling terminal, so Ctrl-C
/// (byte 3) reaches it as SIGINT through the line discipline, exactly as from a real
/// terminal. Output is matched after removing escape sequences, carriage returns, bells and
/// backspaces, and each `expect` looks only past the previous match.
///
/// ```swift
/// let term = try PseudoTerminal(FupinBinary.path, environment: env)
/// try term.expect("> ")
/// term.send("6 * 7\r")
/// try term.expect("\n42\n")
/// ```
final class PseudoTerminal {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    private let master: Int32
    private var raw: [UInt8] = []
    private var cleaned: [UInt8] = []
    private var cleanedUpTo = 0  // bytes of `raw` already cleaned
    private var cursor = 0  // offset in `cleaned` after the last match
    private var reachedEnd = false
    private var exitStatus: Int32?

    /// The terminal's modes before the program started, as `stty -g` would print them.
    let initialModes: String

    /// All output so far, cleaned (for failure messages).
    var transcript: String { String(decoding: cleaned, as: UTF8.self) }
    /// All output so far, byte for byte (escape sequences included).
    var rawOutput: String { String(decoding: raw, as: UTF8.self) }

    /// `size` (rows, columns) sets the window size the program sees; nil leaves it unknown (0×0).
    /// `directory` is the folder it starts in (nil: the test's own).
    init(
        _ executable: String, arguments: [String] = [], environment: [String: String],
        size: (rows: UInt16, columns: UInt16)? = nil, directory: URL? = nil
    ) throws {
        // posix_openpt and friends are hidden from Swift's Glibc module (they need
        // _XOPEN_SOURCE): look them up in the C library instead.
        guard let openpt = CLibrary.function("posix_openpt", as: OpenPT.self),
            let grant = CLibrary.function("grantpt", as: FDCall.self),
            let unlock = CLibrary.function("unlockpt", as: FDCall.self),
            let name = CLibrary.function("ptsname_r", as: PTSName.self)
        else { throw Failure(description: "the C library lacks posix_openpt/grantpt/unlockpt/ptsname_r") }
        master = openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, grant(master) == 0, unlock(master) == 0 else {
            throw Failure(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        var pathBuffer = [CChar](repeating: 0, count: 256)
        guard name(master, &pathBuffer, pathBuffer.count) == 0 else {
            close(master)
            throw Failure(description: "ptsname_r failed")
        }
        let slavePath = String(
            decoding: pathBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGTSTP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        // POSIX_SPAWN_SETSID (glibc 0x80) runs setsid() before the file actions, so opening
        // the terminal below makes it the child's controlling terminal.
        let setsid: Int32 = 0x80
        posix_spawnattr_setflags(
            &attributes, Int16(setsid | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        if let directory {
            guard let chdir = CLibrary.function("posix_spawn_file_actions_addchdir_np", as: AddChdir.self) else {
                close(master)
                throw Failure(description: "the C library lacks posix_spawn_file_actions_addchdir_np")
            }
            _ = chdir(&actions, directory.path)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        if let size {
            var window = winsize(ws_row: size.rows, ws_col: size.columns, ws_xpixel: 0, ws_ypixel: 0)
            _ = ioctl(master, UInt(TIOCSWINSZ), &window)
        }
        initialModes = PseudoTerminal.modes(of: master)
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(master)
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// The terminal's modes now, as `stty -g` prints them (flags and control characters in
    /// hex). On Linux the controlling side reads the modes of the program's side.
    var modes: String { PseudoTerminal.modes(of: master) }

    private static func modes(of fd: Int32) -> String {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { return "unreadable: \(String(cString: strerror(errno)))" }
        let cc = withUnsafeBytes(of: t.c_cc) { $0.map { String($0, radix: 16) } }
        return ([t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag].map { String($0, radix: 16) } + cc).joined(separator: ":")
    }

    /// Sends `signal` to the program.
    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Types `text` (use "\r" for Enter, "\u{3}" for Ctrl-C, "\u{4}" for Ctrl-D, "\t" for Tab).
    func send(_ text: String) {
        var bytes = Array(text.utf8)
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue }; return }
            bytes.removeFirst(n)
        }
    }

    /// Reads until `text` appears after the previous match; returns the output up to and
    /// including it. Fails after `timeout` or when the program ends first.
    @discardableResult
    func expect(_ text: String, timeout: Duration = .seconds(15)) throws -> String {
        let pattern = Array(text.utf8)
        let deadline = ContinuousClock.now + timeout
        while true {
            if let end = find(pattern) {
                let found = String(decoding: cleaned[cursor..<end], as: UTF8.self)
                cursor = end
                return found
            }
            if reachedEnd {
                throw Failure(
                    description: "the program ended before \(text.debugDescription) appeared; output:\n\(transcript)")
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw Failure(description: "timed out waiting for \(text.debugDescription); output:\n\(transcript)")
            }
            readAvailable(waitingAtMost: remaining)
        }
    }

    /// Waits for the program to exit, reading its output meanwhile; returns its exit status
    /// (128 + n when killed by signal n).
    func waitForExit(timeout: Duration = .seconds(15)) throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            var status: Int32 = 0
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid {
                let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                exitStatus = code
                return code
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw Failure(description: "the program did not exit; output:\n\(transcript)")
            }
            if reachedEnd {
                _ = poll(nil, 0, 20)  // output is closed; the exit is imminent
            } else {
                readAvailable(waitingAtMost: min(remaining, .milliseconds(200)))
            }
        }
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard !pattern.isEmpty, cleaned.count - cursor >= pattern.count else { return nil }
        var i = cursor
        while i + pattern.count <= cleaned.count {
            if cleaned[i] == pattern[0] && cleaned[i..<(i + pattern.count)].elementsEqual(pattern) {
                return i + pattern.count
            }
            i += 1
        }
        return nil
    }

    private func readAvailable(waitingAtMost wait: Duration) {
        let (seconds, atto) = wait.components
        let ms = Int32(clamping: seconds * 1000 + atto / 1_000_000_000_000_000)
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, max(1, ms)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n <= 0 {
            if n < 0 && errno == EINTR { return }
            reachedEnd = true  // EIO: every copy of the terminal's other side is closed
            return
        }
        raw += buffer[0..<n]
        clean()
    }

    /// Appends the newly read output to `cleaned`, without escape sequences, "\r", bells and
    /// backspaces. An escape sequence cut off at the end waits for the next read.
    private func clean() {
        var i = cleanedUpTo
        while i < raw.count {
            let byte = raw[i]
            if byte == 0x1B {
                guard i + 1 < raw.count else { break }
                if raw[i + 1] == UInt8(ascii: "[") {
                    var j = i + 2
                    while j < raw.count, !(0x40...0x7E).contains(raw[j]) { j += 1 }
                    guard j < raw.count else { break }
                    i = j + 1
                } else {
                    i += 2
                }
                continue
            }
            if byte != 0x0D && byte != 0x07 && byte != 0x08 { cleaned.append(byte) }
            i += 1
        }
        cleanedUpTo = i
    }
}

private typealias OpenPT = @convention(c) (Int32) -> Int32
private typealias FDCall = @convention(c) (Int32) -> Int32
private typealias AddChdir =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
private typealias PTSName = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

/// Functions of the C library that Swift's Glibc module does not show.
private enum CLibrary {
    static func function<T>(_ name: String, as type: T.Type) -> T? {
        guard let library = dlopen(nil, RTLD_NOW), let symbol = dlsym(library, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
