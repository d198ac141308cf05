/// Import of the national system's per-person export (`NationalLayout`): creates or updates
/// towns and villages by name, households by 户编号 and members by 人编号, in one transaction;
/// any bad row writes nothing. Importing the same file again changes nothing.
///
/// - Towns are matched by 乡(镇) and 县(市、区、旗) (or by name alone when exactly one town has it),
///   villages by 行政村 within their town; missing ones are created.
/// - A household's fields come from its head's row (与户主关系 = 户主); a new household without
///   a head row is an error. Every row of a household must name the same 县/乡/行政村.
/// - A member's sex and birth date are derived from the ID number.
/// - Records not in the file are left alone (an export of part of a county removes nothing).
///
/// Example:
/// ```swift
/// let report = try ws.importNational(bytes: fileBytes, file: "export.csv", options: ImportOptions(),
///                                    context: WriteContext(operator: "me", source: "import:export.csv"))
/// report.inserted["members"]   // people created
/// ```
extension Workspace {
    @discardableResult
    public func importNational(bytes: [UInt8], file: String, options: ImportOptions, context: WriteContext) throws
        -> ImportReport
    {
        // A large file is read as UTF-8 while another thread checks that it is.
        if let check = UTF8CheckBeside(bytes, encoding: options.encoding) {
            do {
                return try importNational(
                    utf8: check.bytes, encoding: .utf8, check: check, file: file, options: options, context: context)
            } catch is UTF8CheckBeside.NotUTF8 {
                // Not UTF-8 after all: nothing was written; decoded as the encoding says below.
            }
        }
        let decoded = try Workspace.decodeForImport(
            bytes, collection: "national", file: file, encoding: options.encoding)
        return try importNational(
            utf8: decoded.bytes, encoding: decoded.encoding, check: nil, file: file, options: options,
            context: context)
    }

    /// The import of a file's UTF-8 bytes (read from a file in `encoding`); with `check`, the
    /// bytes are checked meanwhile, and nothing is written (`NotUTF8` thrown) when they are not
    /// UTF-8.
    private func importNational(
        utf8 bytes: [UInt8], encoding: TextEncoding, check: UTF8CheckBeside?, file: String, options: ImportOptions,
        context: WriteContext
    ) throws -> ImportReport {
        var importer = NationalImporter(
            workspace: self, reader: CSVReader(bytes), encoding: encoding, options: options, context: context)
        importer.encodingCheck = check
        let report = try store.transaction(rollback: options.dryRun) { c in
            let report: ImportReport
            do {
                report = try importer.run(c)
            } catch {
                // What went wrong may be the bytes: if they are not UTF-8, that comes first.
                try check?.requireValid()
                throw error
            }
            try check?.requireValid()
            if !report.isClean && !options.dryRun { throw ImportFailure(file: file, report: report) }
            return report
        }
        if !report.isClean { throw ImportFailure(file: file, report: report) }
        return report
    }
}

/// One run of a national-layout import (see `Workspace.importNational`).
struct NationalImporter {
    typealias Column = NationalLayout.Column

    /// A household met in the file.
    struct Household {
        var number: String
        var area: Int
        var firstRow: RowRef
        var headRow: RowRef?
        var id: Int64?
        /// Inserted by this import (so valid: members' reference checks need not look it up).
        var inserted = false
    }

    /// Where a row is, to read it again.
    struct RowRef {
        var offset: Int
        var number: Int
        var line: Int
    }

    /// 县, 乡, 行政村 (and the resolved ids).
    struct Area: Hashable {
        var county: String
        var town: String
        var village: String
        var townID: Int64? = nil
        var villageID: Int64? = nil
        /// Whether this import inserted the village (so it exists and is valid).
        var villageInserted = false
        /// The first row naming this place (for problems).
        var firstRow = 0

        static func == (a: Area, b: Area) -> Bool { a.county == b.county && a.town == b.town && a.village == b.village }
        func hash(into hasher: inout Hasher) {
            hasher.combine(county)
            hasher.combine(town)
            hasher.combine(village)
        }
    }

