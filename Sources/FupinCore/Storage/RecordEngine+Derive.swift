/// Derived fields: `result = a × b` rules (a sale's amount = quantity × unit price), where any
/// two of the three give the third.
///
/// Values are multiplied in presentation units (yuan, 亩) and stored back exactly: money in
/// fen and area in hundredths rounded half away from zero, integers only when exact.
///
/// Example: quantity 12.5 and unit_price 6.40 (640 fen) give amount 80.00 (8000 fen); amount
/// 80.00 and quantity 12.5 give unit_price 6.40.
extension RecordEngine {
    /// Fills the missing one of each product rule's three fields, and checks them when all
    /// three are present. Fewer than two present: nothing to do (required checks come later).
    static func derive(_ row: inout [SQLValue], compiled: CompiledCollection) throws {
        for rule in compiled.rules {
            guard case .product(let r, let a, let b) = rule else { continue }
            let fields = compiled.schema.fields
            let values = [r, a, b].map { presentation(row[$0], fields[$0].type) }
            switch (values[0], values[1], values[2]) {
            case (nil, let x?, let y?):
                row[r] = try stored(x * y, fields[r], compiled.name)
            case (let z?, nil, let y?):
                guard y != 0 else { continue }
                row[a] = try stored(z / y, fields[a], compiled.name)
            case (let z?, let x?, nil):
                guard x != 0 else { continue }
                row[b] = try stored(z / x, fields[b], compiled.name)
            case (let z?, let x?, let y?):
                // Tolerate the rounding a stored derived factor brings (half a unit of each).
                let tolerance =
                    0.5 * unit(fields[r].type) + 0.5 * unit(fields[b].type) * abs(x) + 0.5 * unit(fields[a].type)
                    * abs(y)
                if abs(x * y - z) > tolerance + 1e-9 {
                    throw ValidationError(
                        collection: compiled.name, field: fields[r].name, value: display(row[r], fields[r].type),
                        reason:
                            "does not equal \(fields[a].name) \(display(row[a], fields[a].type)) × \(fields[b].name) \(display(row[b], fields[b].type)) = \(FieldInput.shortest((x * y * 100).rounded() / 100)); give two of the three and the third is computed"
                    )
                }
            default:
                continue
            }
        }
    }

    /// Before an update: for each product rule touched by the update but not given in full,
    /// clears the field to recompute (the result when it was not given, else a factor that
    /// was not), so changing the quantity recomputes the amount. Returns the cleared indexes.
    static func clearDerivedFields(_ row: inout [SQLValue], given: [Bool], compiled: CompiledCollection) -> [Int] {
        var cleared: [Int] = []
        for rule in compiled.rules {
            guard case .product(let r, let a, let b) = rule else { continue }
            let touched = [r, a, b].filter { given[$0] }
            guard !touched.isEmpty, touched.count < 3 else { continue }
            let target = !given[r] ? r : (!given[b] ? b : a)
            row[target] = .null
            cleared.append(target)
        }
        return cleared
    }

    /// A stored value as a number in presentation units, or nil.
    static func presentation(_ value: SQLValue, _ type: FieldType) -> Double? {
        let raw: Double
        switch value {
        case .integer(let n): raw = Double(n)
        case .real(let d): raw = d
        default: return nil
        }
        switch type {
        case .money, .area: return raw / 100
        default: return raw
        }
    }

    /// The smallest step of a type in presentation units (0 for real numbers).
    static func unit(_ type: FieldType) -> Double {
        switch type {
        case .money, .area: return 0.01
        case .integer: return 1
        default: return 0
        }
    }

    /// A presentation-unit number in the storage form of `field`.
    static func stored(_ value: Double, _ field: FieldSpec, _ collection: String) throws -> SQLValue {
        guard value.isFinite, abs(value) < 9e13 else {
            throw ValidationError(
                collection: collection, field: field.name, value: FieldInput.shortest(value), reason: "is out of range")
        }
        if value < 0 && !field.allowsNegative {
            throw ValidationError(
                collection: collection, field: field.name, value: FieldInput.shortest(value),
                reason: "may not be negative")
        }
        switch field.type {
        case .money, .area: return Int64((value * 100).rounded(.toNearestOrAwayFromZero)).sqlValue
        case .integer:
            guard value == value.rounded() else {
                throw ValidationError(
                    collection: collection, field: field.name, value: FieldInput.shortest(value),
                    reason: "would not be a whole number")
            }
            return Int64(value).sqlValue
        default: return value.sqlValue
        }
    }

    static func display(_ value: SQLValue, _ type: FieldType) -> String {
        presentation(value, type).map { FieldInput.shortest($0) } ?? ""
    }
}
