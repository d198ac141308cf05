/// What a caller does with each planned column of the current row of `RecordRows`: one call
/// per column, straight from the store's buffers (no Swift value per column on the common paths).
public protocol RecordColumnVisitor {
    /// An INTEGER cell of column `column` (an index into `RecordRows.columns`).
    mutating func integer(_ column: Int, _ value: Int64)
    /// A REAL cell.
    mutating func double(_ column: Int, _ value: Double)
    /// A TEXT cell: its UTF-8 bytes, valid only during the call.
    mutating func text(_ column: Int, _ bytes: UnsafeRawBufferPointer)
    /// A NULL cell (or a BLOB, which no field stores).
    mutating func null(_ column: Int)
    /// A personal-data cell read for masking: the typed value, for the caller to mask.
    mutating func personal(_ column: Int, _ value: FieldValue)
}

/// A streaming read of a query's records for callers that fetch a row per call (Lua's `iter`):
/// each column planned once from its field's type, each row visited column by column.
/// Valid only inside the database access that opened it; `close()` (or the end of the rows)
/// releases the statement.
///
/// ```swift
/// let rows = try ws.rows(Query(schema), in: unit.store)
/// while try rows.next() { rows.visit(masking: true, &visitor) }
/// ```
public final class RecordRows {
    /// How a column's cells read, decided from its field's type.
    public enum Kind: UInt8, Sendable {
        /// `id`: always an integer.
        case id
        /// money and area: integer hundredths (yuan / 亩 × 100).
        case hundredths
        case bool
        /// integer, number, ref: integers stay integers.
        case integer
        /// text, date, enum, ID number, phone, credit code: the bytes as they are.
        case textual
    }

    /// One planned column.
    public struct Column: Sendable {
        /// Its name (`id` or a field name).
        public let name: String
        public let kind: Kind
        /// Personal data (ID numbers, phones): masked when the reader asks.
        public let pii: Bool
        /// The field (nil for `id`).
        public let field: FieldSpec?
        /// The statement's column index.
        let index: Int32
    }

    public let schema: CollectionSchema
    public let columns: [Column]
    /// How each column reads (same order as `columns`), kept apart and trivially copyable so a
    /// row costs no retain of names or field descriptions.
    public let kinds: [Kind]
    @usableFromInline let plans: [Plan]
    @usableFromInline var cursor: (any StoreCursor)?
    /// The same cursor when the store is SQLite: its rows are visited straight from
    /// `sqlite3_column_*`, specialised for the caller's visitor (iter's hot path).
    @usableFromInline let sqlite: SQLiteStoreCursor?
    /// The same cursor when the store is PostgreSQL: its rows are visited straight from
    /// libpq's buffers of the fetched batch.
    @usableFromInline let postgres: PostgresStoreCursor?

    /// The hot path's view of a column.
    @usableFromInline struct Plan {
        @usableFromInline var index: Int32
        @usableFromInline var kind: Kind
        @usableFromInline var pii: Bool
        /// How a masked cell of this column is masked byte for byte (ID numbers, phones).
        @usableFromInline var ascii: Masking.ASCIIRule?
    }

    init(cursor: any StoreCursor, schema: CollectionSchema) {
        self.cursor = cursor
        self.sqlite = cursor as? SQLiteStoreCursor
        self.postgres = cursor as? PostgresStoreCursor
        self.schema = schema
        var columns: [Column] = []
        for i in 0..<cursor.columnCount {
            let name = cursor.columnName(i)
            if name == CollectionSchema.idField {
                columns.append(Column(name: name, kind: .id, pii: false, field: nil, index: Int32(i)))
                continue
            }
            guard let f = schema.field(name) else { continue }
            let kind: Kind
            switch f.type {
            case .money, .area: kind = .hundredths
            case .bool: kind = .bool
            case .integer, .number, .ref: kind = .integer
            case .text, .date, .enum, .idNumber, .phone, .creditCode: kind = .textual
            }
            columns.append(Column(name: name, kind: kind, pii: f.pii, field: f, index: Int32(i)))
        }
        self.columns = columns
        self.kinds = columns.map(\.kind)
        self.plans = columns.map {
            Plan(index: $0.index, kind: $0.kind, pii: $0.pii, ascii: $0.field.flatMap(Masking.ASCIIRule.init))
        }
    }

    /// Whether the rows were closed or ran out.
    public var isClosed: Bool { cursor == nil }

    /// Moves to the next row; false (and the statement released) at the end.
    public func next() throws -> Bool {
        guard let rows = cursor else { return false }
        if try !rows.next() {
            cursor = nil
            return false
        }
        return true
    }

    /// Releases the statement; `next()` then returns false.
    public func close() {
        cursor?.close()
        cursor = nil
    }

    /// Visits every planned column of the current row in `columns` order. With `masking`,
    /// personal-data cells are masked: ID numbers and phones in printable ASCII come as their
    /// masked text (`Masking.ASCIIRule`, no `String` made), any other as a typed value
    /// (`personal`) for the visitor to mask with `Masking.mask`.
    /// Inlinable so the caller's visitor is specialised in (iter's hot path): a call per cell
    /// through a protocol witness cost iterate-rows about 5%.
    @inlinable public func visit<V: RecordColumnVisitor>(masking: Bool, _ visitor: inout V) {
        if let sqlite {
            sqlite.visit(self, masking: masking, &visitor)
            return
        }
        if let postgres {
            postgres.visit(self, masking: masking, &visitor)
            return
        }
        guard let row = cursor else { return }
        for i in 0..<plans.count {
            let plan = plans[i]
            let c = Int(plan.index)
            if masking && plan.pii, !row.isNull(c), let field = columns[i].field {
                if let rule = plan.ascii, case .text(var text) = row.value(c),
                    text.withUTF8({ rule.withMasked(UnsafeRawBufferPointer($0)) { visitor.text(i, $0) } })
                {
                    continue
                }
                visitor.personal(i, FieldValue(row.value(c), type: field.type))
                continue
            }
            switch row.value(c) {
            case .integer(let value): visitor.integer(i, value)
            case .real(let value): visitor.double(i, value)
            case .text(var text): text.withUTF8 { visitor.text(i, UnsafeRawBufferPointer($0)) }
            case .null, .blob: visitor.null(i)
            }
        }
    }
}

extension Workspace {
    /// The records `query` selects, to be read a row at a time (see `RecordRows`).
    public func rows(_ query: Query, in store: any StoreConnection) throws -> RecordRows {
        RecordRows(cursor: try cursor(query, in: store), schema: query.collection)
    }
}
