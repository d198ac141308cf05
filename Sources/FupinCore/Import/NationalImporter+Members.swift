/// Pass 2 of a national import, on two threads: a `MemberProducer` reads every row again,
/// builds its person, converts and checks it (formats, vocabularies, ID check digit: no
/// database needed) and checks the household-level columns of rows other than the head's;
/// this thread meanwhile writes the people it has prepared, in file order (ids, audit and
/// problems come out exactly as from one thread). About a third of the work moves off the
/// thread that writes.
///
/// Example: see `Workspace.importNational`.
extension NationalImporter {
    /// Writes the people; `meanwhile` runs on this thread once the producer has started (the
    /// households' keys are built then, while the first people are prepared).
    mutating func writeMembers(_ store: any StoreConnection, headerCount: Int, meanwhile: () throws -> Void) throws {
        let existing = try existingNumbers(store, "members")
        let fields = NationalLayout.memberFields
        let writer = try workspace.bulkWriter("members", columns: fields.map(\.field), context: context, in: store)
        let engine = try workspace.engine("members", store, context)
        writer.expectedInserts = report.rows  // at most a person per row
        writer.checkUnique(uniqueChecked["members"] ?? [])
        let householdsCompiled = try workspace.requireCompiled("households")
        let producer = MemberProducer(
            reader: reader, headerNames: headerNames, position: position,
            households: households.map { MemberProducer.Household(id: $0.id, headRow: $0.headRow) },
            householdNumbers: householdNumbers, badRows: badRows, existing: existing, preparer: writer.preparer,
            checks: NationalLayout.checkedOnEveryRow.compactMap { entry in
                householdsCompiled.schema.index(of: entry.field).map {
                    MemberProducer.Check(
                        field: entry.field, column: entry.column, converter: householdsCompiled.converters[$0])
                }
            },
            today: CalendarDate.today())
        var updatedIDs: [Int64: Int] = [:]
        var inserted = 0
        var updated = 0
        var unchanged = 0
        // The households this import inserted exist and are valid: not looked up per person.
        writer.assumeValid("households", ids: households.lazy.filter(\.inserted).compactMap(\.id))
        do {
            try BatchChannel<MemberProducer.Batch>.pipeline(
                capacity: MemberProducer.channelCapacity, produce: { channel in producer.run(channel) },
                meanwhile: meanwhile,
                consume: { batch in
                    for item in batch.items {
                        for found in item.problems {
                            problems.add(found)
                            badRows.insert(found.row)
                        }
                        do {
                            switch item.outcome {
                            case .none:
                                continue
                            case .insert(let index):
                                try writer.insert(batch.rows, at: index, line: item.row)
                                inserted += 1
                            case .update(let existingID, let given):
                                if let earlier = updatedIDs[existingID] {
                                    problem(
                                        item.row, .personNumber, value: item.personNumber,
                                        reason: "is given twice (also in row \(earlier))")
                                    continue
                                }
                                updatedIDs[existingID] = item.row
                                if try engine.update(existingID, converted: given) {
                                    updated += 1
                                } else {
                                    unchanged += 1
                                }
                            }
                        } catch let error as ValidationError {
                            memberProblem(item.row, error)
                        }
                    }
                })
            try writer.finish()
        } catch {
            let refused = try refusedRow(error, of: writer)
            memberProblem(refused.line ?? 0, refused.error)
            storeRefused = true
            return
        }
        report.count("members", inserted: inserted, updated: updated, unchanged: unchanged)
    }

    /// Records a person's refused field as the file's problem.
    mutating func memberProblem(_ row: Int, _ error: ValidationError) {
        var reason = error.reason
        if error.field == "number" && reason == "is already used by another record" {
            reason = "is given twice in the file (人编号 must be unique)"
        }
        problem(
            row, MemberProducer.column(of: error.field), field: "members.\(error.field)",
            value: error.value, reason: reason)
    }
}

/// The reading half of pass 2 (see `NationalImporter.writeMembers`): everything it holds is a
/// copy or immutable, so it runs on its own thread.
struct MemberProducer: Sendable {
    typealias Column = NationalLayout.Column

