/// A record as stored, with its collection's description: values by field name in storage
/// form, typed values for presentation, and the valid flag.
///
/// Example: `try ws.get("households", id: 1)?.value("head_name") == .text("郝九为")`.
public struct StoredRecord: Sendable, Hashable {
    public let schema: CollectionSchema
    public let id: Int64
    /// Stored values in `schema.fields` order.
    public let values: [SQLValue]

    public init(schema: CollectionSchema, id: Int64, values: [SQLValue]) {
        self.schema = schema
        self.id = id
        self.values = values
    }

    /// Reads the records of a query's rows: where each field's column is, found once from the
    /// first row's column names (a table's columns need not be in the schema's order: a ledger
    /// that gained fields has them at the end).
    struct Reader {
        let schema: CollectionSchema
        let idColumn: Int?
        let positions: [Int?]

        init(schema: CollectionSchema, columns row: any StoreRow) {
            var byName: [String: Int] = [:]
            for index in (0..<row.columnCount).reversed() { byName[row.columnName(index).lowercased()] = index }
            self.schema = schema
            self.idColumn = byName[CollectionSchema.idField]
            self.positions = schema.fields.map { byName[$0.name.lowercased()] }
        }

        func record(_ row: any StoreRow) -> StoredRecord {
            StoredRecord(
                schema: schema, id: idColumn.flatMap(row.integer) ?? 0,
                values: positions.map { $0.map(row.value) ?? .null })
        }
    }

    /// The typed value of the field at `index` of `schema.fields`.
    public func fieldValue(at index: Int) -> FieldValue {
        FieldValue(values[index], type: schema.fields[index].type)
    }

    /// The stored value of `field` (`.null` for unknown names).
    public subscript(field: String) -> SQLValue {
        if field == CollectionSchema.idField { return id.sqlValue }
        return schema.index(of: field).map { values[$0] } ?? .null
    }

    /// The typed value of `field` (money as `Money`, area as `Area`, bools as `Bool`).
    public func value(_ field: String) -> FieldValue {
        if field == CollectionSchema.idField { return .integer(id) }
        guard let index = schema.index(of: field) else { return .null }
        return FieldValue(values[index], type: schema.fields[index].type)
    }

    /// Every field with its typed value, in schema order.
    public var fieldValues: [(field: FieldSpec, value: FieldValue)] {
        zip(schema.fields, values).map { ($0, FieldValue($1, type: $0.type)) }
    }

    /// False once removed (always true for collections without a valid flag).
    public var isValid: Bool {
        guard schema.keepsValidFlag else { return true }
        return self[CollectionSchema.validField] != Int64(0).sqlValue
    }
}

/// A stored value typed by its field: what scripts, exports and reports present.
///
/// Example: `FieldValue(640.sqlValue, type: .money) == .money(Money(fen: 640))`, whose
/// `plainText` is "6.40".
public enum FieldValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case number(Double)
    case money(Money)
    case area(Area)
    case date(String)
    case bool(Bool)

    public init(_ value: SQLValue, type: FieldType) {
        switch value {
        case .null, .blob:
            self = .null
        case .integer(let integer):
            switch type {
            case .money: self = .money(Money(fen: integer))
            case .area: self = .area(Area(hundredths: integer))
            case .bool: self = .bool(integer != 0)
            case .number: self = .number(Double(integer))
            case .text, .date, .enum, .idNumber, .phone, .creditCode: self = .text(String(integer))
            case .integer, .ref: self = .integer(integer)
            }
        case .real(let double):
            let integral = double == double.rounded() && abs(double) < 9e15
            switch type {
            case .integer where integral, .ref where integral: self = .integer(Int64(double))
            default: self = .number(double)
            }
        case .text(let string):
            switch type {
            case .date: self = .date(string)
            default: self = .text(string)
            }
        }
    }

    /// Text for CSV and tables: money "1234.50", area "12.50", bools "是"/"否", null "".
    public var plainText: String {
        switch self {
        case .null: return ""
        case .text(let text), .date(let text): return text
        case .integer(let integer): return String(integer)
        case .number(let number): return FieldInput.shortest(number)
        case .money(let money): return money.yuanText
        case .area(let area): return area.muText
        case .bool(let bool): return bool ? "是" : "否"
        }
    }

    /// The input that writes this value back unchanged (export → import round trip).
    public var input: FieldInput {
        switch self {
        case .null: return .null
        case .text(let text), .date(let text): return .text(text)
        case .integer(let integer): return .integer(integer)
        case .number(let number): return .double(number)
        case .money(let money): return .text(money.yuanText)
        case .area(let area): return .text(area.muText)
        case .bool(let bool): return .bool(bool)
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}
