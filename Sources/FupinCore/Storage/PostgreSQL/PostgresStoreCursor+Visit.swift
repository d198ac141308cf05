import CLibPQ

/// How the text-format cells of a PostgreSQL column are read by `RecordRows.visit`, decided
/// once per cursor from the column's type OID, as `PostgresResult.decode` decides.
@usableFromInline
enum PostgresCell: UInt8 {
    /// bigint, integer, smallint, oid: decimal digits, parsed in place.
    case integer
    /// real, double precision.
    case real
    /// text, varchar and every type `decode` reads as text: the bytes as they are.
    case text
    /// boolean, numeric, bytea: through `PostgresResult.decode` (no core column has them).
    case decoded

    init(type: UInt32) {
        switch type {
        case 20, 21, 23, 26: self = .integer
        case 700, 701: self = .real
        case 16, 17, 1700: self = .decoded
        default: self = .text
        }
    }
}

extension PostgresStoreCursor {
    /// `RecordRows.visit` on PostgreSQL: every planned column of the current row read straight
    /// from libpq's text-format buffers of the batch (no `PostgresValue`, `SQLValue` or
    /// `String` per cell on the common paths: integers are parsed from their digits, text is
    /// handed over as its bytes). Inlinable so the caller's visitor is specialised in (iter's
    /// hot path), as on SQLite.
    @inlinable func visit<V: RecordColumnVisitor>(_ rows: RecordRows, masking: Bool, _ visitor: inout V) {
        guard let batch, index >= 0, index < batch.rowCount else { return }
        let result = batch.handle
        let row = Int32(index)
        rows.plans.withUnsafeBufferPointer { plans in
            cells.withUnsafeBufferPointer { cells in
                for i in 0..<plans.count {
                    let plan = plans[i]
                    let c = plan.index
                    guard let value = fpq_PQgetvalue(result, row, c) else {
                        visitor.null(i)
                        continue
                    }
                    let length = Int(fpq_PQgetlength(result, row, c))
                    // libpq gives a NULL as an empty string, so only an empty cell needs the
                    // question whether it is NULL: a call less for every other cell.
                    if length == 0, fpq_PQgetisnull(result, row, c) != 0 {
                        visitor.null(i)
                        continue
                    }
                    if masking && plan.pii, let rule = plan.ascii, Int(c) < cells.count, cells[Int(c)] == .text,
                        rule.withMasked(UnsafeRawBufferPointer(start: value, count: length), { visitor.text(i, $0) })
                    {
                        continue
                    }
                    if masking && plan.pii, let field = rows.columns[i].field {
                        visitor.personal(i, FieldValue(Self.decoded(batch, row, c), type: field.type))
                        continue
                    }
                    let bytes = UnsafeRawBufferPointer(start: value, count: length)
                    let cell = Int(c) < cells.count ? cells[Int(c)] : .decoded
                    switch cell {
                    case .text:
                        visitor.text(i, bytes)
                        continue
                    case .integer:
                        if let number = Self.integer(bytes) {
                            visitor.integer(i, number)
                            continue
                        }
                    case .real:
                        if let number = Self.real(bytes) {
                            visitor.double(i, number)
                            continue
                        }
                    case .decoded:
                        break
                    }
                    // Anything else reads as the generic path reads it.
                    switch Self.decoded(batch, row, c) {
                    case .integer(let number): visitor.integer(i, number)
                    case .real(let number): visitor.double(i, number)
                    case .text(var text): text.withUTF8 { visitor.text(i, UnsafeRawBufferPointer($0)) }
                    case .null, .blob: visitor.null(i)
                    }
                }
            }
        }
    }

    /// A bigint's text form (`-`? digits) as its value; nil for anything else or one out of
    /// range, which then reads through `decoded`.
    @inlinable static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        guard count > 0, count <= 20 else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        var position = negative ? 1 : 0
        guard position < count else { return nil }
        // Accumulated below zero, so that -9223372036854775808 fits.
        var value: Int64 = 0
        while position < count {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, borrow) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflow, !borrow else { return nil }
            value = next
            position += 1
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// A real's text form as its value (`Double`'s own parsing, locale-independent; a text of
    /// up to 15 bytes makes no allocation), nil when it is not one.
    @usableFromInline static func real(_ bytes: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    /// The cell as the generic path reads it (off the hot path, so not inlined).
    @usableFromInline static func decoded(_ batch: PostgresResult, _ row: Int32, _ column: Int32) -> SQLValue {
        SQLValue(batch.value(Int(row), Int(column)))
    }
}
