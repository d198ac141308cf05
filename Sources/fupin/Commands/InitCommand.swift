import ArgumentParser
import Foundation
import FupinCore
import FupinScripting

/// `fupin init [DIR] [--sample] [--store URI [--attach]]`: creates a workspace (a folder
/// holding fupin.sqlite, or fupin.store naming a PostgreSQL database).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace: an empty one, or one holding the sample data (--sample).",
        discussion: """
            DIR is created if missing; an existing fupin.sqlite is never overwritten. Without DIR \
            the workspace goes to --workspace, $FUPIN_WORKSPACE or the current folder. Beside the \
            database it makes plugins/ (the workspace's own plugins), exports/ (files plugins \
            write) and Scripts/ with the example scripts (Scripts/example.lua).

            --sample loads seeds/: the facts of a district forestry bureau's 2019 poverty-alleviation \
            summary (one town, two villages, six national-standard households, material handed out, \
            funds, trainings, visits, incomes, poverty lines, afforestation, a ranger post, notes). \
            The seeds folder is found through $FUPIN_SEEDS, then by walking up from the fupin \
            executable to a folder holding seeds/ and Package.swift (a checkout), then in \
            PREFIX/share/fupin/seeds beside PREFIX/bin/fupin (make install).

            --store postgresql://HOST/DB keeps the data in a PostgreSQL database instead: its \
            schema is created there and the folder gets fupin.store, one line naming the database. \
            The URI holds no password (libpq reads ~/.pgpass, ~/.pg_service.conf, PGPASSWORD). A \
            database that already holds a Fupin store is refused unless --attach is given (another \
            analyst's workspace over the same store).

            Examples:
              fupin init ~/fupin-2019
              fupin init demo --sample --operator 王明刚
              FUPIN_SEEDS=/opt/fupin/seeds fupin init demo --sample
              fupin init county --store 'postgresql:///fupin_county?host=/run/postgresql'
            """
    )

    @Argument(help: ArgumentHelp("The folder of the new workspace.", valueName: "dir"))
    var directory: String?

    @Flag(help: "Load the sample data (seeds/) into the new workspace.")
    var sample = false

    @Option(
        help: ArgumentHelp(
            "Keep the data in this PostgreSQL database (a postgresql:// URI without a password) instead of fupin.sqlite.",
            valueName: "uri"))
    var store: String?

    @Flag(help: "With --store: make this folder a workspace over a database that already holds a Fupin store.")
    var attach = false

    @OptionGroup var options: WorkspaceOptions

    func validate() throws {
        if let directory, let workspace = options.workspace, directory != workspace {
            throw ValidationError("give the folder once: either DIR (\(directory)) or --workspace (\(workspace))")
        }
        if let store {
            guard case .postgresql? = try? StoreLocation(parsing: store) else {
                throw ValidationError(
                    "--store \(StoreLocation.postgresql(uri: store)): give a postgresql:// URI (a SQLite workspace needs no --store)"
                )
            }
            if let problem = StoreLocation.passwordProblem(store) { throw ValidationError("--store: \(problem)") }
        }
        if attach && store == nil { throw ValidationError("--attach needs --store URI") }
        if attach && sample {
            throw ValidationError("--sample loads into a new store: it cannot be given with --attach")
        }
    }

    /// The folder to create the workspace in.
    var folder: URL {
        guard let directory else { return options.folder }
        return URL(fileURLWithPath: (directory as NSString).expandingTildeInPath).standardizedFileURL
    }

    func run() throws {
        let folder = self.folder
        try reportingFailures {
            let database = Workspace.databaseURL(in: folder)
            for name in [Workspace.databaseFileName, Workspace.storeFileName]
            where FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
                throw CommandFailure(
                    "\(folder.path): a workspace already exists here (\(name)); it was left untouched — choose another folder or remove it first"
                )
            }
            var seeds: URL?
            if sample {
                seeds = SampleWorkspace.locateSeeds(
                    executable: InitCommand.executableURL,
                    environment: ProcessInfo.processInfo.environment)
                guard seeds != nil else {
                    throw CommandFailure("the sample data (seeds/) was not found: set FUPIN_SEEDS to the seeds folder")
                }
            }
            let workspace =
                try store.map { try Workspace.createPostgreSQL(at: folder, uri: $0, attach: attach) }
                ?? Workspace.create(at: folder)
            let where_ = store.map { " over \(StoreLocation.postgresql(uri: $0))" } ?? ""
            let examples =
                seeds
                ?? SampleWorkspace.locateSeeds(
                    executable: InitCommand.executableURL,
                    environment: ProcessInfo.processInfo.environment)
            try InitCommand.makeFolders(
                in: folder, scriptsFrom: examples?.deletingLastPathComponent().appendingPathComponent("Scripts"))
            guard let seeds else {
                print(
                    attach
                        ? "created a workspace in \(folder.path)\(where_), attached to the Fupin store it holds"
                        : "created an empty workspace in \(folder.path)\(where_)")
                return
            }
            do {
                var reports = try SampleWorkspace.load(
                    into: workspace, from: seeds, context: options.context(source: "init --sample"))
                // Then the sample rows of the plugins' ledgers (e.g. 2019's produce sales).
                let host = try FupinHost(
                    workspace: workspace, view: FpView(source: "init --sample", operatorName: options.operatorValue))
                let runtime = try host.loadPlugins(PluginPlaces.standard(workspaceFolder: folder))
                reports += try runtime.loadSampleData(context: options.context(source: "init --sample"))
                let records = reports.reduce(0) { $0 + $1.inserted.values.reduce(0, +) }
                print(
                    "created a workspace in \(folder.path)\(where_) with the sample data: \(Plural.count(records, "record")) from \(Plural.count(reports.count, "file")) in \(seeds.path)"
                )
            } catch {
                // Leave no half-made workspace behind (on PostgreSQL the sample's transaction
                // was rolled back: the database keeps only the empty schema).
                try? FileManager.default.removeItem(at: Workspace.storeFileURL(in: folder))
                for suffix in ["", "-wal", "-shm"] {
                    try? FileManager.default.removeItem(atPath: database.path + suffix)
                }
                throw error
            }
        }
    }

    /// Makes plugins/, exports/ and Scripts/ in `folder`, copying the example scripts of
    /// `scripts` (the checkout's or the installed Scripts/) that are not there yet.
    static func makeFolders(in folder: URL, scriptsFrom scripts: URL?) throws {
        let files = FileManager.default
        for name in ["plugins", "exports", "Scripts"] {
            try files.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        guard let scripts, let names = try? files.contentsOfDirectory(atPath: scripts.path) else { return }
        for name in names.sorted() where name.hasSuffix(".lua") {
            let target = folder.appendingPathComponent("Scripts").appendingPathComponent(name)
            if !files.fileExists(atPath: target.path) {
                try files.copyItem(at: scripts.appendingPathComponent(name), to: target)
            }
        }
    }

    /// This executable's path (through /proc on Linux, so a relative argv[0] does not matter).
    static var executableURL: URL? {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
        return Bundle.main.executableURL
    }
}
