import Foundation

/// The sample workspace: the repository's `seeds/` folder holds the facts of the seed document
/// (a district forestry bureau's 2019 poverty-alleviation work) as one CSV file per collection,
/// and `seeds/manifest.txt` lists them in dependency order, one `collection file` per line
/// (`#` starts a comment). `fupin init DIR --sample` loads them with the ordinary importer, all
/// files in one transaction.
///
/// Where the seeds are found at run time (`locateSeeds`), first match wins:
/// 1. `$FUPIN_SEEDS` (a folder holding manifest.txt);
/// 2. walking up from the executable's folder to a folder holding both `seeds/` and
///    `Package.swift` (running from a checkout: `.build/debug/fupin`);
/// 3. `<prefix>/share/fupin/seeds` beside `<prefix>/bin/fupin` (what `make install` copies).
///
/// Example:
/// ```swift
/// let seeds = SampleWorkspace.locateSeeds(executable: exe, environment: ProcessInfo.processInfo.environment)
/// let reports = try SampleWorkspace.load(into: ws, from: seeds!, context: ctx)
/// ```
public enum SampleWorkspace {
    /// The manifest's file name inside the seeds folder.
    public static let manifestName = "manifest.txt"

    /// One manifest line.
    public struct Entry: Sendable, Hashable {
        public var collection: String
        public var file: String
    }

    /// Problems with the seeds folder itself.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// The seeds folder, or nil when none is found (see the type's documentation).
    public static func locateSeeds(executable: URL?, environment: [String: String]) -> URL? {
        let files = FileManager.default
        if let explicit = environment["FUPIN_SEEDS"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        guard let executable else { return nil }
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        let binFolder = folder
        while folder.path != "/" && !folder.path.isEmpty {
            let seeds = folder.appendingPathComponent("seeds")
            if files.fileExists(atPath: seeds.appendingPathComponent(manifestName).path),
                files.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
            {
                return seeds
            }
            folder = folder.deletingLastPathComponent()
        }
        let shared = binFolder.deletingLastPathComponent().appendingPathComponent("share/fupin/seeds")
        if files.fileExists(atPath: shared.appendingPathComponent(manifestName).path) { return shared }
        return nil
    }

    /// The manifest's entries, in order.
    public static func manifest(in folder: URL) throws -> [Entry] {
        let url = folder.appendingPathComponent(manifestName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Failure(message: "\(url.path): no sample-data manifest here (set FUPIN_SEEDS to the seeds folder)")
        }
        var entries: [Entry] = []
        for (index, raw) in String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            let line =
                raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingSpaces() ?? ""
            if line.isEmpty { continue }
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard parts.count == 2 else {
                throw Failure(message: "\(url.path):\(index + 1): expected `collection file`, found \(line)")
            }
            entries.append(Entry(collection: parts[0], file: parts[1]))
        }
        return entries
    }

    /// Imports every file of the manifest into `workspace` in one transaction; returns one
    /// report per file. Any problem rolls everything back and throws (an `ImportFailure`
    /// naming the file).
    @discardableResult
    public static func load(into workspace: Workspace, from folder: URL, context: WriteContext) throws -> [ImportReport]
    {
        let entries = try manifest(in: folder)
        var files: [(Entry, [UInt8])] = []
        for entry in entries {
            guard workspace.collection(entry.collection) != nil else {
                throw Failure(
                    message:
                        "\(folder.appendingPathComponent(manifestName).path): \(entry.collection) is not a collection")
            }
            files.append((entry, try FileBytes.read(folder.appendingPathComponent(entry.file).path)))
        }
        return try workspace.store.transaction(rollback: false) { c in
            try files.map { entry, bytes in
                var fileContext = context
                fileContext.source = "sample:\(entry.file)"
                return try workspace.importCSV(
                    entry.collection, bytes: bytes, file: entry.file, options: ImportOptions(),
                    context: fileContext, in: c)
            }
        }
    }
}
