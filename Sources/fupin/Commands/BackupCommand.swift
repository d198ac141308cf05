import ArgumentParser
import Foundation
import FupinCore

/// `fupin backup FILE`: a consistent copy of the workspace database (SQLite online backup).
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the workspace's database to a new file (safe while others work).",
        discussion: """
        Uses SQLite's online backup: the copy is consistent even while other fupin processes \
        write, and it is one self-contained file. The copy is checked (PRAGMA integrity_check) \
        before the command reports success; FILE must not exist yet. Bring it back with \
        `fupin restore FILE`.

        Examples:
          fupin backup /mnt/usb/fupin-2019-12-31.sqlite
          fupin backup --workspace ~/ledgers ~/backups/ledgers-$(date +%F).sqlite
        """
    )

    @Argument(help: ArgumentHelp("The new backup file.", valueName: "file"))
    var file: String

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let workspace = try options.open()
            let target = (file as NSString).expandingTildeInPath
            let report = try workspace.backup(to: target)
            print("backed up \(options.folder.path) to \(report.path): \(Plural.count(report.records, "record")), \(Plural.count(report.auditEntries, "audit entry", plural: "audit entries")), \("\(report.bytes) bytes"); integrity check ok")
        }
    }
}

/// `fupin restore FILE`: brings a backup back as the workspace database.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the workspace's database by a backup made with `fupin backup`.",
        discussion: """
        FILE is checked first (it must open, pass PRAGMA integrity_check and be a fupin \
        database this version knows); otherwise nothing changes. The current database is kept \
        beside it as fupin-before-restore-STAMP.sqlite — a copy when it is intact, its files \
        moved aside when it is damaged — so a restore loses nothing. Restoring into a folder \
        without a workspace creates one.

        Examples:
          fupin restore /mnt/usb/fupin-2019-12-31.sqlite
          fupin restore --workspace ~/ledgers ~/backups/ledgers-2019-12-31.sqlite
        """
    )

    @Argument(help: ArgumentHelp("The backup file.", valueName: "file"))
    var file: String

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let source = (file as NSString).expandingTildeInPath
            let report = try Workspace.restore(from: source, into: options.folder)
            print("restored \(source) into \(report.path): \(Plural.count(report.records, "record")), \(Plural.count(report.auditEntries, "audit entry", plural: "audit entries")); integrity check ok")
            if let previous = report.previous { print("the previous database was kept as \(previous)") }
        }
    }
}
