/// What a reference written as text names: a record of the referenced collection by id, or
/// by its label — the value of its `number`, `name` or `head_name` field — when exactly one
/// record carries it. So a villages reference may be written `东梁村`, a households one
/// `郝九为` or its 户编号.
public enum ReferenceMatch: Sendable, Equatable {
    /// The one record meant.
    case record(Int64)
    /// No record has this id or label.
    case none(String)
    /// More than one record carries the label (their ids).
    case ambiguous(String, [Int64])

    /// Words for a problem (nil for a match), e.g. "names no record of villages (by id, name)".
    public var problem: String? {
        switch self {
        case .record: return nil
        case .none(let text): return text
        case .ambiguous(let text, _): return text
        }
    }
}

extension Workspace {
    /// Fields whose value names a record of a collection for people: its label fields.
    public static let referenceLabelFields = ["number", "name", "head_name"]

    /// The record of `target` that `text` names: an id of an existing record, else the one
    /// record (valid ones first) whose label field equals it.
    ///
    /// Example: `try ws.resolveReference("villages", "东梁村", in: unit.store)` → `.record(1)`.
    public func resolveReference(_ target: String, _ text: String, in store: any StoreConnection) throws
        -> ReferenceMatch
    {
        let key = text.trimmingSpaces()
        let compiled = try requireCompiled(target)
        let table = compiled.quotedTable
        let idColumn = dialect.quote(CollectionSchema.idField)
        if let id = Int64(key), id > 0,
            try store.fetchInt(
                "SELECT \(idColumn) FROM \(table) WHERE \(idColumn) = \(dialect.placeholder(1))", [.integer(id)]) != nil
        {
            return .record(id)
        }
        let labels = Self.referenceLabelFields.filter { compiled.schema.field($0) != nil }
        let described = (["id"] + labels).joined(separator: ", ")
        guard !labels.isEmpty, !key.isEmpty else {
            return .none("no such record in \(target) (looked up by \(described))")
        }
        let condition = labels.enumerated().map { "\(dialect.quote($1)) = \(dialect.placeholder($0 + 1))" }.joined(
            separator: " OR ")
        let arguments = labels.map { _ in SQLValue.text(key) }
        var sql = "SELECT \(idColumn) FROM \(table) WHERE (\(condition))"
        if let valid = compiled.validIndex.map({ _ in dialect.quote(CollectionSchema.validField) }) {
            // A record marked invalid is named only when no valid one carries the label.
            let validOnes = try store.fetchAll(sql + " AND \(valid) = 1 LIMIT 6", arguments) { $0.integer(0) ?? 0 }
            if !validOnes.isEmpty { return Self.match(validOnes, key, target, described) }
        }
        sql += " LIMIT 6"
        let ids = try store.fetchAll(sql, arguments) { $0.integer(0) ?? 0 }
        return Self.match(ids, key, target, described)
    }

    static func match(_ ids: [Int64], _ key: String, _ target: String, _ described: String) -> ReferenceMatch {
        switch ids.count {
        case 0: return .none("no such record in \(target) (looked up by \(described))")
        case 1: return .record(ids[0])
        default:
            let shown = ids.prefix(5).map(String.init).joined(separator: ", ")
            return .ambiguous(
                "is ambiguous: \(ids.count > 5 ? "more than 5" : "\(ids.count)") records of \(target) carry it (ids \(shown)); give the id",
                ids)
        }
    }
}