    let workspace: Workspace
    let reader: CSVReader
    let context: WriteContext
    var report: ImportReport
    var problems: ProblemCollector
    var headerNames: [String] = []
    /// `position[column.rawValue]` = the file's column index.
    var position: [Int] = []
    var households: [Household] = []
    /// The households' numbers as the file gives them (trimmed), entry k being `households[k]`'s:
    /// looked up by bytes, not hashed as Strings (a Unicode-normalising hash of every number
    /// was a fifth of the first pass).
    var householdNumbers = ByteStringSet()
    var areas: [Area] = []
    var areaIndex: [Area: Int] = [:]
    /// Rows refused in the first pass (skipped in the second).
    var badRows = Set<Int>()
    /// Whether the store refused a row when a batch was written (PostgreSQL's COPY): its
    /// transaction is then aborted, so nothing more is written and the import fails.
    var storeRefused = false
    /// The check that the file is UTF-8, running beside the first pass (`UTF8CheckBeside`):
    /// waited for before anything is written.
    var encodingCheck: UTF8CheckBeside?
    /// By table, the unique fields whose keys a first load dropped (`PostgresBulkLoad`): the
    /// bulk writers check them.
    var uniqueChecked: [String: [String]] = [:]

    /// Spellings of 户主 in 与户主关系: the value and its aliases (本人), as bytes.
    static let headSpellings: [[UInt8]] =
        [Array("户主".utf8)]
        + Vocabularies.relation.aliases.filter { $0.value == "户主" }.map { Array($0.key.utf8) }

    /// Whether the row's 与户主关系 says 户主 (bytes first; text with spaces around it goes
    /// through the vocabulary).
    func isHead(_ row: CSVRow) -> Bool {
        let column = col(.relation)
        for spelling in NationalImporter.headSpellings where reader.field(row, column, equals: spelling) { return true }
        let padded = reader.withBytes(row, column) { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return first == 0x20 || last == 0x20 || first == 0x09 || last == 0x09 || first == 0xE3 || last == 0x80
        }
        return padded && Vocabularies.relation.canonical(reader.string(row, column)) == "户主"
    }

    init(workspace: Workspace, reader: CSVReader, encoding: TextEncoding, options: ImportOptions, context: WriteContext)
    {
        self.workspace = workspace
        self.reader = reader
        self.context = context
        report = ImportReport(collection: "national", encoding: encoding)
        report.dryRun = options.dryRun
        problems = ProblemCollector(limit: options.maxProblems)
    }

    func col(_ column: Column) -> Int { position[column.rawValue] }

    mutating func problem(_ row: Int, _ column: Column?, field: String? = nil, value: String, reason: String) {
        problems.add(
            ImportProblem(
                row: row, column: column.map { headerNames[col($0)] }, field: field, value: value,
                reason: reason, isPersonal: column?.isPersonal ?? false))
        badRows.insert(row)
    }

    mutating func run(_ store: any StoreConnection) throws -> ImportReport {
        var scan = reader
        var row = CSVRow()
        guard scan.read(into: &row) else {
            problems.add(
                ImportProblem(row: 1, column: nil, field: nil, value: "", reason: "the file is empty: no header row"))
            problems.fill(&report)
            return report
        }
        headerNames = (0..<row.count).map { reader.string(row, $0).trimmingSpaces() }
        let layout = NationalLayout.positions(of: headerNames)
        report.ignoredColumns = layout.ignored
        if !layout.missing.isEmpty {
            problems.add(
                ImportProblem(
                    row: 1, column: nil, field: nil, value: "",
                    reason: "the header lacks the national layout's columns \(layout.missing.joined(separator: ", "))"))
            problems.fill(&report)
            return report
        }
        position = layout.positions
        try firstPass(&scan, headerCount: row.count)
        try encodingCheck?.requireValid()
        // A county's first load into a new PostgreSQL store: the keys are built after the rows
        // (nil, and nothing changed, anywhere that is not safe: see `PostgresBulkLoad`).
        let load = try (store as? PostgresStoreConnection).flatMap {
            try PostgresBulkLoad.begin($0, tables: ["households", "members"])
        }
        uniqueChecked = load?.uniqueColumns ?? [:]
        try Workspace.withBulkPageCache(store) {
            try writeAreas(store)
            if !storeRefused { try writeHouseholds(store) }
            if !storeRefused {
                // The households are in: their keys are built while the first people are prepared
                // (not when the import already fails: it is rolled back and reports its rows).
                let households = problems.isEmpty ? load : nil
                try writeMembers(store, headerCount: row.count) { try households?.finish("households") }
            }
        }
        // An import with problems is rolled back whole, dropped keys included.
        if problems.isEmpty && !storeRefused { try load?.finish() }
        problems.fill(&report)
        return report
    }

