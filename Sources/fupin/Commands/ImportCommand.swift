import ArgumentParser
import Foundation
import FupinCore

/// `fupin import COLLECTION FILE.csv`: validated, audited import of a CSV file, all or nothing.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file into a collection, or the national system's per-person export.",
        discussion: """
            The header names each column by field name or by its Chinese label (e.g. number or \
            户编号). An `id` column updates the records with those ids (and inserts new ids); \
            without one, rows whose unique key (households: 户编号, members: 人编号, units: name, \
            poverty_lines: year) is already stored update that record. A column `户编号` (or \
            household_number) may stand for household_id, and `人编号` (member_number) for \
            member_id: the record is then found by its number.

            COLLECTION `national` reads the national system's 26-column per-person export: towns \
            and villages by name, households by 户编号 and people by 人编号 are created or \
            updated; importing the same file again changes nothing.

            Every row is validated; bad rows are listed with row (the header is row 1), column, \
            field, value and reason, and a file with any bad row writes nothing. --dry-run reports \
            what would be written and writes nothing. Files may be UTF-8 (with or without BOM) or \
            GB18030 (what Excel saves on Chinese Windows): detected, or named with --encoding. \
            FILE `-` reads standard input.

            Examples:
              fupin import households 贫困户.csv
              fupin import distributions 物资发放.csv --encoding gb18030 --dry-run
              fupin import national 全国系统导出.csv --workspace ~/fupin-2019 --operator 王明刚
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The collection (households, members, distributions, ...), or national.", valueName: "collection"))
    var collection: String

    @Argument(help: ArgumentHelp("The CSV file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The file's text encoding: auto, utf-8 or gb18030.", valueName: "encoding"))
    var encoding: String = "auto"

    @Flag(help: "Validate and report what would be written; write nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("List at most this many problems (all bad rows are counted).", valueName: "n"))
    var maxErrors: Int = 50

    @OptionGroup var options: WorkspaceOptions

    func validate() throws {
        guard TextEncoding(name: encoding) != nil else {
            throw ValidationError("--encoding must be auto, utf-8 or gb18030 (not \(encoding))")
        }
        guard maxErrors > 0 else { throw ValidationError("--max-errors must be at least 1") }
        // Plugin ledgers are known only once the workspace's plugins load (in run).
        if collection != "national" && Schema.core[collection] == nil && !SQLIdentifier.isPlain(collection) {
            throw ValidationError(
                "\(collection) is not a collection; use national or one of: \(Schema.core.names.joined(separator: ", "))"
            )
        }
        if file != "-" && !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("\(file): no such file")
        }
    }

    func run() throws {
        try reportingFailures {
            let workspace = try PluginLedgers.workspace(
                options, collection: collection == "national" ? nil : collection)
            let bytes = try FileBytes.read(file)
            let name = file == "-" ? "(stdin)" : file
            let importOptions = ImportOptions(
                encoding: TextEncoding(name: encoding) ?? .auto, dryRun: dryRun,
                maxProblems: maxErrors)
            let context = options.context(source: "import:\((name as NSString).lastPathComponent)")
            // A file with bad rows is refused whether or not this is a dry run: its problems are
            // the one thing said (the counts of its good rows would suggest a partial import).
            let report =
                collection == "national"
                ? try workspace.importNational(bytes: bytes, file: name, options: importOptions, context: context)
                : try workspace.importCSV(
                    collection, bytes: bytes, file: name, options: importOptions, context: context)
            print(report.description)
        }
    }
}
