/// The writing passes of a national-layout import: households from their head rows, then every
/// row's person. New records go through the bulk writer (validated, audited in chunks);
/// existing ones (by 户编号 / 人编号) through a validated update that writes only what changed.
///
/// Example: see `Workspace.importNational`.
extension NationalImporter {
    /// Stored `number` → id of a table (valid records win), or empty when the table is empty.
    func existingNumbers(_ store: any StoreConnection, _ table: String) throws -> [String: Int64] {
        guard try workspace.count(table, in: store) > 0 else { return [:] }
        var map: [String: Int64] = [:]
        try store.query(
            "SELECT \"number\", \"id\" FROM \"\(table)\" WHERE \"number\" IS NOT NULL ORDER BY \"valid\", \"id\""
        ) { row in
            map[row.text(0) ?? ""] = row.integer(1) ?? 0
            return true
        }
        return map
    }

    /// The row the server refused in a COPY — `error` itself, or one `writer` holds for a later
    /// statement to meet; any other error is thrown again. The caller records it as the file's
    /// problem and writes nothing after it (`storeRefused`).
    func refusedRow(_ error: any Error, of writer: BulkWriter) throws -> DeferredRowError {
        guard let refused = error as? DeferredRowError ?? writer.takeDeferredFailure() as? DeferredRowError
        else { throw error }
        return refused
    }

    /// Inserts or updates every household that has a place and a head row. As for people, the
    /// head rows are read and the households converted and checked on a second thread
    /// (`HouseholdProducer`) while this one writes them in order.
    mutating func writeHouseholds(_ store: any StoreConnection) throws {
        let existing = try existingNumbers(store, "households")
        let fields = NationalLayout.householdFields
        let writer = try workspace.bulkWriter("households", columns: fields.map(\.field), context: context, in: store)
        let engine = try workspace.engine("households", store, context)
        writer.expectedInserts = households.count(where: { existing[$0.number] == nil })
        writer.checkUnique(uniqueChecked["households"] ?? [])
        // The villages this import inserted exist and are valid: not looked up per village
        // (on PostgreSQL each lookup would also end the writer's open COPY).
        writer.assumeValid("villages", ids: areas.lazy.filter(\.villageInserted).compactMap(\.villageID))
        let producer = HouseholdProducer(
            reader: reader, headerNames: headerNames, position: position, households: households,
            villageIDs: areas.map(\.villageID), badRows: badRows, existing: existing, preparer: writer.preparer)
        var inserted = 0
        var updated = 0
        var unchanged = 0
        do {
            try BatchChannel<HouseholdProducer.Batch>.pipeline(
                capacity: 16, produce: { producer.run($0) },
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
                                households[item.slot].id = try writer.insert(batch.rows, at: index, line: item.row)
                                households[item.slot].inserted = true
                                inserted += 1
                            case .update(let existingID, let given):
                                if try engine.update(existingID, converted: given) {
                                    updated += 1
                                } else {
                                    unchanged += 1
                                }
                                households[item.slot].id = existingID
                            }
                        } catch let error as ValidationError {
                            problem(
                                item.row, HouseholdProducer.column(of: error.field), field: "households.\(error.field)",
                                value: error.value, reason: error.reason)
                        }
                    }
                })
            try writer.finish()
        } catch {
            let refused = try refusedRow(error, of: writer)
            let error = refused.error
            problem(
                refused.line ?? 0, HouseholdProducer.column(of: error.field), field: "households.\(error.field)",
                value: error.value, reason: error.reason)
            storeRefused = true
            return
        }
        report.count("households", inserted: inserted, updated: updated, unchanged: unchanged)
    }

    /// Sex (17th digit odd: 男) and birth date (digits 7–14) read from the bytes of an 18-character
    /// ID number, or nil when they are not digits. Validity (check digit, real date) is the
    /// id_number field's own check; a bad ID fails the row there.
    static func sexAndBirthDate(_ bytes: UnsafeBufferPointer<UInt8>) -> (sex: String, birthDate: String)? {
        // Surrounding spaces are allowed in the file.
        var start = 0
        var end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        guard end - start == 18 else { return nil }
        for k in start..<(start + 17) where !(bytes[k] >= 0x30 && bytes[k] <= 0x39) { return nil }
        let digits = UnsafeBufferPointer(rebasing: bytes[(start + 6)..<(start + 14)])
        var date = [UInt8](repeating: 0x2D, count: 10)
        for k in 0..<4 { date[k] = digits[k] }
        date[5] = digits[4]; date[6] = digits[5]; date[8] = digits[6]; date[9] = digits[7]
        return ((bytes[start + 16] - 0x30) % 2 == 1 ? "男" : "女", String(decoding: date, as: UTF8.self))
    }
}

