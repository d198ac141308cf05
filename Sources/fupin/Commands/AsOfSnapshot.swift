import Foundation
import FupinCore

/// `--as-of DATE-OR-TIME` of a plugin command: a temporary copy of the workspace with every
/// change the audit log recorded after that moment undone, which the command then reads. The
/// copy shares the workspace's `exports/` and `plugins/` folders (links), so `-o` writes where
/// it always does; it is removed when the command ends.
///
/// Example: `fupin report annual --year 2019 --as-of 2020-01-15` (also a time in UTC,
/// `2020-01-15T08:30`, or an audit sequence number, `--as-of 25`).
struct AsOfSnapshot {
    /// The temporary workspace folder.
    let folder: URL
    /// The audit sequence the copy stands at (0: before the first entry).
    let sequence: Int64

    /// Takes `--as-of VALUE` (or `--as-of=VALUE`) out of `words`; nil when absent.
    static func take(_ words: inout [String]) -> String? {
        var i = 0
        while i < words.count {
            let word = words[i]
            if word.hasPrefix("--as-of=") {
                words.remove(at: i)
                return String(word.dropFirst("--as-of=".count))
            }
            if word == "--as-of", i + 1 < words.count {
                let value = words[i + 1]
                words.removeSubrange(i...(i + 1))
                return value
            }
            i += 1
        }
        return nil
    }

    /// Copies `workspace` as it stood at `moment` into a new temporary folder.
    init(of workspace: Workspace, at moment: String) throws {
        guard let original = workspace.folder else { throw CommandFailure("--as-of needs a workspace folder") }
        let sequence = try workspace.auditSequence(asOf: moment) ?? 0
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("fupin-as-of-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try workspace.snapshot(atSequence: sequence, into: folder)
            let manager = FileManager.default
            for shared in ["exports", "plugins"] {
                let target = original.appendingPathComponent(shared)
                if shared == "exports" { try? manager.createDirectory(at: target, withIntermediateDirectories: true) }
                if manager.fileExists(atPath: target.path) {
                    try manager.createSymbolicLink(at: folder.appendingPathComponent(shared), withDestinationURL: target)
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        self.folder = folder
        self.sequence = sequence
    }

    /// Deletes the temporary copy (the links only, never what they lead to).
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
