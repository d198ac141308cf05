/// Converts and checks rows for one bulk writer's columns with no database, so it can run on
/// another thread (the national import converts on one core while the store writes on the
/// other), into `PreparedRows` in the form the writer stores them.
///
/// A class, not a struct: it is handed to a helper for every field of every row, and a struct
/// of five references is five retains and releases each time (a fifth of a national import's
/// CPU); a class reference is one.
///
/// Example:
/// ```swift
/// var rows = writer.preparer.makeRows(capacity: 256)
/// var scratch: [SQLValue] = []
/// try writer.preparer.prepare(values, into: &rows, scratch: &scratch)
/// try writer.insert(rows, at: 0)
/// ```
public final class RowPreparer: Sendable {
    let compiled: CompiledCollection
    let converters: [FieldConverter]
    let fieldIndexes: [Int?]
    let defaultRow: [SQLValue]
    let today: CalendarDate
    /// Whether rows are held as COPY text (the writer copies them into PostgreSQL).
    let copyForm: Bool
    /// Fields no column gives: their defaults in every row.
    let ungivenIndexes: [Int]
    /// Whether a column whose input is the previous row's may keep that row's value: not where
    /// a rule derives fields (a stored value may then be derived, not the input's).
    let keepsUnchanged: Bool

    init(
        compiled: CompiledCollection, converters: [FieldConverter], fieldIndexes: [Int?], defaultRow: [SQLValue],
        today: CalendarDate, copyForm: Bool
    ) {
        self.compiled = compiled
        self.converters = converters
        self.fieldIndexes = fieldIndexes
        self.defaultRow = defaultRow
        self.today = today
        self.copyForm = copyForm
        let given = Set(fieldIndexes.compactMap { $0 })
        ungivenIndexes = defaultRow.indices.filter { !given.contains($0) }
        keepsUnchanged = !compiled.rules.contains {
            if case .product = $0 { return true } else { return false }
        }
    }

    /// An empty batch of rows in this preparer's form.
    public func makeRows(capacity: Int = 0) -> PreparedRows {
        PreparedRows(copyForm: copyForm, fieldCount: defaultRow.count, capacity: capacity)
    }

    /// The converter of column `position` (nil for `id`).
    func converter(at position: Int) -> FieldConverter? {
        fieldIndexes[position].map { converters[$0] }
    }

    /// The converted values of an update: in field order, nil for the fields not given and
    /// for the columns `skip` flags; throws the first `ValidationError`. No database needed.
    func convertGiven(_ values: [FieldInput], skip: [Bool] = []) throws -> [SQLValue?] {
        var given = [SQLValue?](repeating: nil, count: defaultRow.count)
        for position in 0..<min(values.count, fieldIndexes.count) {
            guard let index = fieldIndexes[position], !(position < skip.count && skip[position]) else { continue }
            given[index] = try converters[index].convert(values[position], today: today)
        }
        return given
    }

    /// Converts and checks `values` (in the writer's column order) and adds the stored row to
    /// `rows`; throws the first `ValidationError` of the row, adding nothing. `scratch` is the
    /// caller's, reused from row to row (no array made per row); with `reusing`, it holds the
    /// row this preparer made last, and the columns flagged in `unchanged` had the same input
    /// there, so their values are kept instead of converted again (conversion is a pure function
    /// of the input; consecutive rows of a file repeat most of their vocabulary values). The
    /// columns with a value in `converted` take it as their stored value (already converted by
    /// this preparer's converter, e.g. remembered from an earlier row with the same text).
    public func prepare(
        _ values: [FieldInput], into rows: inout PreparedRows, scratch: inout [SQLValue], reusing: Bool = false,
        unchanged: [Bool] = [], converted: [SQLValue?] = []
    ) throws {
        guard values.count == fieldIndexes.count else {
            throw ValidationError(
                collection: compiled.name, field: compiled.fieldNames.first ?? "", value: "",
                reason: "row has \(values.count) values for \(fieldIndexes.count) columns")
        }
        let keep = reusing && keepsUnchanged && scratch.count == defaultRow.count
        if scratch.count != defaultRow.count {
            scratch = defaultRow
        } else if keep {
            for index in ungivenIndexes { scratch[index] = defaultRow[index] }
        } else {
            for index in defaultRow.indices { scratch[index] = defaultRow[index] }
        }
        var explicitID: Int64?
        for position in 0..<values.count {
            guard let index = fieldIndexes[position] else {
                explicitID = try RecordEngine.convertID(values[position], collection: compiled.name)
                continue
            }
            if position < converted.count, let value = converted[position] {
                scratch[index] = value
                continue
            }
            if keep, position < unchanged.count, unchanged[position] { continue }
            let value = try converters[index].convert(values[position], today: today)
            scratch[index] = !value.isNull || defaultRow[index].isNull ? value : defaultRow[index]
        }
        try RecordEngine.derive(&scratch, compiled: compiled)
        try RecordEngine.checkRecord(scratch, compiled: compiled)
        rows.append(scratch, explicitID: explicitID)
    }
}
