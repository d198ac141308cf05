/// CSV import into one collection: decode, parse, map the header, validate every row through
/// the workspace's bulk writer, and write all of it in one transaction — or nothing when any
/// row is bad (every bad row is reported, up to `ImportOptions.maxProblems`, with its row,
/// column, field, value and reason).
///
/// How rows are written:
/// - with an `id` column: a row whose id exists updates that record, a new id is inserted with
///   that id (so an export imports back to equal records, and importing it twice changes nothing);
/// - else, when the collection has a unique key field among the columns (households.number,
///   members.number, units.name, poverty_lines.year) and the row gives it: update the record with
///   that key, or insert (a key given twice in one file is a problem);
/// - else: insert.
/// Updates change only the columns the file has; a row equal to the stored record writes nothing.
///
/// Example:
/// ```swift
/// let report = try ws.importCSV("households", bytes: fileBytes, file: "households.csv",
///                               options: ImportOptions(), context: WriteContext(operator: "me", source: "import:households.csv"))
/// ```
extension Workspace {
    /// Imports `bytes` (a CSV file) into `collection`. Throws `ImportFailure` (nothing written)
    /// when the file has any problem; in a dry run returns the report either way.
    @discardableResult
    public func importCSV(
        _ collection: String, bytes: [UInt8], file: String, options: ImportOptions, context: WriteContext
    ) throws -> ImportReport {
        guard let schema = schema[collection] else { throw WorkspaceError.unknownCollection(collection) }
        let decoded = try Workspace.decodeForImport(
            bytes, collection: collection, file: file, encoding: options.encoding)
        var importer = CollectionImporter(
            workspace: self, schema: schema, reader: CSVReader(decoded.bytes),
            encoding: decoded.encoding, options: options, context: context)
        let report = try store.transaction(rollback: options.dryRun) { c in
            let report = try importer.run(c)
            if !report.isClean && !options.dryRun { throw ImportFailure(file: file, report: report) }
            return report
        }
        if !report.isClean { throw ImportFailure(file: file, report: report) }
        return report
    }

    /// Imports `bytes` into `collection` inside the caller's transaction (several files as one
    /// unit of work, e.g. the sample workspace). Throws `ImportFailure` when the file has any
    /// problem: the caller's transaction must then be rolled back. `options.dryRun` is ignored.
    @discardableResult
    public func importCSV(
        _ collection: String, bytes: [UInt8], file: String, options: ImportOptions, context: WriteContext,
        in store: any StoreConnection
    ) throws -> ImportReport {
        guard let schema = schema[collection] else { throw WorkspaceError.unknownCollection(collection) }
        let decoded = try Workspace.decodeForImport(
            bytes, collection: collection, file: file, encoding: options.encoding)
        var importer = CollectionImporter(
            workspace: self, schema: schema, reader: CSVReader(decoded.bytes),
            encoding: decoded.encoding, options: options, context: context)
        let report = try importer.run(store)
        if !report.isClean { throw ImportFailure(file: file, report: report) }
        return report
    }

    /// The UTF-8 text of an imported file, or an `ImportFailure` naming where it is undecodable.
    static func decodeForImport(_ bytes: [UInt8], collection: String, file: String, encoding: TextEncoding) throws
        -> (bytes: [UInt8], encoding: TextEncoding)
    {
        do {
            return try TextDecoding.decode(bytes, encoding: encoding)
        } catch let error as TextDecodingError {
            var report = ImportReport(collection: collection, encoding: error.encoding)
            report.problems = [
                ImportProblem(row: error.line, column: nil, field: nil, value: "", reason: error.description)
            ]
            report.badRows = 1
            report.dryRun = true
            throw ImportFailure(file: file, report: report)
        }
    }
}

/// One run of a collection import (see `Workspace.importCSV`).
struct CollectionImporter {
    let workspace: Workspace
    let schema: CollectionSchema
    var reader: CSVReader
    let options: ImportOptions
    let context: WriteContext
    var report: ImportReport
    var problems: ProblemCollector
    /// (target collection, key) → id, for references given by number.
    var keyCache: [String: [String: Int64]] = [:]
    /// References written by label (`东梁村` for a village), resolved once per text.
    var labelCache: [String: [String: ReferenceMatch]] = [:]

