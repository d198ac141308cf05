import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the REPL keeps its history between sessions, readable only by its owner.
///
/// The file is `$XDG_STATE_HOME/fupin/history`, or `~/.local/state/fupin/history` when
/// `XDG_STATE_HOME` is unset, empty or relative (as the XDG Base Directory spec says).
/// The folder is created with mode 0700 and the file with mode 0600 before anything is
/// written to it, so history (which may hold names and ID numbers) is never readable by
/// others, not even for a moment.
///
/// ```swift
/// let history = HistoryFile.standard()     // /home/ana/.local/state/fupin/history
/// try history.prepare()
/// ```
struct HistoryFile {
    let path: String

    /// The standard location for this user.
    static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> HistoryFile {
        var state = environment["XDG_STATE_HOME"] ?? ""
        if !state.hasPrefix("/") {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            state = home + "/.local/state"
        }
        return HistoryFile(path: state + "/fupin/history")
    }

    /// Creates the folder (0700) and the file (0600) if missing, and sets the file's mode
    /// to 0600 if it was looser.
    func prepare() throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ReplCommandError("cannot open history file \(path): \(String(cString: strerror(errno)))")
        }
        close(fd)
        try restrict()
    }

    /// Sets the file's mode to 0600.
    func restrict() throws {
        guard chmod(path, 0o600) == 0 else {
            throw ReplCommandError("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
    }
}
