import Foundation

/// Bad input for one field of one collection: names the collection, the field and the value.
///
/// Example: `households.head_id_number: 152701198001011234 fails the ID check digit`.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The collection (table) name, e.g. "households".
    public var collection: String
    /// The field name, e.g. "head_id_number" (a rule over several fields names the first).
    public var field: String
    /// The offending value as given (empty when there is none, e.g. a missing required field).
    public var value: String
    /// What is wrong, e.g. "fails the ID check digit".
    public var reason: String

    public init(collection: String, field: String, value: String, reason: String) {
        self.collection = collection
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String {
        value.isEmpty ? "\(collection).\(field): \(reason)" : "\(collection).\(field): \(value) \(reason)"
    }

    public var errorDescription: String? { description }
}

/// Errors of the workspace that are not about one field's value.
public enum WorkspaceError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// No collection of that name (neither core nor a registered ledger).
    case unknownCollection(String)
    /// No record with that id.
    case notFound(collection: String, id: Int64)
    /// `create(at:)` found an existing database.
    case alreadyExists(path: String)
    /// `open(at:)` found no database.
    case noWorkspace(path: String)
    /// A ledger description is inconsistent or clashes with a core collection.
    case badLedger(String)
    /// A setting holds or was given an unusable value.
    case badSetting(key: String, value: String)
    /// The database file was made by a newer fupin (it has migrations this build does not know).
    case newerDatabase(unknownMigrations: [String])

    public var description: String {
        switch self {
        case .unknownCollection(let name): return "\(name): no such collection"
        case .notFound(let collection, let id): return "\(collection): no record with id \(id)"
        case .alreadyExists(let path): return "\(path): a workspace already exists here"
        case .noWorkspace(let path): return "\(path): no workspace (fupin.sqlite) here"
        case .badLedger(let message): return message
        case .badSetting(let key, let value): return "settings.\(key): \(value) is not a usable value"
        case .newerDatabase(let names):
            return "the workspace was written by a newer fupin (unknown migrations: \(names.joined(separator: ", ")))"
        }
    }

    public var errorDescription: String? { description }
}

/// A field name a collection does not have, with the one the user probably meant.
///
/// Example: `UnknownFieldError("nmae", in: households)` reads
/// "households has no field 'nmae' (did you mean 'head_name'?)".
public struct UnknownFieldError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public var collection: String
    public var field: String
    /// The closest field name (`NameSuggestion`), if one is close enough.
    public var suggestion: String?

    public init(_ field: String, in schema: CollectionSchema) {
        collection = schema.name
        self.field = field
        suggestion = NameSuggestion.closest(to: field, among: [CollectionSchema.idField] + schema.fields.map(\.name))
    }

    public var description: String {
        "\(collection) has no field '\(field)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
    }

    public var errorDescription: String? { description }
}
