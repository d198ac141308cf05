/// A query that would reveal personal data through its shape: for a view that masks personal
/// data, a personal field may not be filtered on (`like` and `>=` rebuild a number character by
/// character), ordered by, grouped by or aggregated (`group_by`, `min` and `max` return the
/// values whole). Which fields are personal is said once, by `FieldSpec.pii` in the schema.
///
/// Example: `where{ head_id_number = {"like", "1527%"} }` from a plugin without `pii` →
/// "households.head_id_number is personal data: filtering on it needs the 'pii' permission".
public struct PersonalFieldRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var collection: String
    /// The field as the query named it (`household_id.head_id_number` for a path).
    public var field: String
    public var use: Use

    /// What the query asked of the field.
    public enum Use: Sendable, Hashable {
        case filter, order, group
        case aggregate(String)

        var words: String {
            switch self {
            case .filter: return "filtering on it"
            case .order: return "ordering by it"
            case .group: return "grouping by it"
            case .aggregate(let function): return "taking the \(function) of it"
            }
        }
    }

    public var description: String {
        "\(collection).\(field) is personal data: \(use.words) needs the 'pii' permission"
    }

    /// Throws when `name` is a personal field of `schema` (where it is read), naming it as
    /// `named` in `collection` (where the query starts).
    static func check(
        _ name: String, of schema: CollectionSchema, named: String, in collection: CollectionSchema, use: Use
    ) throws {
        guard schema.field(name)?.pii == true else { return }
        throw PersonalFieldRefusal(collection: collection.name, field: named, use: use)
    }
}