/// The reading half of the households pass: reads each household's head row (or, for a
/// household already stored, its first row), converts and checks it; runs on its own thread.
struct HouseholdProducer: Sendable {
    typealias Column = NationalLayout.Column

    struct Item: Sendable {
        var slot: Int
        var row: Int
        var problems: [ImportProblem]
        var outcome: Outcome
    }

    /// Consecutive households, and the new ones' rows as the writer stores them.
    struct Batch: Sendable {
        var items: [Item] = []
        var rows: PreparedRows
    }

    enum Outcome: Sendable {
        case none
        /// A new household, converted and checked: its row in the batch's `rows`.
        case insert(Int)
        /// A household already stored: its values converted, in field order (nil: kept as stored).
        case update(Int64, [SQLValue?])
    }

    let reader: CSVReader
    let headerNames: [String]
    let position: [Int]
    let households: [NationalImporter.Household]
    let villageIDs: [Int64?]
    let badRows: Set<Int>
    let existing: [String: Int64]
    let preparer: RowPreparer

    static let batchSize = 256

    func col(_ column: Column) -> Int { position[column.rawValue] }

    /// The layout column a household field is read from.
    static func column(of field: String) -> Column? {
        NationalLayout.householdFields.first { $0.field == field }?.column
    }

    func problem(_ row: Int, _ column: Column?, field: String?, value: String, reason: String) -> ImportProblem {
        return ImportProblem(
            row: row, column: column.map { headerNames[col($0)] }, field: field, value: value,
            reason: reason, isPersonal: column?.isPersonal ?? false)
    }

    func run(_ channel: BatchChannel<Batch>) {
        let fields = NationalLayout.householdFields
        let headFields: Set<String> = ["head_name", "head_id_number", "phone"]
        var row = CSVRow()
        var values = [FieldInput](repeating: .null, count: fields.count)
        var batch = Batch(rows: preparer.makeRows(capacity: HouseholdProducer.batchSize))
        var scratch: [SQLValue] = []
        // As for people: columns with few distinct texts are converted once per text.
        var memos = [ConvertedValueMemo](repeating: ConvertedValueMemo(), count: fields.count)
        var converted = [SQLValue?](repeating: nil, count: fields.count)
        for (slot, household) in households.enumerated() {
            guard household.area >= 0, let villageID = villageIDs[household.area] else { continue }
            let existingID = existing.isEmpty ? nil : existing[household.number]
            guard let source = household.headRow ?? (existingID != nil ? household.firstRow : nil) else {
                batch.items.append(
                    Item(
                        slot: slot, row: household.firstRow.number,
                        problems: [
                            problem(
                                household.firstRow.number, .relation, field: nil, value: "",
                                reason: "household \(household.number) has no row whose 与户主关系 is 户主")
                        ], outcome: .none))
                continue
            }
            if badRows.contains(source.number) { continue }
            reader.reread(offset: source.offset, number: source.number, line: source.line, into: &row)
            for (index, (field, column)) in fields.enumerated() {
                converted[index] = nil
                if field == "village_id" {
                    values[index] = .integer(villageID)
                } else if existingID == nil {
                    let (value, text) = memos[index].convert(
                        reader, row.field(col(column)), preparer: preparer, position: index)
                    converted[index] = value
                    if let text { values[index] = .text(text) }
                } else {
                    values[index] = .text(reader.string(row, col(column)))
                }
            }
            var item = Item(slot: slot, row: source.number, problems: [], outcome: .none)
            do {
                if let existingID {
                    // Without a head row the head's name, ID and phone are kept as stored.
                    let skip = fields.map { household.headRow == nil && headFields.contains($0.field) }
                    item.outcome = .update(existingID, try preparer.convertGiven(values, skip: skip))
                } else {
                    try preparer.prepare(values, into: &batch.rows, scratch: &scratch, converted: converted)
                    item.outcome = .insert(batch.rows.count - 1)
                }
            } catch let error as ValidationError {
                item.problems.append(
                    problem(
                        source.number, HouseholdProducer.column(of: error.field),
                        field: "households.\(error.field)", value: error.value, reason: error.reason))
            } catch {
                item.problems.append(problem(source.number, nil, field: nil, value: "", reason: "\(error)"))
            }
            batch.items.append(item)
            if batch.items.count >= HouseholdProducer.batchSize {
                guard channel.send(batch) else { return }
                batch = Batch(rows: preparer.makeRows(capacity: HouseholdProducer.batchSize))
            }
        }
        if !batch.items.isEmpty { _ = channel.send(batch) }
    }
}