    struct Household: Sendable {
        var id: Int64?
        var headRow: NationalImporter.RowRef?
    }

    struct Check: Sendable {
        var field: String
        var column: Column
        var converter: FieldConverter
    }

    /// One row's person, ready for the writing thread.
    struct Item: Sendable {
        var row: Int
        /// The person number (only for a person already stored: a new one's is in its row).
        var personNumber: String
        var problems: [ImportProblem]
        var outcome: Outcome
    }

    /// Consecutive rows' people, and the new ones' rows as the writer stores them.
    struct Batch: Sendable {
        var items: [Item] = []
        var rows: PreparedRows
    }

    enum Outcome: Sendable {
        /// Nothing to write (a bad row, or its household was refused).
        case none
        /// A new person, converted and checked: its row in the batch's `rows`.
        case insert(Int)
        /// A person already stored: its values converted, in field order (nil: not given).
        case update(Int64, [SQLValue?])
    }

    /// How a member field gets its value from a row.
    enum Source: Sendable {
        case household, personNumber, idNumber, sexFromID, birthDateFromID, column(Int)
    }

    let reader: CSVReader
    let headerNames: [String]
    let position: [Int]
    let households: [Household]
    let householdNumbers: ByteStringSet
    let badRows: Set<Int>
    let existing: [String: Int64]
    let preparer: RowPreparer
    let checks: [Check]
    let today: CalendarDate

    static let batchSize = 256
    /// Batches prepared ahead of the writer: enough to keep this thread busy while the
    /// households' keys are built (16,384 people, about 10 MB).
    static let channelCapacity = 64

    func col(_ column: Column) -> Int { position[column.rawValue] }

    /// The layout column a member field is read from.
    static func column(of field: String) -> Column? {
        NationalLayout.memberFields.first { $0.field == field }?.column
    }

    func problem(_ row: Int, _ column: Column?, field: String?, value: String, reason: String) -> ImportProblem {
        return ImportProblem(
            row: row, column: column.map { headerNames[col($0)] }, field: field, value: value,
            reason: reason, isPersonal: column?.isPersonal ?? false)
    }

