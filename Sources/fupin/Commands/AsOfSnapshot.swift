import Foundation
import FupinCore

/// `--as-of DATE-OR-TIME` of a plugin command: a temporary copy of the workspace with every
/// change the audit log recorded after that moment undone, which the command then reads. The
/// copy shares the workspace's `plugins/` (a link) and writes into its `exports/`
/// (`exports`), so `-o` writes where it always does; it is removed when the command ends.
///
/// Example: `fupin report annual --year 2019 --as-of 2020-01-15` (also a time in UTC,
/// `2020-01-15T08:30`, or an audit sequence number, `--as-of 25`).
struct AsOfSnapshot {
    /// The temporary workspace folder.
    let folder: URL
    /// The audit sequence the copy stands at (0: before the first entry).
    let sequence: Int64
    /// The original workspace's `exports/`, where the command's files go.
    let exports: URL
    /// The day the moment stands on (`Workspace.auditDay`), the command's `ctx.today`; nil for a
    /// sequence before the first entry.
    let day: String?

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
        let day = try workspace.auditDay(asOf: moment)
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("fupin-as-of-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try workspace.snapshot(atSequence: sequence, into: folder)
            let manager = FileManager.default
            let plugins = original.appendingPathComponent("plugins")
            if manager.fileExists(atPath: plugins.path) {
                try manager.createSymbolicLink(
                    at: folder.appendingPathComponent("plugins"), withDestinationURL: plugins)
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        self.folder = folder
        self.sequence = sequence
        self.day = day
        self.exports = original.appendingPathComponent("exports")
    }

    /// Deletes the temporary copy (the links only, never what they lead to).
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
