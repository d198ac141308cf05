import Foundation

/// Creating the folders of a file written under a root folder (a workspace's `exports/`)
/// without ever creating anything outside it: each component below the root is checked before
/// the next is made. A symbolic link planted inside the root is followed only when it leads to
/// a place inside the root; otherwise nothing is created and the write is refused.
///
/// Checked, then made: another process changing the folders between the two steps is outside
/// this guard (the host does not share `exports/` with untrusted writers).
///
/// Example: `try ExportFolder.prepare(exports.appendingPathComponent("2019/y.csv"), inside: exports)`
/// returns the real path of `exports/2019`, created if missing.
public enum ExportFolder {
    /// Why a path may not be written.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Makes the folders leading to `target` (which must lie under `root`) and returns the real
    /// path of its folder. Throws `Refusal` when a component is a link leading out of `root`
    /// or is not a folder.
    @discardableResult
    public static func prepare(_ target: URL, inside root: URL) throws -> String {
        let rootPath = root.standardizedFileURL.path
        let parent = target.standardizedFileURL.deletingLastPathComponent().path
        guard parent == rootPath || parent.hasPrefix(rootPath + "/") else {
            throw Refusal(message: "\(target.path) is outside \(rootPath)")
        }
        if !FileManager.default.fileExists(atPath: rootPath) {
            try FileManager.default.createDirectory(atPath: rootPath, withIntermediateDirectories: true)
        }
        let realRoot = URL(fileURLWithPath: rootPath).resolvingSymlinksInPath().path
        var current = realRoot
        let relative = parent.dropFirst(rootPath.count).split(separator: "/").map(String.init)
        for component in relative {
            let next = current + "/" + component
            var info = stat()
            if lstat(next, &info) != 0 {
                guard mkdir(next, 0o755) == 0 || errno == EEXIST else {
                    throw Refusal(message: "cannot create the folder \(next): \(String(cString: strerror(errno)))")
                }
                current = next
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                current = next
            case S_IFLNK:
                let resolved = URL(fileURLWithPath: next).resolvingSymlinksInPath().path
                var target = stat()
                guard resolved == realRoot || resolved.hasPrefix(realRoot + "/"), stat(resolved, &target) == 0,
                    target.st_mode & S_IFMT == S_IFDIR
                else {
                    throw Refusal(message: "\(next) is a symbolic link leading outside \(rootPath)")
                }
                current = resolved
            default:
                throw Refusal(message: "\(next) is not a folder")
            }
        }
        return current
    }
}