    init(
        workspace: Workspace, schema: CollectionSchema, reader: CSVReader, encoding: TextEncoding,
        options: ImportOptions, context: WriteContext
    ) {
        self.workspace = workspace
        self.schema = schema
        self.reader = reader
        self.options = options
        self.context = context
        report = ImportReport(collection: schema.name, encoding: encoding)
        report.dryRun = options.dryRun
        problems = ProblemCollector(limit: options.maxProblems)
    }

    /// The unique key field used to update existing records when the file has no id column.
    static func upsertKey(_ schema: CollectionSchema, columns: [ImportColumn]) -> String? {
        let given = Set(columns.map(\.fieldName))
        if given.contains(CollectionSchema.idField) { return nil }
        return schema.fields.first { $0.unique && given.contains($0.name) }?.name
    }

    mutating func run(_ store: any StoreConnection) throws -> ImportReport {
        // A bulk write: the larger page cache for this transaction (see Workspace.bulkCacheKiB).
        try Workspace.withBulkPageCache(store) { try readAndWrite(store) }
    }

    private mutating func readAndWrite(_ store: any StoreConnection) throws -> ImportReport {
        var row = CSVRow()
        guard reader.read(into: &row) else {
            // A file without even a header is a failed export or the wrong file, not "no rows".
            problems.add(
                ImportProblem(row: 1, column: nil, field: nil, value: "", reason: "the file is empty: no header row"))
            problems.fill(&report)
            return report
        }
        let header: ImportHeader
        do {
            header = try ImportHeader(
                (0..<row.count).map { reader.string(row, $0) }, collection: schema,
                schema: workspace.schema)
        } catch {
            for problem in error.problems { problems.add(problem) }
            problems.fill(&report)
            return report
        }
        let columns = header.columns
        let writerColumns = columns.map(\.fieldName)
        let idColumn = columns.firstIndex(of: .id)
        let key = CollectionImporter.upsertKey(schema, columns: columns)
        let keyColumn = key.flatMap { writerColumns.firstIndex(of: $0) }
        let writer: BulkWriter
        do {
            writer = try workspace.bulkWriter(schema.name, columns: writerColumns, context: context, in: store)
        } catch let error as ValidationError {
            // A column the store will not take (a personal column the role may not write):
            // a problem of the header, reported before any row is read.
            let column = columns.firstIndex { $0.fieldName == error.field }
            add(1, header, column, field: error.field, value: "", reason: error.reason)
            problems.fill(&report)
            return report
        }
        // At most one record per line after the header (a last line may lack its newline).
        // Not more: on PostgreSQL the ids are taken from the sequence ahead, and ids taken
        // beyond the rows leave a gap after a clean import.
        let bytes = reader.bytes
        let lines = bytes.count(where: { $0 == 10 }) + (bytes.last.map { $0 == 10 ? 0 : 1 } ?? 0)
        writer.expectedInserts = max(0, lines - 1)
        var lookup = try StoredRecordLookup(workspace, schema.name, key: key, rows: max(0, lines - 1), in: store)
        let engine = try workspace.engine(schema.name, store, context)
        var values = [FieldInput](repeating: .null, count: columns.count)
        var keysSeen: [String: Int] = [:]
        // Columns of reference fields: a cell that is not an id names its record by label.
        let referenceTargets: [String?] = columns.map { column in
            guard case .field(let name) = column else { return nil }
            return schema.field(name)?.referencedCollection
        }
        while reader.read(into: &row) {
            if row.isEmpty { continue }
            report.rows += 1
            if let (column, problem) = row.problem {
                add(row.number, header, column, value: "", reason: "the row \(problem)")
                continue
            }
            if row.count != columns.count {
                problems.add(
                    ImportProblem(
                        row: row.number, column: nil, field: nil, value: "",
                        reason: "has \(Plural.count(row.count, "field")); the header has \(columns.count)"))
                continue
            }
            var bad = false
            for (index, column) in columns.enumerated() {
                let text = reader.string(row, index)
                if case .referenceByKey(_, let target, let keyField) = column {
                    guard let id = try lookUp(target, keyField, text, store) else {
                        if !text.trimmingSpaces().isEmpty {
                            add(
                                row.number, header, index, value: text,
                                reason: "is not the \(keyField) of any record of \(target)")
                            bad = true
                        }
                        values[index] = .null
                        continue
                    }
                    values[index] = .integer(id)
                } else if let target = referenceTargets[index], Int64(text.trimmingSpaces()) == nil,
                    !text.trimmingSpaces().isEmpty
                {
                    switch try byLabel(target, text, store) {
                    case .record(let id): values[index] = .integer(id)
                    case let other:
                        add(row.number, header, index, value: text, reason: other.problem ?? "")
                        bad = true
                    }
                } else {
                    values[index] = .text(text)
                }
            }
            if bad { continue }
            do {
                var existing: Int64?
                if let idColumn, let id = Int64(reader.string(row, idColumn).trimmingSpaces()), id > 0 {
                    existing = try lookup.existing(id: id, writer: writer, in: store)
                } else if key != nil, let keyColumn, !values[keyColumn].isNullOrBlank {
                    let text = reader.string(row, keyColumn).trimmingSpaces()
                    if let earlier = keysSeen[text] {
                        add(
                            row.number, header, keyColumn, value: text,
                            reason: "is given twice (also in row \(earlier))")
                        continue
                    }
                    keysSeen[text] = row.number
                    existing = try lookup.existing(key: values[keyColumn], in: store)
                }
                if let existing {
                    var named: [String: FieldInput] = [:]
                    for (index, name) in writerColumns.enumerated() where index != idColumn {
                        named[name] = values[index]
                    }
                    // The engine says whether anything changed (derived fields included), and
                    // writes (in a savepoint, so a refusal leaves the import going to report
                    // the other rows) only when something did: an unchanged row is one read.
                    let changed = try engine.update(existing, named, known: lookup.record(existing)) { write in
                        try store.inSavepoint { try write() }
                    }
                    if changed { lookup.wrote(existing) }
                    report.count(schema.name, updated: changed ? 1 : 0, unchanged: changed ? 0 : 1)
                } else {
                    lookup.wrote(try writer.insert(values, line: row.number))
                    report.count(schema.name, inserted: 1)
                }
            } catch let error as ValidationError {
                let column = columns.firstIndex { $0.fieldName == error.field }
                add(row.number, header, column, field: error.field, value: error.value, reason: error.reason)
            }
        }
        try writer.finish()
        problems.fill(&report)
        return report
    }

