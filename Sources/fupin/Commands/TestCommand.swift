import ArgumentParser
import Foundation
import FupinCore
import FupinScripting

/// `fupin test [PLUGIN...]`: plugin specs, in the real sandbox, on a scratch copy of the
/// sample workspace (core seeds plus each plugin's seeds).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run plugin specs (tests/*_spec.lua) on a scratch copy of the sample workspace.",
        discussion: """
            Each case (`it`) runs in its own unit of work that is rolled back afterwards. Prints \
            each case and a final line `N passed, N failed`; exits 1 when any case fails.

            --store postgresql://HOST/DB runs them on a PostgreSQL store instead of a scratch \
            SQLite file: an empty database, which is left holding the sample data (drop it after).

            Examples:
              fupin test
              fupin test produce-sales enterprise-partnership
              fupin test --store 'postgresql:///fupin_specs?host=/run/postgresql'
            """
    )

    @Argument(help: "Plugins to test (default: every plugin that has specs).")
    var plugins: [String] = []

    @Option(
        help: ArgumentHelp(
            "Run on this empty PostgreSQL database (a postgresql:// URI) instead of a scratch SQLite file.",
            valueName: "uri"))
    var store: String?

    @OptionGroup var options: WorkspaceOptions

    func validate() throws {
        if let store {
            guard case .postgresql? = try? StoreLocation(parsing: store) else {
                throw ValidationError("--store \(StoreLocation.postgresql(uri: store)): give a postgresql:// URI")
            }
            if let problem = StoreLocation.passwordProblem(store) { throw ValidationError("--store: \(problem)") }
        }
    }

    func run() throws {
        // Each spec's commands run in workers: keep the next one starting while a spec runs.
        PluginIsolation.keepsSpareWorker = true
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let summary = try reportingFailures { () -> PluginSpecRunner.Summary in
            guard
                let seeds = SampleWorkspace.locateSeeds(
                    executable: InitCommand.executableURL,
                    environment: ProcessInfo.processInfo.environment)
            else {
                throw CommandFailure("the sample data (seeds/) was not found: set FUPIN_SEEDS to the seeds folder")
            }
            let workspace: Workspace
            do {
                workspace =
                    try store.map { try Workspace.createPostgreSQL(at: scratch, uri: $0) }
                    ?? Workspace.create(at: scratch)
            } catch let inUse as StoreInUse {
                throw CommandFailure(
                    "--store \(inUse.store): the database already holds a Fupin store; fupin test needs an empty one (nothing was changed)"
                )
            }
            try SampleWorkspace.load(into: workspace, from: seeds, context: options.context(source: "test"))
            let host = try FupinHost(
                workspace: workspace, view: FpView(source: "test", operatorName: options.operatorValue))
            // The plugins of the workspace named by the options (if any) and the usual places.
            let places = PluginPlaces.standard(
                workspaceFolder: Workspace.holdsWorkspace(options.folder) ? options.folder : nil)
            let runtime = try host.loadPlugins(places)
            try runtime.loadSampleData(context: options.context(source: "test"))
            return try PluginSpecRunner(host: host).run(plugins: plugins) {
                print(SafeTerminalText.forStandardOutput($0))
            }
        }
        print("\(summary.passed) passed, \(summary.failed) failed")
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
