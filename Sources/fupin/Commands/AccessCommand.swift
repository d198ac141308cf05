import ArgumentParser
import Foundation
import FupinCore

/// `fupin access grant|revoke|list`: which PostgreSQL roles see and change which towns of a
/// PostgreSQL store (row-level security enforced by the server; docs/postgresql.md "Access").
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Grant, revoke and list analysts' access by town on a PostgreSQL store.",
        discussion: """
            Each analyst connects to the store as their own PostgreSQL role. A grant lets a role \
            read one town (or one village of it) and everything that hangs from it: households, \
            members, incomes, visits, plugin ledgers that reference them. The server enforces it \
            for every client, psql included. Run these as the store's owner; credentials come from \
            libpq (~/.pgpass, ~/.pg_service.conf, PGUSER/PGPASSWORD), never from fupin.

            Examples:
              fupin access grant analyst_cj --town 城郊镇 --write --store postgresql://db.county/fupin
              fupin access grant analyst_hq --town 乌兰木伦镇 --village 红旗村 --pii --store postgresql://db.county/fupin
              fupin access revoke analyst_cj --store postgresql://db.county/fupin
              fupin access list --store postgresql://db.county/fupin
              fupin access list --workspace ~/county     (a workspace over that store)
            """,
        subcommands: [Grant.self, Revoke.self, List.self]
    )

    /// The store the command works on: `--store URI`, else the PostgreSQL store of the
    /// workspace (`--workspace DIR`, `$FUPIN_WORKSPACE`, the current folder), as every other
    /// command finds it.
    struct StoreOption: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "The PostgreSQL store (postgresql://HOST/DB, or postgresql:///DB?host=SOCKETDIR; default: the workspace's).",
                valueName: "uri"))
        var store: String?

        @OptionGroup var workspace: WorkspaceOptions

        func validate() throws {
            guard let store else { return }
            let lower = store.lowercased()
            guard lower.hasPrefix("postgresql:") || lower.hasPrefix("postgres:") else {
                throw ValidationError("--store \(store): access applies to PostgreSQL stores; give a postgresql:// URI")
            }
        }

        /// The store's URI: the one given, or the workspace's; an error saying which to give
        /// when the workspace is missing or keeps its data in SQLite.
        func uri() throws -> String {
            if let store { return store }
            let folder = workspace.folder
            switch try Workspace.storeLocation(in: folder) {
            case .postgresql(let uri)?:
                return uri
            case .sqlite?, .sqliteInMemory?:
                throw CommandFailure(
                    "\(folder.path): this workspace keeps its data in SQLite (\(Workspace.databaseFileName)); access "
                        + "applies to PostgreSQL stores: give --store postgresql://HOST/DB")
            case nil:
                throw CommandFailure(
                    "\(folder.path) is not a workspace: give --store postgresql://HOST/DB, or --workspace DIR of a "
                        + "workspace over PostgreSQL")
            }
        }

        /// The access control of the store, connected.
        func open() throws -> AccessControl {
            let connection = try PostgresConnection(try uri())
            return AccessControl(connection: connection, schema: try AccessControl.storedSchema(connection))
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant", abstract: "Let a role read (and with --write change) a town or a village of it.")

        @Argument(help: ArgumentHelp("The PostgreSQL role of the analyst (it must exist).", valueName: "role"))
        var role: String
        @Option(help: ArgumentHelp("The town, by name.", valueName: "name"))
        var town: String
        @Option(help: ArgumentHelp("Only this village of the town, by name.", valueName: "name"))
        var village: String?
        @Flag(help: "Also insert and change records there.")
        var write = false
        @Flag(help: "Also read personal columns (ID numbers, phones, health).")
        var pii = false
        @OptionGroup var store: StoreOption

        func run() throws {
            try reportingFailures {
                try store.open().grant(role: role, town: town, village: village, write: write, pii: pii)
                let place = village.map { "\(town) \($0)" } ?? town
                let rights = ["read"] + (write ? ["write"] : []) + (pii ? ["personal columns"] : [])
                print("granted \(role): \(place) (\(rights.joined(separator: ", ")))")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Take back a role's grant of a town or village, or all its grants.")

        @Argument(help: ArgumentHelp("The PostgreSQL role.", valueName: "role"))
        var role: String
        @Option(help: ArgumentHelp("Only the grant of this town (default: every grant).", valueName: "name"))
        var town: String?
        @Option(help: ArgumentHelp("Only the grant of this village of --town.", valueName: "name"))
        var village: String?
        @OptionGroup var store: StoreOption

        func validate() throws {
            if village != nil && town == nil { throw ValidationError("--village needs --town") }
        }

        func run() throws {
            try reportingFailures {
                try store.open().revoke(role: role, town: town, village: village)
                print("revoked \(role): \(town.map { t in village.map { "\(t) \($0)" } ?? t } ?? "every grant")")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show every grant.")

        @OptionGroup var store: StoreOption

        func run() throws {
            try reportingFailures {
                let grants = try store.open().list()
                var rows = [["ROLE", "TOWN", "VILLAGE", "WRITE", "PII"]]
                for grant in grants {
                    rows.append([
                        grant.role, grant.town ?? "(every town)", grant.village ?? "", grant.write ? "yes" : "no",
                        grant.pii ? "yes" : "no",
                    ])
                }
                print(TextColumns.render(rows))
            }
        }
    }
}
