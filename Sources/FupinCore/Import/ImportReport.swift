/// One problem of an imported file: the row (spreadsheet numbering, header = row 1), the column
/// as the header names it, the field, the value and why it is refused.
///
/// Values of personal-data fields (ID numbers, phones, health) are shown masked in
/// `description`; `value` keeps them as given.
///
/// Example: `row 5, column 户主证件号码 (head_id_number), value 1506**********1235: fails the ID check digit`.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// 1-based row (the header is row 1).
    public var row: Int
    /// The header cell of the column, when the problem is in one column.
    public var column: String?
    /// The field name, when known.
    public var field: String?
    /// The value as given.
    public var value: String
    /// What is wrong.
    public var reason: String
    /// Whether the value is personal data (shown masked).
    public var isPersonal: Bool

    public init(row: Int, column: String?, field: String?, value: String, reason: String, isPersonal: Bool = false) {
        self.row = row
        self.column = column
        self.field = field
        self.value = value
        self.reason = reason
        self.isPersonal = isPersonal
    }

    public var description: String {
        var text = "row \(row)"
        if let column {
            text += ", column \(column)"
            if let field, field != column { text += " (\(field))" }
        } else if let field {
            text += ", field \(field)"
        }
        if !value.isEmpty { text += ", value \(isPersonal ? Masking.other(value) : value)" }
        return text + ": " + reason
    }
}

/// What an import did (or, in a dry run, would do).
///
/// Example: `households: 6 rows, 6 inserted, 0 updated, 0 unchanged`.
public struct ImportReport: Sendable, Hashable, CustomStringConvertible {
    /// The collection written ("national" for the national layout).
    public var collection: String
    /// The encoding the file was read as.
    public var encoding: TextEncoding
    /// Data rows read (blank lines and all-empty rows not counted).
    public var rows = 0
    /// Records inserted, updated (changed) and matched but unchanged, by collection.
    public var inserted: [String: Int] = [:]
    public var updated: [String: Int] = [:]
    public var unchanged: [String: Int] = [:]
    /// The first `maxProblems` problems, in row order.
    public var problems: [ImportProblem] = []
    /// Rows with at least one problem (all of them, not only those listed).
    public var badRows = 0
    /// Whether nothing was written (dry run or a refused file).
    public var dryRun = false
    /// Header cells that were ignored (national layout only).
    public var ignoredColumns: [String] = []

    public init(collection: String, encoding: TextEncoding) {
        self.collection = collection
        self.encoding = encoding
    }

    /// Whether the file had no problem.
    public var isClean: Bool { problems.isEmpty && badRows == 0 }

    /// Counts as "N inserted, N updated, N unchanged" for one collection.
    public func counts(_ collection: String) -> String {
        "\(inserted[collection] ?? 0) inserted, \(updated[collection] ?? 0) updated, \(unchanged[collection] ?? 0) unchanged"
    }

    /// Collections with any count, in a stable order.
    public var touchedCollections: [String] {
        let names = Set(inserted.keys).union(updated.keys).union(unchanged.keys)
        let order = Schema.core.names
        return names.sorted { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
    }

    public var description: String {
        var lines = [
            "\(collection): \(Plural.count(rows, "row")) read (\(encoding.rawValue))\(dryRun ? " — dry run, nothing written" : "")"
        ]
        for name in touchedCollections { lines.append("  \(name): \(counts(name))") }
        if !ignoredColumns.isEmpty { lines.append("  ignored columns: \(ignoredColumns.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }

    mutating func count(_ collection: String, inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        if inserted > 0 { self.inserted[collection, default: 0] += inserted }
        if updated > 0 { self.updated[collection, default: 0] += updated }
        if unchanged > 0 { self.unchanged[collection, default: 0] += unchanged }
    }
}

/// An import refused because of bad rows (or a bad header, or undecodable text): nothing was
/// written. `description` names the file and lists the problems, one per line.
///
/// Example:
/// ```
/// households.csv: 1 bad row; nothing written
///   households.csv: row 5, column 户主证件号码 (head_id_number), value 1506**********1235: fails the ID check digit
/// ```
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    /// The file's name as given (or "-").
    public var file: String
    public var report: ImportReport

    public init(file: String, report: ImportReport) {
        self.file = file
        self.report = report
    }

    public var description: String {
        let rows = Plural.count(report.badRows, "bad row")
        var lines = ["\(file): \(rows); nothing written"]
        for problem in report.problems { lines.append("  \(file): \(problem)") }
        if report.badRows > report.problems.count {
            lines.append("  … \(Plural.count(report.badRows - report.problems.count, "more bad row")) not listed")
        }
        return lines.joined(separator: "\n")
    }
}

/// How to import a file.
///
/// Example: `ImportOptions(encoding: .auto, dryRun: true)`.
public struct ImportOptions: Sendable, Hashable {
    public var encoding: TextEncoding
    /// Run everything, report, and roll back.
    public var dryRun: Bool
    /// At most this many problems are listed (all bad rows are still counted).
    public var maxProblems: Int

    public init(encoding: TextEncoding = .auto, dryRun: Bool = false, maxProblems: Int = 50) {
        self.encoding = encoding
        self.dryRun = dryRun
        self.maxProblems = maxProblems
    }
}

/// Collects problems for a report: at most `limit` listed, every bad row counted once.
struct ProblemCollector {
    let limit: Int
    private(set) var problems: [ImportProblem] = []
    private(set) var badRows = Set<Int>()

    init(limit: Int) { self.limit = max(1, limit) }

    mutating func add(_ problem: ImportProblem) {
        badRows.insert(problem.row)
        if problems.count < limit { problems.append(problem) }
    }

    var isEmpty: Bool { badRows.isEmpty }

    func fill(_ report: inout ImportReport) {
        report.problems = problems.sorted { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
        report.badRows = badRows.count
    }
}
