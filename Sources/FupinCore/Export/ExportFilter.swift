/// `--where` conditions written as text: `field=value`, also `!=`, `>=`, `<=`, `>`, `<`.
/// The field may be a name or a Chinese label; `year=2019` filters the collection's year (or
/// the year of its date) when it has no field called `year`. Values are converted like inputs
/// (money in yuan, vocabulary aliases, 是/否).
///
/// Example: `try ExportFilter.parse("standard=国贫户", in: households)` is
/// `.compare("standard", .equal, "国贫户")`, which finds 国家 households.
public enum ExportFilter {
    /// Operators in the order they are searched for (two-character ones first).
    static let operators: [(String, Query.Comparison)] = [
        ("!=", .notEqual), ("~=", .notEqual), (">=", .greaterOrEqual), ("<=", .lessOrEqual),
        ("=", .equal), (">", .greater), ("<", .less),
    ]

    /// The filter for `text`; throws a `ValidationError` naming the field when it is unknown or
    /// the text has no operator.
    public static func parse(_ text: String, in collection: CollectionSchema) throws -> Query.Filter {
        var best: (range: Range<String.Index>, comparison: Query.Comparison)?
        for (symbol, comparison) in operators {
            guard let range = text.range(of: symbol) else { continue }
            if let current = best, current.range.lowerBound <= range.lowerBound { continue }
            best = (range, comparison)
        }
        guard let (range, comparison) = best else {
            throw ValidationError(
                collection: collection.name, field: text, value: "",
                reason: "is not a condition: write field=value (or !=, >=, <=, >, <)")
        }
        let name = String(text[..<range.lowerBound]).trimmingSpaces()
        let value = String(text[range.upperBound...]).trimmingSpaces()
        if name == "year" && collection.field("year") == nil
            && (collection.yearField != nil || collection.dateField != nil)
        {
            guard comparison == .equal, let year = Int(value) else {
                throw ValidationError(
                    collection: collection.name, field: "year", value: value, reason: "takes only year=YYYY")
            }
            return .year(year)
        }
        let field: String
        if name == CollectionSchema.idField {
            field = name
        } else if let spec = collection.field(matching: name) {
            field = spec.name
        } else {
            throw ValidationError(
                collection: collection.name, field: name, value: value,
                reason: "is not a field of \(collection.name) (\(collection.label))")
        }
        if value.isEmpty || value.lowercased() == "null" {
            switch comparison {
            case .equal: return .isNull(field)
            case .notEqual: return .isNotNull(field)
            default: break
            }
        }
        return .compare(field, comparison, .text(value))
    }
}