    /// Calls `body` with the household number of `row` (its `column`) as `householdNumbers`
    /// keeps it: the field's text, spaces around it trimmed, as UTF-8 bytes.
    static func withHouseholdNumber<T>(
        _ reader: CSVReader, _ row: CSVRow, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T
    ) -> T {
        let field = row.field(column)
        guard field.escaped else { return reader.withBytes(field) { body(String.trimmingSpaces($0)) } }
        // Doubled quotes: the text is not the file's bytes.
        var text = reader.string(field).trimmingSpaces()
        return text.withUTF8(body)
    }

    /// Pass 1: rows' shape, households (by 户编号) with their head row, areas.
    mutating func firstPass(_ scan: inout CSVReader, headerCount: Int) throws {
        var row = CSVRow()
        var previous = CSVRow()
        var previousHousehold = -1
        var previousArea = -1
        let numberColumn = col(.householdNumber)
        // The columns an area is known by (`Area`): a row naming the previous row's is in its area.
        let areaColumns = [col(.county), col(.town), col(.village)]
        while scan.read(into: &row) {
            if row.isEmpty { continue }
            report.rows += 1
            if let (column, csvProblem) = row.problem {
                problems.add(
                    ImportProblem(
                        row: row.number, column: column < headerNames.count ? headerNames[column] : nil,
                        field: nil, value: "", reason: "the row \(csvProblem)"))
                badRows.insert(row.number)
                continue
            }
            if row.count != headerCount {
                problems.add(
                    ImportProblem(
                        row: row.number, column: nil, field: nil, value: "",
                        reason: "has \(Plural.count(row.count, "field")); the header has \(headerCount)"))
                badRows.insert(row.number)
                continue
            }
            // The household: usually the previous row's.
            var householdSlot: Int
            if previousHousehold >= 0 && reader.sameField(row, numberColumn, previous, numberColumn) {
                householdSlot = previousHousehold
            } else {
                let (slot, inserted) = NationalImporter.withHouseholdNumber(reader, row, numberColumn) { number in
                    number.isEmpty ? (-1, false) : householdNumbers.add(number)
                }
                if slot < 0 {
                    problem(row.number, .householdNumber, value: "", reason: "is required (the household number)")
                    continue
                }
                householdSlot = slot
                if inserted {
                    households.append(
                        Household(
                            number: reader.string(row, numberColumn).trimmingSpaces(), area: -1,
                            firstRow: RowRef(offset: row.offset, number: row.number, line: row.line)))
                }
            }
            // The area: usually the previous row's.
            var areaSlot: Int
            if previousArea >= 0 && areaColumns.allSatisfy({ reader.sameField(row, $0, previous, $0) }) {
                areaSlot = previousArea
            } else {
                let area = Area(
                    county: reader.string(row, col(.county)).trimmingSpaces(),
                    town: reader.string(row, col(.town)).trimmingSpaces(),
                    village: reader.string(row, col(.village)).trimmingSpaces(), firstRow: row.number)
                if let known = areaIndex[area] {
                    areaSlot = known
                } else {
                    areaSlot = areas.count
                    areaIndex[area] = areaSlot
                    areas.append(area)
                }
            }
            // The household's fields are read in place: a copy of it would retain its number.
            let householdArea = households[householdSlot].area
            if householdArea < 0 {
                households[householdSlot].area = areaSlot
            } else if householdArea != areaSlot {
                let household = households[householdSlot]
                let first = areas[householdArea]
                problem(
                    row.number, .village, value: reader.string(row, col(.village)),
                    reason:
                        "differs from the household's place in row \(household.firstRow.number) (\(first.town) \(first.village)); every row of household \(household.number) must name the same 县/乡/行政村"
                )
            }
            if isHead(row) {
                if let earlier = households[householdSlot].headRow {
                    problem(
                        row.number, .relation, value: "户主",
                        reason:
                            "names a second head of household \(households[householdSlot].number) (the first is in row \(earlier.number))"
                    )
                } else {
                    households[householdSlot].headRow = RowRef(offset: row.offset, number: row.number, line: row.line)
                }
            }
            swap(&row, &previous)
            previousHousehold = householdSlot
            previousArea = areaSlot
        }
    }

