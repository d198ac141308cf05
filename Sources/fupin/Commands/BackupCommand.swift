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

            A PostgreSQL store (--store, or a workspace whose store is one) is dumped with \
            PostgreSQL's pg_dump in its custom format, and the file checked with pg_restore --list; \
            the tools come with Debian's postgresql-client.

            Examples:
              fupin backup /mnt/usb/fupin-2019-12-31.sqlite
              fupin backup --workspace ~/ledgers ~/backups/ledgers-$(date +%F).sqlite
              fupin backup --store postgresql://db.county/fupin_county ~/backups/county-$(date +%F).dump
            """
    )

    @Argument(help: ArgumentHelp("The new backup file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Back up this PostgreSQL store (pg_dump) instead of the workspace.", valueName: "uri"))
    var store: String?

    @OptionGroup var options: WorkspaceOptions

    func validate() throws {
        if let store, !StoreTarget.isPostgreSQL(store) {
            throw ValidationError(
                "--store \(store): give a postgresql:// URI (a SQLite workspace is named with --workspace)")
        }
    }

    func run() throws {
        try reportingFailures {
            let target = (file as NSString).expandingTildeInPath
            if let uri = try store ?? postgresStore() {
                let dump = try PostgresBackup.dump(uri: uri, to: target)
                print(
                    "backed up \(StoreLocation.postgresql(uri: uri)) to \(target) with pg_dump: \(Plural.count(dump.tables, "table")) of data, \(dump.bytes) bytes; pg_restore reads it"
                )
                return
            }
            let workspace = try options.open()
            let report = try workspace.backup(to: target)
            print(
                "backed up \(options.folder.path) to \(report.path): \(Plural.count(report.records, "record")), \(Plural.count(report.auditEntries, "audit entry", plural: "audit entries")), \("\(report.bytes) bytes"); integrity check ok"
            )
        }
    }

    /// The workspace's store when it is a PostgreSQL one (nil for SQLite).
    func postgresStore() throws -> String? {
        guard WorkspaceOptions.missingWorkspace(options.folder) == nil else { return nil }
        if case .postgresql(let uri) = try options.open().store.location { return uri }
        return nil
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

            With --store, FILE is a pg_dump (custom format) restored by pg_restore into that \
            PostgreSQL database, which must be empty, in one transaction.

            Examples:
              fupin restore /mnt/usb/fupin-2019-12-31.sqlite
              fupin restore --workspace ~/ledgers ~/backups/ledgers-2019-12-31.sqlite
              fupin restore --store postgresql://db.county/fupin_county_new ~/backups/county-2019-12-31.dump
            """
    )

    @Argument(help: ArgumentHelp("The backup file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Restore a pg_dump into this empty PostgreSQL database (pg_restore).", valueName: "uri"))
    var store: String?

    @OptionGroup var options: WorkspaceOptions

    func validate() throws {
        if let store, !StoreTarget.isPostgreSQL(store) {
            throw ValidationError(
                "--store \(store): give a postgresql:// URI (a SQLite workspace is named with --workspace)")
        }
    }

    func run() throws {
        try reportingFailures {
            let source = (file as NSString).expandingTildeInPath
            if let uri = store {
                let audit = try PostgresBackup.restore(from: source, into: uri)
                print(
                    "restored \(source) into \(StoreLocation.postgresql(uri: uri)) with pg_restore: \(Plural.count(Int(audit), "audit entry", plural: "audit entries"))"
                )
                return
            }
            let report = try Workspace.restore(from: source, into: options.folder)
            print(
                "restored \(source) into \(report.path): \(Plural.count(report.records, "record")), \(Plural.count(report.auditEntries, "audit entry", plural: "audit entries")); integrity check ok"
            )
            if let previous = report.previous { print("the previous database was kept as \(previous)") }
        }
    }
}
