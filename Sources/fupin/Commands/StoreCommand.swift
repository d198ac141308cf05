import ArgumentParser
import Foundation
import FupinCore

/// `fupin store copy|info`: which store a workspace uses, and moving a whole store between
/// SQLite and PostgreSQL (docs/postgresql.md "Moving a workspace into PostgreSQL").
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Show a workspace's store, or copy the whole store to PostgreSQL or SQLite.",
        subcommands: [Copy.self, Info.self]
    )

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy the workspace's whole store into an empty PostgreSQL database or a new SQLite file.",
            discussion: """
                Everything moves: the core tables, plugin ledgers with their declarations, settings \
                and the audit log, every record keeping its id. The target is written in one \
                transaction: an error leaves it as it was. A PostgreSQL target must be an empty \
                database (its schema is created); a SQLite target is a new FILE.sqlite or a folder \
                that gets a new fupin.sqlite. Credentials come from libpq (~/.pgpass, \
                ~/.pg_service.conf, PGUSER/PGPASSWORD), never from fupin.

                Examples:
                  fupin store copy --to postgresql://db.county/fupin_county
                  fupin store copy --to 'postgresql:///fupin_county?host=/run/postgresql'
                  fupin store copy --from postgresql://db.county/fupin_county --to ~/ledgers-copy
                """
        )

        @Option(
            help: ArgumentHelp(
                "Where to: a postgresql:// URI (an empty database), a new FILE.sqlite, or a folder without a workspace.",
                valueName: "store"))
        var to: String

        @Option(help: ArgumentHelp("Copy from this PostgreSQL store instead of the workspace's own.", valueName: "uri"))
        var from: String?

        @OptionGroup var options: WorkspaceOptions

        func validate() throws {
            if to.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--to needs a store") }
            if let from, !StoreTarget.isPostgreSQL(from) {
                throw ValidationError(
                    "--from \(from): give a postgresql:// URI (a SQLite workspace is named with --workspace)")
            }
        }

        func run() throws {
            try reportingFailures {
                let source: any Store
                let schema: Schema
                if let from {
                    source = try PostgresStore(uri: from)
                    schema = .core
                } else {
                    // The workspace's plugins declare their ledgers exactly as they made them.
                    let workspace = try ScriptHost.makeHost(options, source: "store copy")?.workspace ?? options.open()
                    source = workspace.store
                    schema = workspace.schema
                }
                let target = try StoreTarget(to)
                let progress: (StoreCopyReport.Table) -> Void = { table in
                    printToStandardError("  \(table.name): \(Plural.count(table.rows, "row"))")
                }
                let report: StoreCopyReport
                switch target {
                case .postgresql(let uri):
                    report = try StoreCopy.copy(from: source, schema: schema, toPostgreSQL: uri, progress: progress)
                case .sqliteFile(let file):
                    report = try StoreCopy.copy(from: source, schema: schema, toSQLite: file, progress: progress)
                case .folder(let folder, let created):
                    do {
                        report = try StoreCopy.copy(
                            from: source, schema: schema, toSQLite: Workspace.databaseURL(in: folder),
                            progress: progress)
                    } catch {
                        if created { try? FileManager.default.removeItem(at: folder) }
                        throw error
                    }
                }
                let ledgers =
                    report.ledgers.isEmpty ? "" : "; plugin ledgers: \(report.ledgers.joined(separator: ", "))"
                print(
                    "copied \(source.location) to \(target): \(Plural.count(report.totalRows - report.auditEntries, "record")) in \(Plural.count(report.tables.count, "table")), \(Plural.count(report.auditEntries, "audit entry", plural: "audit entries"))\(ledgers); ids kept"
                )
                if !report.droppedColumns.isEmpty {
                    print("not copied (SQLite has no place for them): \(report.droppedColumns.joined(separator: ", "))")
                }
            }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info", abstract: "Show which store the workspace uses and how much it holds.")

        @OptionGroup var options: WorkspaceOptions

        func run() throws {
            try reportingFailures {
                let workspace = try options.open()
                let store = workspace.store
                let engine: String
                switch store.location {
                case .postgresql: engine = "PostgreSQL"
                case .sqlite, .sqliteInMemory: engine = "SQLite"
                }
                let (records, audit) = try store.read { c -> (Int64, Int64) in
                    var total: Int64 = 0
                    for name in Schema.core.names {
                        total += try c.fetchInt("SELECT COUNT(*) FROM \(c.dialect.quote(name))") ?? 0
                    }
                    return (total, try c.fetchInt("SELECT COUNT(*) FROM \(c.dialect.quote(AuditLog.table))") ?? 0)
                }
                print("store: \(engine) \(store.location)")
                print("records: \(records) in the core collections; audit entries: \(audit)")
            }
        }
    }
}

/// Where `fupin store copy --to` writes.
enum StoreTarget: CustomStringConvertible {
    case postgresql(String)
    case sqliteFile(URL)
    /// A folder that gets `fupin.sqlite`; `created` when this command made the folder.
    case folder(URL, created: Bool)

    static func isPostgreSQL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql:") || lower.hasPrefix("postgres:")
    }

    /// Reads `--to`: a URI, a `.sqlite`/`.db` file that must not exist, or a folder without a workspace.
    init(_ text: String) throws {
        if Self.isPostgreSQL(text) {
            self = .postgresql(text)
            return
        }
        if text.contains("://") {
            throw CommandFailure("--to \(text): not a store (give a postgresql:// URI, a new FILE.sqlite, or a folder)")
        }
        let url = URL(fileURLWithPath: (text as NSString).expandingTildeInPath).standardizedFileURL
        let manager = FileManager.default
        if ["sqlite", "db", "sqlite3"].contains(url.pathExtension.lowercased()) {
            if manager.fileExists(atPath: url.path) {
                throw CommandFailure("--to \(url.path): the file exists; store copy writes only a new file")
            }
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: url.deletingLastPathComponent().path, isDirectory: &isFolder),
                isFolder.boolValue
            else {
                throw CommandFailure("--to \(url.path): no such folder \(url.deletingLastPathComponent().path)")
            }
            self = .sqliteFile(url)
            return
        }
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw CommandFailure(
                    "--to \(url.path): a file that is not a .sqlite database; give a new FILE.sqlite or a folder")
            }
            if manager.fileExists(atPath: Workspace.databaseURL(in: url).path) {
                throw CommandFailure(
                    "--to \(url.path): the folder already holds a workspace (\(Workspace.databaseFileName)); store copy writes only into a new one"
                )
            }
            self = .folder(url, created: false)
        } else {
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
            self = .folder(url, created: true)
        }
    }

    var description: String {
        switch self {
        case .postgresql(let uri): return StoreLocation.postgresql(uri: uri).description
        case .sqliteFile(let file): return file.path
        case .folder(let folder, _): return Workspace.databaseURL(in: folder).path
        }
    }
}
