/// What one column of an imported CSV file fills in: matched from its header cell by field
/// name or by the field's Chinese label (from the schema).
///
/// Besides fields, a header may name:
/// - `id` (or `编号`, `ID`): the record id. A row whose id exists updates that record; a new id
///   inserts a record with that id (so an export imports back to equal records).
/// - `<x>_number` for a reference field `<x>_id` to a collection that has a unique `number`
///   field (households: 户编号, members: 人编号), or that `number` field's label (户编号, 人编号)
///   when the collection has exactly one reference to it: the reference is then found by that
///   number instead of by id. So a distributions file may say `户编号` where it would say
///   `household_id`. (A household number is all digits, so the same column cannot take both
///   an id and a number without guessing: the header decides.)
///
/// Header matching ignores surrounding spaces and treats full-width and ASCII parentheses alike
/// (`金额(元)` matches `金额（元）`).
///
/// Example: for `distributions`, the header `发放日期,户编号,物资,数量` maps to `date`,
/// household_id by number, `item`, `quantity`.
public enum ImportColumn: Sendable, Hashable {
    /// The record id.
    case id
    /// A field of the collection, by name.
    case field(String)
    /// A reference field filled by looking up `target`'s `keyField` (e.g. households.number).
    case referenceByKey(field: String, target: String, keyField: String)

    /// The field this column fills (`id` for the id column).
    public var fieldName: String {
        switch self {
        case .id: return CollectionSchema.idField
        case .field(let name): return name
        case .referenceByKey(let field, _, _): return field
        }
    }
}

/// The columns of an imported file resolved against a collection.
///
/// Example: `try ImportHeader(["户编号", "户主姓名"], collection: households, schema: Schema.core)`.
public struct ImportHeader: Sendable {
    /// The header cells as written (trimmed).
    public let names: [String]
    /// What each column fills.
    public let columns: [ImportColumn]

    /// Header texts accepted for the id column.
    public static let idNames: Set<String> = ["id", "ID", "Id", "编号"]

    /// Resolves `cells`; throws an `ImportProblem`-carrying failure listing every unknown or
    /// repeated header cell and every required field without a column.
    public init(_ cells: [String], collection: CollectionSchema, schema: Schema) throws(ImportHeaderError) {
        var names: [String] = []
        var columns: [ImportColumn] = []
        var problems: [ImportProblem] = []
        var filled: [String: String] = [:]  // field → header cell
        for cell in cells {
            let name = cell.trimmingSpaces()
            names.append(name)
            guard let column = ImportHeader.resolve(name, collection: collection, schema: schema) else {
                let known = collection.fields.map { "\($0.name)/\($0.label)" }.joined(separator: ", ")
                problems.append(
                    ImportProblem(
                        row: 1, column: name, field: nil, value: name,
                        reason: "is not a field of \(collection.name) (\(collection.label)); fields: id, \(known)"))
                columns.append(.id)
                continue
            }
            if let earlier = filled[column.fieldName] {
                problems.append(
                    ImportProblem(
                        row: 1, column: name, field: column.fieldName, value: name,
                        reason: "fills \(column.fieldName), as column \(earlier) already does"))
            }
            filled[column.fieldName] = name
            columns.append(column)
        }
        // A field that a product rule derives from two columns the file has (amount from
        // quantity and unit_price) needs no column of its own: each row is still checked.
        func derivable(_ name: String) -> Bool {
            collection.rules.contains { rule in
                guard case .product = rule, rule.fieldNames.contains(name) else { return false }
                return rule.fieldNames.filter { $0 != name }.allSatisfy { filled[$0] != nil }
            }
        }
        for field in collection.fields
        where field.required && field.defaultValue == nil && filled[field.name] == nil && !derivable(field.name) {
            problems.append(
                ImportProblem(
                    row: 1, column: nil, field: field.name, value: "",
                    reason: "is required but the file has no column \(field.name) or \(field.label)"))
        }
        if !problems.isEmpty { throw ImportHeaderError(problems: problems) }
        self.names = names
        self.columns = columns
    }

    /// The column for one header cell, or nil when it names nothing of `collection`.
    static func resolve(_ name: String, collection: CollectionSchema, schema: Schema) -> ImportColumn? {
        if idNames.contains(name) { return .id }
        if let field = collection.field(name) { return .field(field.name) }
        let wanted = normalized(name)
        if let field = collection.fields.first(where: { normalized($0.label) == wanted }) { return .field(field.name) }
        // <x>_number for <x>_id, or the target's number label when only one field refers to it.
        for field in collection.referenceFields {
            guard let target = field.referencedCollection, let targetSchema = schema[target],
                let key = targetSchema.field("number"), key.unique
            else { continue }
            let prefix = String(field.name.dropLast(3))
            if field.name.hasSuffix("_id") && name == prefix + "_number" {
                return .referenceByKey(field: field.name, target: target, keyField: key.name)
            }
            let referencesToTarget = collection.referenceFields.filter { $0.referencedCollection == target }.count
            if referencesToTarget == 1 && normalized(key.label) == wanted
                && collection.field(matching: key.label) == nil
            {
                return .referenceByKey(field: field.name, target: target, keyField: key.name)
            }
        }
        return nil
    }

    /// Text with full-width parentheses made ASCII and spaces removed, for lenient matching.
    static func normalized(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "（": out.append("(")
            case "）": out.append(")")
            case " ", "\u{3000}", "\t": continue
            default: out.append(character)
            }
        }
        return out
    }
}

/// Problems with a file's header row (unknown, repeated or missing columns).
public struct ImportHeaderError: Error, Sendable {
    public var problems: [ImportProblem]
}
