import GRDB

/// The writing passes of a national-layout import: households from their head rows, then every
/// row's person. New records go through the bulk writer (validated, audited in chunks);
/// existing ones (by 户编号 / 人编号) through a validated update that writes only what changed.
///
/// Example: see `Workspace.importNational`.
extension NationalImporter {
    /// Stored `number` → id of a table (valid records win), or empty when the table is empty.
    func existingNumbers(_ db: Database, _ table: String) throws -> [String: Int64] {
        guard try workspace.count(table, in: db) > 0 else { return [:] }
        var map: [String: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT \"number\", \"id\" FROM \"\(table)\" WHERE \"number\" IS NOT NULL ORDER BY \"valid\", \"id\"")
        while let row = try rows.next() { map[row[0]] = row[1] }
        return map
    }

    /// Inserts or updates every household that has a place and a head row.
    mutating func writeHouseholds(_ db: Database) throws {
        let existing = try existingNumbers(db, "households")
        let fields = NationalLayout.householdFields
        let writer = try workspace.bulkWriter("households", columns: fields.map(\.field), context: context, in: db)
        let engine = try workspace.engine("households", db, context)
        var row = CSVRow()
        var values = [FieldInput](repeating: .null, count: fields.count)
        var inserted = 0, updated = 0, unchanged = 0
        for slot in households.indices {
            let household = households[slot]
            guard household.area >= 0, let villageID = areas[household.area].villageID else { continue }
            let existingID = existing[household.number]
            guard let source = household.headRow ?? (existingID != nil ? household.firstRow : nil) else {
                problem(household.firstRow.number, .relation, value: "",
                        reason: "household \(household.number) has no row whose 与户主关系 is 户主")
                continue
            }
            if badRows.contains(source.number) { continue }
            reader.reread(offset: source.offset, number: source.number, line: source.line, into: &row)
            for (index, (field, column)) in fields.enumerated() {
                values[index] = field == "village_id" ? .integer(villageID) : .text(reader.string(row, col(column)))
            }
            do {
                if let existingID {
                    var named: [String: FieldInput] = [:]
                    for (index, (field, _)) in fields.enumerated() {
                        // Without a head row the head's name, ID and phone are kept as stored.
                        if household.headRow == nil && ["head_name", "head_id_number", "phone"].contains(field) { continue }
                        named[field] = values[index]
                    }
                    if try engine.update(existingID, named) { updated += 1 } else { unchanged += 1 }
                    households[slot].id = existingID
                } else {
                    households[slot].id = try writer.insert(values)
                    inserted += 1
                }
            } catch let error as ValidationError {
                let column = fields.first { $0.field == error.field }?.column
                problem(source.number, column, field: "households.\(error.field)", value: error.value, reason: error.reason)
            }
        }
        try writer.finish()
        report.count("households", inserted: inserted, updated: updated, unchanged: unchanged)
    }

    /// How a member field gets its value from a row.
    enum MemberValue {
        case household, personNumber, idNumber, sexFromID, birthDateFromID, column(Int)
    }