    func run(_ channel: BatchChannel<Batch>) {
        let fields = NationalLayout.memberFields
        let sources: [Source] = fields.map { field, column in
            switch field {
            case "household_id": return .household
            case "number": return .personNumber
            case "id_number": return .idNumber
            case "sex": return .sexFromID
            case "birth_date": return .birthDateFromID
            default: return .column(col(column))
            }
        }
        let numberColumn = col(.householdNumber)
        let personColumn = col(.personNumber)
        let idColumn = col(.idNumber)
        var scan = reader
        var row = CSVRow()
        var previous = CSVRow()
        var headRow = CSVRow()
        _ = scan.read(into: &row)  // the header
        var previousSlot = -1
        var headSlot = -1
        var values = [FieldInput](repeating: .null, count: fields.count)
        // Inputs equal (byte for byte) to the last row's are kept, and their stored values
        // taken from its prepared row: `valuesRow` is the row whose inputs `values` holds,
        // `preparedRow` the row `scratch` holds the stored values of.
        var unchanged = [Bool](repeating: false, count: fields.count)
        var valuesRow = -1
        var preparedRow = -1
        var scratch: [SQLValue] = []
        // New people's columns with few distinct texts are converted once per text
        // (`ConvertedValueMemo`); a row that used one leaves `values` stale for that column,
        // so the next row does not count on `values` (valuesRow stays -1).
        var memos = [ConvertedValueMemo](repeating: ConvertedValueMemo(), count: fields.count)
        var converted = [SQLValue?](repeating: nil, count: fields.count)
        var batch = Batch(rows: preparer.makeRows(capacity: MemberProducer.batchSize))
        batch.items.reserveCapacity(MemberProducer.batchSize)
        let anyBadRow = !badRows.isEmpty
        // Read through a local: a closure naming a property captures all of `self`, a copy of
        // this producer (a dozen references) for every household.
        let householdNumbers = householdNumbers
        while scan.read(into: &row) {
            if row.isEmpty || (anyBadRow && badRows.contains(row.number)) { continue }
            let slot: Int
            if previousSlot >= 0 && reader.sameField(row, numberColumn, previous, numberColumn) {
                slot = previousSlot
            } else {
                let found = NationalImporter.withHouseholdNumber(reader, row, numberColumn) {
                    householdNumbers.index(of: $0)
                }
                guard let known = found else { continue }
                slot = known
            }
            swap(&row, &previous)
            previousSlot = slot
            // `previous` is now this row.
            let household = households[slot]
            guard let householdID = household.id else { continue }
            var item = Item(row: previous.number, personNumber: "", problems: [], outcome: .none)
            if let head = household.headRow, head.number != previous.number {
                if headSlot != slot {
                    reader.reread(offset: head.offset, number: head.number, line: head.line, into: &headRow)
                    headSlot = slot
                }
                for check in checks where !reader.sameField(previous, col(check.column), headRow, col(check.column)) {
                    do {
                        _ = try check.converter.convert(.text(reader.string(previous, col(check.column))), today: today)
                    } catch {
                        item.problems.append(
                            problem(
                                previous.number, check.column, field: "households.\(check.field)",
                                value: error.value, reason: error.reason))
                    }
                }
            }
            let personNumber = reader.string(previous, personColumn).trimmingSpaces()
            if personNumber.isEmpty {
                item.problems.append(
                    problem(
                        previous.number, .personNumber, field: nil, value: "",
                        reason: "is required (the person number)"))
            } else {
                let idText = reader.string(previous, idColumn)
                let derived = reader.withBytes(previous, idColumn) { NationalImporter.sexAndBirthDate($0) }
                // `row` holds the last row handled before this one (they were swapped above).
                let sameInputs = valuesRow == row.number
                // A first load has no stored people: no hash of the number to find that out.
                let existingID = existing.isEmpty ? nil : existing[personNumber]
                var usedMemo = false
                for (index, source) in sources.enumerated() {
                    unchanged[index] = false
                    converted[index] = nil
                    switch source {
                    case .household:
                        unchanged[index] = sameInputs && values[index] == .integer(householdID)
                        values[index] = .integer(householdID)
                    case .personNumber: values[index] = .text(personNumber)
                    case .idNumber: values[index] = .text(idText)
                    case .sexFromID: values[index] = derived.map { .text($0.sex) } ?? .null
                    case .birthDateFromID: values[index] = derived.map { .text($0.birthDate) } ?? .null
                    case .column(let column):
                        if sameInputs && reader.sameField(previous, column, row, column) {
                            unchanged[index] = true
                        } else if existingID == nil {
                            let (value, text) = memos[index].convert(
                                reader, previous.field(column), preparer: preparer, position: index)
                            converted[index] = value
                            if let text { values[index] = .text(text) } else { usedMemo = true }
                        } else {
                            values[index] = .text(reader.string(previous, column))
                        }
                    }
                }
                valuesRow = usedMemo ? -1 : previous.number
                do {
                    if let existingID {
                        // Converted here, on this thread; the writer compares and writes.
                        item.personNumber = personNumber
                        item.outcome = .update(existingID, try preparer.convertGiven(values))
                    } else {
                        let reusing = preparedRow == row.number
                        preparedRow = -1
                        try preparer.prepare(
                            values, into: &batch.rows, scratch: &scratch, reusing: reusing, unchanged: unchanged,
                            converted: converted)
                        preparedRow = previous.number
                        item.outcome = .insert(batch.rows.count - 1)
                    }
                } catch let error as ValidationError {
                    item.problems.append(
                        problem(
                            previous.number, MemberProducer.column(of: error.field),
                            field: "members.\(error.field)", value: error.value, reason: error.reason))
                } catch {
                    item.problems.append(problem(previous.number, nil, field: nil, value: "", reason: "\(error)"))
                }
            }
            batch.items.append(item)
            if batch.items.count >= MemberProducer.batchSize {
                guard channel.send(batch) else { return }
                batch = Batch(rows: preparer.makeRows(capacity: MemberProducer.batchSize))
                batch.items.reserveCapacity(MemberProducer.batchSize)
            }
        }
        if !batch.items.isEmpty { _ = channel.send(batch) }
    }
}