    /// Finds or creates every town and village the file names. Towns (a few) are inserted one
    /// by one; new villages (hundreds in a county's file) go through a bulk writer, one COPY on
    /// PostgreSQL and one audit entry for the lot as households and members get: inserted one
    /// by one they took five round trips each (savepoint, the town's check, the insert, its
    /// audit entry, release).
    mutating func writeAreas(_ store: any StoreConnection) throws {
        var towns: [String: [(id: Int64, district: String?)]] = [:]
        try store.query(#"SELECT "id", "name", "district" FROM "towns" WHERE "valid" = 1 ORDER BY "id""#) { row in
            towns[row.text(1) ?? "", default: []].append((row.integer(0) ?? 0, row.text(2)))
            return true
        }
        var villages: [String: Int64] = [:]  // "townID\u{1F}name"
        try store.query(#"SELECT "id", "town_id", "name" FROM "villages" WHERE "valid" = 1 ORDER BY "id" DESC"#) {
            row in
            villages["\(row.integer(1) ?? 0)\u{1F}\(row.text(2) ?? "")"] = row.integer(0) ?? 0
            return true
        }
        var createdTowns: [String: Int64] = [:]
        // The villages to create, each with the slots of the areas naming it.
        var newVillages: [(key: String, name: String, townID: Int64, firstRow: Int, slots: [Int])] = []
        var newVillageIndex: [String: Int] = [:]
        for slot in areas.indices {
            let area = areas[slot]
            let firstRow = area.firstRow
            let townKey = "\(area.town)\u{1F}\(area.county)"
            var townID = createdTowns[townKey]
            if townID == nil, let candidates = towns[area.town] {
                townID =
                    candidates.first { ($0.district ?? "") == area.county }?.id
                    ?? (candidates.count == 1 ? candidates[0].id : nil)
            }
            if townID == nil {
                do {
                    townID = try workspace.insert(
                        "towns", ["name": .text(area.town), "district": .text(area.county)],
                        context: context, in: store)
                    report.count("towns", inserted: 1)
                } catch let error as ValidationError {
                    problem(
                        firstRow, error.field == "district" ? .county : .town, field: "towns.\(error.field)",
                        value: error.value, reason: error.reason)
                    continue
                }
                createdTowns[townKey] = townID
            }
            guard let townID else { continue }
            areas[slot].townID = townID
            let villageKey = "\(townID)\u{1F}\(area.village)"
            if let villageID = villages[villageKey] {
                areas[slot].villageID = villageID
            } else if let pending = newVillageIndex[villageKey] {
                newVillages[pending].slots.append(slot)
            } else {
                newVillageIndex[villageKey] = newVillages.count
                newVillages.append((villageKey, area.village, townID, firstRow, [slot]))
            }
        }
        guard !newVillages.isEmpty else { return }
        let writer = try workspace.bulkWriter("villages", columns: ["name", "town_id"], context: context, in: store)
        writer.expectedInserts = newVillages.count
        // Every town here was just read as valid or inserted: not looked up again per village.
        writer.assumeValid("towns", ids: Set(newVillages.map(\.townID)))
        var inserted = 0
        do {
            for village in newVillages {
                do {
                    let id = try writer.insert([.text(village.name), .integer(village.townID)], line: village.firstRow)
                    villages[village.key] = id
                    for slot in village.slots {
                        areas[slot].villageID = id
                        areas[slot].villageInserted = true
                    }
                    inserted += 1
                } catch let error as ValidationError {
                    problem(
                        village.firstRow, .village, field: "villages.\(error.field)", value: error.value,
                        reason: error.reason)
                }
            }
            try writer.finish()
        } catch {
            let refused = try refusedRow(error, of: writer)
            let error = refused.error
            problem(
                refused.line ?? 0, .village, field: "villages.\(error.field)", value: error.value, reason: error.reason)
            storeRefused = true
            return
        }
        report.count("villages", inserted: inserted)
    }
}
