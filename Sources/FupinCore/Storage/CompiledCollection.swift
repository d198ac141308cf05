/// A collection prepared for writing: field converters, defaults, required fields, rules and
/// SQL text, computed once per schema and reused by every write.
final class CompiledCollection: Sendable {
    let schema: CollectionSchema
    let converters: [FieldConverter]
    let fieldNames: [String]
    /// `,"name":` for each field, for audit JSON.
    let jsonKeys: [String]
    /// (field index, stored default).
    let defaults: [(Int, SQLValue)]
    let requiredIndexes: [Int]
    /// (field index, referenced collection name).
    let references: [(Int, String)]
    let uniqueIndexes: [Int]
    let rules: [ResolvedRule]
    let validIndex: Int?
    let quotedTable: String
    let selectByIDSQL: String
    /// The select list of a whole record: `*`, or each column by name with NULL for those the
    /// user may not read (`Store.unreadableColumns`).
    let selectList: String
    /// `SELECT` of every field, in field order, of the record with id `?1` (read by position).
    let selectFieldsByIDSQL: String
    /// `SELECT` of the id, then every field as `selectFieldsByIDSQL` reads it, of every record.
    let selectIDsAndFieldsSQL: String
    let dialect: any SQLDialect

    enum ResolvedRule: Sendable {
        case atLeastOne([Int])
        case notBefore(Int, Int)
        case product(Int, Int, Int)
        case transitions(Int, [String: [String]])
    }

    init(_ schema: CollectionSchema, dialect: any SQLDialect, unreadable: Set<String> = []) {
        self.schema = schema
        // Every column by name, NULL for one the user may not read; `*` when all may be read.
        selectList =
            unreadable.isEmpty
            ? "*"
            : ([CollectionSchema.idField] + schema.fields.map(\.name)).map { name in
                unreadable.contains(name) ? "NULL AS \(dialect.quote(name))" : dialect.quote(name)
            }.joined(separator: ", ")
        self.dialect = dialect
        converters = schema.fields.map { FieldConverter($0, collection: schema.name) }
        fieldNames = schema.fields.map(\.name)
        jsonKeys = schema.fields.map { field in
            var key = ","
            AuditJSON.appendString(field.name, to: &key)
            return key + ":"
        }
        var defaults: [(Int, SQLValue)] = []
        var required: [Int] = []
        var references: [(Int, String)] = []
        var unique: [Int] = []
        for (index, field) in schema.fields.enumerated() {
            if let value = field.defaultValue {
                switch value {
                case .integer(let integer): defaults.append((index, integer.sqlValue))
                case .text(let text): defaults.append((index, text.sqlValue))
                }
            }
            if field.required { required.append(index) }
            if let target = field.referencedCollection { references.append((index, target)) }
            if field.unique { unique.append(index) }
        }
        self.defaults = defaults
        requiredIndexes = required
        self.references = references
        uniqueIndexes = unique
        rules = schema.rules.compactMap { rule in
            switch rule {
            case .atLeastOne(let names):
                let indexes = names.compactMap { schema.index(of: $0) }
                return indexes.isEmpty ? nil : .atLeastOne(indexes)
            case .notBefore(let later, let earlier):
                guard let laterIndex = schema.index(of: later), let earlierIndex = schema.index(of: earlier) else {
                    return nil
                }
                return .notBefore(laterIndex, earlierIndex)
            case .product(let result, let factors):
                guard factors.count == 2, let r = schema.index(of: result), let a = schema.index(of: factors[0]),
                    let b = schema.index(of: factors[1])
                else { return nil }
                return .product(r, a, b)
            case .transitions(let field, let allowed):
                guard let index = schema.index(of: field) else { return nil }
                return .transitions(index, allowed)
            }
        }
        validIndex = schema.keepsValidFlag ? schema.index(of: CollectionSchema.validField) : nil
        quotedTable = dialect.quote(schema.name)
        existenceSQL =
            "SELECT \(validIndex != nil ? dialect.quote(CollectionSchema.validField) : "1") FROM \(quotedTable) WHERE \(dialect.quote(CollectionSchema.idField)) = \(dialect.placeholder(1))"
        selectByIDSQL =
            "SELECT \(selectList) FROM \(quotedTable) WHERE \(dialect.quote(CollectionSchema.idField)) = \(dialect.placeholder(1))"
        let fieldList = fieldNames.map { unreadable.contains($0) ? "NULL AS \(dialect.quote($0))" : dialect.quote($0) }
            .joined(separator: ", ")
        selectFieldsByIDSQL =
            "SELECT \(fieldList) FROM \(quotedTable) WHERE \(dialect.quote(CollectionSchema.idField)) = \(dialect.placeholder(1))"
        selectIDsAndFieldsSQL = "SELECT \(dialect.quote(CollectionSchema.idField)), \(fieldList) FROM \(quotedTable)"
    }

    var name: String { schema.name }

    /// INSERT text for the given field indexes (plus `id` first when `withID`).
    func insertSQL(fieldIndexes: [Int], withID: Bool, verb: String = "INSERT") -> String {
        var columns = fieldIndexes.map { dialect.quote(fieldNames[$0]) }
        if withID { columns.insert(dialect.quote(CollectionSchema.idField), at: 0) }
        if columns.isEmpty { return "\(verb) INTO \(quotedTable) DEFAULT VALUES" }
        return
            "\(verb) INTO \(quotedTable) (\(columns.joined(separator: ", "))) VALUES (\(dialect.placeholders(columns.count)))"
    }

    /// UPDATE text setting the given field indexes, id as the last parameter.
    func updateSQL(fieldIndexes: [Int]) -> String {
        let sets = fieldIndexes.enumerated().map {
            "\(dialect.quote(fieldNames[$0.element])) = \(dialect.placeholder($0.offset + 1))"
        }
        return
            "UPDATE \(quotedTable) SET \(sets.joined(separator: ", ")) WHERE \(dialect.quote(CollectionSchema.idField)) = \(dialect.placeholder(fieldIndexes.count + 1))"
    }

    var deleteSQL: String {
        "DELETE FROM \(quotedTable) WHERE \(dialect.quote(CollectionSchema.idField)) = \(dialect.placeholder(1))"
    }

    /// SELECT text finding another record with the same value of a unique field.
    func uniqueProbeSQL(_ index: Int) -> String {
        let id = dialect.quote(CollectionSchema.idField)
        return
            "SELECT \(id) FROM \(quotedTable) WHERE \(dialect.quote(fieldNames[index])) = \(dialect.placeholder(1)) AND \(id) <> \(dialect.placeholder(2)) LIMIT 1"
    }

    /// SELECT text telling whether a record exists (and its valid flag, 1 when there is none).
    let existenceSQL: String
}