    /// The id of the valid-first record of `target` whose `keyField` is `text` (cached).
    mutating func lookUp(_ target: String, _ keyField: String, _ text: String, _ store: any StoreConnection) throws
        -> Int64?
    {
        let key = text.trimmingSpaces()
        if key.isEmpty { return nil }
        if let id = keyCache[target]?[key] { return id }
        guard let id = try workspace.findID(target, where: keyField, is: .text(key), in: store) else { return nil }
        keyCache[target, default: [:]][key] = id
        return id
    }

    /// The record of `target` a cell names by label (cached per text).
    mutating func byLabel(_ target: String, _ text: String, _ store: any StoreConnection) throws -> ReferenceMatch {
        let key = text.trimmingSpaces()
        if let known = labelCache[target]?[key] { return known }
        let match = try workspace.resolveReference(target, key, in: store)
        labelCache[target, default: [:]][key] = match
        return match
    }

    mutating func add(
        _ row: Int, _ header: ImportHeader, _ column: Int?, field: String? = nil, value: String, reason: String
    ) {
        // A row's problem may lie in a field past the header's last column (found by fuzzing).
        let name = column.map {
            $0 < header.names.count ? header.names[$0] : "\($0 + 1) (past the header's \(header.names.count))"
        }
        let fieldName = field ?? column.flatMap { $0 < header.columns.count ? header.columns[$0].fieldName : nil }
        let personal = fieldName.flatMap { schema.field($0) }?.pii ?? false
        problems.add(
            ImportProblem(row: row, column: name, field: fieldName, value: value, reason: reason, isPersonal: personal))
    }
}
