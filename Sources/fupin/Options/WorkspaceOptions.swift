import ArgumentParser
import Foundation
import FupinCore

/// The options every workspace command shares: which workspace, and who is working.
///
/// The workspace folder is `--workspace DIR`, else `$FUPIN_WORKSPACE`, else the current
/// folder. The operator recorded in the audit log is `--operator NAME`, else `$USER`, else
/// "unknown".
///
/// Example: `fupin import households h.csv --workspace ~/fupin-2019 --operator 王明刚`.
struct WorkspaceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The workspace folder (default: $FUPIN_WORKSPACE, then the current folder).", valueName: "dir"))
    var workspace: String?

    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp(
            "Who is working, recorded in the audit log (default: $USER, else \"unknown\").", valueName: "name"))
    var operatorName: String?

    func validate() throws {
        if let workspace, workspace.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ArgumentParser.ValidationError("--workspace needs a folder")
        }
        if let operatorName, operatorName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ArgumentParser.ValidationError("--operator needs a name")
        }
    }

    /// The workspace folder these options name.
    var folder: URL {
        let path =
            workspace ?? Self.environment("FUPIN_WORKSPACE").flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.currentDirectoryPath
        // NSString's tilde expansion looks up the home folder: only for a path that needs it.
        let expanded = path.hasPrefix("~") ? (path as NSString).expandingTildeInPath : path
        return URL(fileURLWithPath: expanded).standardizedFileURL
    }

    /// The operator's name for the audit log.
    var operatorValue: String {
        if let operatorName { return operatorName }
        if let user = Self.environment("USER"), !user.isEmpty { return user }
        return "unknown"
    }

    /// A write context for `source` (e.g. "import:households.csv").
    func context(source: String) -> WriteContext {
        WriteContext(operator: operatorValue, source: source)
    }

    /// Whether the user named the workspace (`--workspace` or `$FUPIN_WORKSPACE`) rather than
    /// leaving it to the current folder.
    var isNamed: Bool {
        workspace != nil || !(Self.environment("FUPIN_WORKSPACE") ?? "").isEmpty
    }

    /// One environment variable, read with `getenv`: `ProcessInfo.environment` copies the whole
    /// environment into a dictionary at each use, and every command asks these at start.
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Why there is no workspace at `folder` (nil when there is one): the folder is missing, is
    /// a file, or holds no database; each says how to make one.
    static func missingWorkspace(_ folder: URL) -> CommandFailure? {
        if Workspace.holdsWorkspace(folder) { return nil }
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder)
        let what: String
        if !exists {
            what = "no such folder"
        } else if !isFolder.boolValue {
            what = "not a folder"
        } else {
            what = "the folder has no \(Workspace.databaseFileName)"
        }
        return CommandFailure(
            "no workspace at \(folder.path): \(what); create one with `fupin init \(folder.path)`, or give --workspace DIR or $FUPIN_WORKSPACE"
        )
    }

    /// Opens the workspace (an error that says how to make one when there is none).
    func open() throws -> Workspace {
        try open(at: folder)
    }

    /// Opens the workspace in `folder`, these options' `folder` worked out already.
    func open(at folder: URL) throws -> Workspace {
        if let missing = Self.missingWorkspace(folder) { throw missing }
        do {
            return try Workspace.open(at: folder)
        } catch {
            // Name the file in storage problems met while opening (damaged, unreadable, busy).
            if let text = StorageFailure.explain(error, database: Workspace.databaseURL(in: folder).path) {
                throw StorageFailure(text)
            }
            throw error
        }
    }
}
