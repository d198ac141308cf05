import CLibPQ

/// One value sent to or read from PostgreSQL, in the storage classes Fupin uses.
///
/// Read values are typed by their column: integers (`smallint`, `integer`, `bigint`, and
/// `numeric` holding a whole number, as `sum(bigint)` returns) are `.integer`; `real`,
/// `double precision` and fractional `numeric` are `.real`; `boolean` is `.integer` 0 or 1
/// (Fupin stores flags as 0/1); `bytea` is `.bytes`; anything else is `.text`.
///
/// Example: `try connection.query("SELECT $1::bigint + 1", [.integer(41)]).value(0, 0) == .integer(42)`.
public enum PostgresValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])

    /// The text, when the value is text.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The integer, when the value is an integer.
    public var integer: Int64? {
        if case .integer(let number) = self { return number }
        return nil
    }
}

/// The rows of one statement, held by libpq until this object is released.
///
/// Example: `for row in 0..<result.rowCount { print(result.value(row, 0)) }`.
public final class PostgresResult {
    @usableFromInline let handle: OpaquePointer
    /// Number of rows.
    public let rowCount: Int
    /// Number of columns.
    public let columnCount: Int
    /// Each column's type OID (the cursor's visitor decodes by it).
    @usableFromInline let columnTypes: [UInt32]

    init(_ handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(fpq_PQntuples(handle))
        columnCount = Int(fpq_PQnfields(handle))
        columnTypes = (0..<columnCount).map { fpq_PQftype(handle, Int32($0)) }
    }

    deinit { fpq_PQclear(handle) }

    /// The column names, in order.
    public var columnNames: [String] {
        (0..<columnCount).map { index in fpq_PQfname(handle, Int32(index)).map { String(cString: $0) } ?? "?column?" }
    }

    /// The number of rows the command touched (`INSERT`, `UPDATE`, `COPY`, ...), 0 when none said.
    public var affectedRows: Int {
        fpq_PQcmdTuples(handle).flatMap { Int(String(cString: $0)) } ?? 0
    }

    /// The value at `row`, `column` (both 0-based); `.null` outside the result.
    public func value(_ row: Int, _ column: Int) -> PostgresValue {
        guard row >= 0, row < rowCount, column >= 0, column < columnCount else { return .null }
        let r = Int32(row)
        let c = Int32(column)
        if fpq_PQgetisnull(handle, r, c) != 0 { return .null }
        guard let pointer = fpq_PQgetvalue(handle, r, c) else { return .null }
        let length = Int(fpq_PQgetlength(handle, r, c))
        return Self.decode(pointer, length: length, type: columnTypes[column])
    }

    /// The row at `row` as an array of values.
    public func row(_ row: Int) -> [PostgresValue] {
        (0..<columnCount).map { value(row, $0) }
    }

    /// Every row (for small results; stream large ones with `forEachRow`).
    public var rows: [[PostgresValue]] { (0..<rowCount).map(row) }

    /// A text-format value of a column of type `type` (a PostgreSQL type OID).
    static func decode(_ pointer: UnsafePointer<CChar>, length: Int, type: UInt32) -> PostgresValue {
        let text = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
        switch type {
        case 16:  // boolean
            return .integer(text == "t" ? 1 : 0)
        case 20, 21, 23, 26:  // bigint, smallint, integer, oid
            return Int64(text).map(PostgresValue.integer) ?? .text(text)
        case 700, 701:  // real, double precision
            return Double(text).map(PostgresValue.real) ?? .text(text)
        case 1700:  // numeric
            if let whole = Int64(text) { return .integer(whole) }
            return Double(text).map(PostgresValue.real) ?? .text(text)
        case 17:  // bytea, text form `\x` + hex
            return decodeHex(pointer, length: length).map(PostgresValue.bytes) ?? .text(text)
        default:
            return .text(text)
        }
    }

    /// The bytes of a `\x…` hex bytea literal, or nil when it is not one.
    static func decodeHex(_ pointer: UnsafePointer<CChar>, length: Int) -> [UInt8]? {
        let raw = UnsafeRawBufferPointer(start: pointer, count: length)
        guard length >= 2, length % 2 == 0, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x") else {
            return nil
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((length - 2) / 2)
        var index = 2
        while index < length {
            guard let high = nibble(raw[index]), let low = nibble(raw[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

/// One row of a streamed result, valid only inside the `forEachRow` callback that received it.
public struct PostgresRow {
    let result: PostgresResult
    let index: Int

    /// Number of columns.
    public var count: Int { result.columnCount }

    /// The value of column `column` (0-based).
    public subscript(column: Int) -> PostgresValue { result.value(index, column) }

    /// Every value of the row.
    public var values: [PostgresValue] { result.row(index) }
}