    /// Pass 2: every row's person, and the household-level columns of rows other than the head's.
    mutating func writeMembers(_ db: Database, headerCount: Int) throws {
        let existing = try existingNumbers(db, "members")
        let fields = NationalLayout.memberFields
        let sources: [MemberValue] = fields.map { field, column in
            switch field {
            case "household_id": return .household
            case "number": return .personNumber
            case "id_number": return .idNumber
            case "sex": return .sexFromID
            case "birth_date": return .birthDateFromID
            default: return .column(col(column))
            }
        }
        let writer = try workspace.bulkWriter("members", columns: fields.map(\.field), context: context, in: db)
        let engine = try workspace.engine("members", db, context)
        let householdsCompiled = try workspace.requireCompiled("households")
        let checks: [(field: String, column: Int, converter: FieldConverter)] = NationalLayout.checkedOnEveryRow.compactMap { entry in
            guard let index = householdsCompiled.schema.index(of: entry.field) else { return nil }
            return (entry.field, col(entry.column), householdsCompiled.converters[index])
        }
        let today = CalendarDate.today()
        let numberColumn = col(.householdNumber), personColumn = col(.personNumber), idColumn = col(.idNumber)
        var scan = reader
        var row = CSVRow(), previous = CSVRow(), headRow = CSVRow()
        _ = scan.read(into: &row)  // the header
        var previousSlot = -1
        var headSlot = -1
        var values = [FieldInput](repeating: .null, count: fields.count)
        var updatedIDs: [Int64: Int] = [:]
        var inserted = 0, updated = 0, unchanged = 0
        let anyBadRow = !badRows.isEmpty
        while scan.read(into: &row) {
            if row.isEmpty || (anyBadRow && badRows.contains(row.number)) { continue }
            let slot: Int
            if previousSlot >= 0 && reader.sameField(row, numberColumn, previous, numberColumn) {
                slot = previousSlot
            } else {
                guard let known = householdIndex[reader.string(row, numberColumn).trimmingSpaces()] else { continue }
                slot = known
            }
            swap(&row, &previous)
            previousSlot = slot
            // `previous` is now this row.
            let household = households[slot]
            guard let householdID = household.id else { continue }
            if let head = household.headRow, head.number != previous.number {
                if headSlot != slot {
                    reader.reread(offset: head.offset, number: head.number, line: head.line, into: &headRow)
                    headSlot = slot
                }
                for check in checks where !reader.sameField(previous, check.column, headRow, check.column) {
                    let text = reader.string(previous, check.column)
                    do {
                        _ = try check.converter.convert(.text(text), today: today)
                    } catch {
                        let column = NationalLayout.checkedOnEveryRow.first { $0.field == check.field }?.column
                        problem(previous.number, column, field: "households.\(check.field)", value: error.value, reason: error.reason)
                    }
                }
            }
            let personNumber = reader.string(previous, personColumn).trimmingSpaces()
            if personNumber.isEmpty {
                problem(previous.number, .personNumber, value: "", reason: "is required (the person number)")
                continue
            }
            let idText = reader.string(previous, idColumn)
            let derived = reader.withBytes(previous, idColumn) { NationalImporter.sexAndBirthDate($0) }
            for (index, source) in sources.enumerated() {
                switch source {
                case .household: values[index] = .integer(householdID)
                case .personNumber: values[index] = .text(personNumber)
                case .idNumber: values[index] = .text(idText)
                case .sexFromID: values[index] = derived.map { .text($0.sex) } ?? .null
                case .birthDateFromID: values[index] = derived.map { .text($0.birthDate) } ?? .null
                case .column(let column): values[index] = .text(reader.string(previous, column))
                }
            }
            do {
                if let existingID = existing[personNumber] {
                    if let earlier = updatedIDs[existingID] {
                        problem(previous.number, .personNumber, value: personNumber, reason: "is given twice (also in row \(earlier))")
                        continue
                    }
                    updatedIDs[existingID] = previous.number
                    var named: [String: FieldInput] = [:]
                    for (index, (field, _)) in fields.enumerated() { named[field] = values[index] }
                    if try engine.update(existingID, named) { updated += 1 } else { unchanged += 1 }
                } else {
                    try writer.insert(values)
                    inserted += 1
                }
            } catch let error as ValidationError {
                let column = fields.first { $0.field == error.field }?.column
                var reason = error.reason
                if error.field == "number" && reason == "is already used by another record" {
                    reason = "is given twice in the file (人编号 must be unique)"
                }
                problem(previous.number, column, field: "members.\(error.field)", value: error.value, reason: reason)
            }
        }
        try writer.finish()
        report.count("members", inserted: inserted, updated: updated, unchanged: unchanged)
    }

    /// Sex (17th digit odd: 男) and birth date (digits 7–14) read from the bytes of an 18-character
    /// ID number, or nil when they are not digits. Validity (check digit, real date) is the
    /// id_number field's own check; a bad ID fails the row there.
    static func sexAndBirthDate(_ bytes: UnsafeBufferPointer<UInt8>) -> (sex: String, birthDate: String)? {
        // Surrounding spaces are allowed in the file.
        var start = 0, end = bytes.count
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
