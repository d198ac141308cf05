import ArgumentParser
import Foundation
import FupinCore

/// `fupin export COLLECTION`: a collection's records as CSV, JSON or Markdown.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a collection as CSV (UTF-8 with BOM, for Excel), JSON or Markdown.",
        discussion: """
            Valid records, ordered by id (name `valid` in a --where to see removed ones too). CSV \
            and Markdown headers carry the Chinese labels, JSON the field names; the first column \
            is always id. Money and areas have two decimals, yes/no is 是/否.

            Personal data (ID numbers, phone numbers, health) is masked — 1506**********0118, \
            138****0101 — unless --unmask is given on purpose. `fupin import` reads an unmasked \
            CSV export back to equal records (ids included).

            --where FIELD=VALUE keeps the records whose field (name or label) has that value; \
            also !=, >=, <=, >, <; repeat it to combine conditions; year=2019 filters the \
            collection's year or date.

            Examples:
              fupin export households
              fupin export distributions --where item=果树苗 --where year=2019 -o 果树苗.csv
              fupin export members --format json --unmask -o members.json
              fupin export notes --format md
            """
    )

    @Argument(help: ArgumentHelp("The collection to export.", valueName: "collection"))
    var collection: String

    @Option(
        help: ArgumentHelp("csv, json or md (default: from the -o file's extension, else csv).", valueName: "format"))
    var format: String?

    @Option(
        name: .customLong("where"), help: ArgumentHelp("A condition FIELD=VALUE (repeatable).", valueName: "condition"))
    var conditions: [String] = []

    @Flag(help: "Show personal data (ID numbers, phones, health) in full.")
    var unmask = false

    @Option(
        name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var options: WorkspaceOptions

    /// The format asked for or implied by the output file's extension.
    var resolvedFormat: ExportFormat? {
        if let format { return ExportFormat(rawValue: format.lowercased() == "markdown" ? "md" : format.lowercased()) }
        if let output, let implied = ExportFormat(fileExtension: (output as NSString).pathExtension) { return implied }
        return .csv
    }

    func validate() throws {
        guard resolvedFormat != nil else {
            throw ValidationError("--format must be csv, json or md (not \(format ?? ""))")
        }
        // Plugin ledgers are known only once the workspace's plugins load (in run).
        guard let schema = Schema.core[collection] else {
            if !SQLIdentifier.isPlain(collection) {
                throw ValidationError(
                    "\(collection) is not a collection; one of: \(Schema.core.names.joined(separator: ", "))")
            }
            return
        }
        for condition in conditions {
            do {
                _ = try ExportFilter.parse(condition, in: schema)
            } catch {
                throw ValidationError("--where \(condition): \(error)")
            }
        }
    }

    func run() throws {
        try reportingFailures {
            let workspace = try PluginLedgers.workspace(options, collection: collection)
            guard let schema = workspace.collection(collection), let format = resolvedFormat else {
                throw CommandFailure("\(collection): no such collection")
            }
            let filters = try conditions.map { try ExportFilter.parse($0, in: schema) }
            let exportOptions = ExportOptions(format: format, filters: filters, unmask: unmask)
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil),
                    let file = FileHandle(forWritingAtPath: output)
                else {
                    throw CommandFailure("\(output): cannot write this file")
                }
                handle = file
            } else {
                handle = FileHandle.standardOutput
            }
            let count = try workspace.export(collection, options: exportOptions) { bytes in
                try handle.write(contentsOf: Data(bytes))
            }
            if let output {
                try handle.close()
                printToStandardError(
                    "exported \(Plural.count(count, "\(collection) record")) to \(output)\(unmask ? " (personal data unmasked)" : "")"
                )
            }
        }
    }
}
