/// A lazy query over one collection: filters, order, limit and offset, run as SQL by the
/// workspace's terminals (`count`, `aggregate`, `list`, `forEach`, `grouped`). By default only
/// valid records are seen; mentioning `valid` in a filter (or `includingInvalid()`) lifts that.
///
/// Filter values are given like inputs and converted by field type: money in yuan, dates in
/// any accepted form, vocabulary aliases (`国贫户` finds `国家`), bools as true/false/是/否.
///
/// Example (the Lua `fp.distributions:where{year = 2019, item = "果树苗"}:sum("quantity")`):
/// ```swift
/// let query = try Query(ws.collection("distributions")!)
///     .where(.year(2019)).where(.compare("item", .equal, "果树苗"))
/// let total = try ws.read { db in try ws.aggregate(.sum, "quantity", of: query, in: db) }
/// ```
public struct Query: Sendable, Hashable {
    public let collection: CollectionSchema
    public private(set) var filters: [Filter] = []
    public private(set) var ordering: [Ordering] = []
    public private(set) var limitCount: Int?
    public private(set) var offsetCount: Int?
    public private(set) var includesInvalid = false
    /// Seen by a view that masks personal data (a plugin without `pii`): personal fields may
    /// then not be filtered, ordered, grouped or aggregated on (`PersonalFieldRefusal`), since
    /// each would reveal the values masking hides.
    public private(set) var masksPersonalData = false

    public init(_ collection: CollectionSchema) {
        self.collection = collection
    }

    /// One condition on one field (or the year of the collection's date/year field).
    public enum Filter: Sendable, Hashable {
        case compare(String, Comparison, FieldInput)
        case between(String, FieldInput, FieldInput)
        case oneOf(String, [FieldInput])
        case like(String, String)
        case isNull(String)
        case isNotNull(String)
        /// `year = 2019`: the collection's `yearField`, else the year of its `dateField`.
        case year(Int)

        /// The field the filter names (nil for `year`).
        /// The same condition on another field (a path's target field).
        func renamed(_ name: String) -> Filter {
            switch self {
            case .compare(_, let c, let v): return .compare(name, c, v)
            case .between(_, let a, let b): return .between(name, a, b)
            case .oneOf(_, let values): return .oneOf(name, values)
            case .like(_, let pattern): return .like(name, pattern)
            case .isNull: return .isNull(name)
            case .isNotNull: return .isNotNull(name)
            case .year: return self
            }
        }

        public var field: String? {
            switch self {
            case .compare(let f, _, _), .between(let f, _, _), .oneOf(let f, _), .like(let f, _), .isNull(let f),
                .isNotNull(let f):
                return f
            case .year: return nil
            }
        }
    }

    /// Comparison operators; raw values are the Lua spellings.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case equal = "=", notEqual = "~=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        /// The operator from its Lua spelling ("==" and "!=" accepted too).
        public init?(lua: String) {
            switch lua {
            case "==": self = .equal
            case "!=", "<>": self = .notEqual
            default: self.init(rawValue: lua)
            }
        }
    }

    public struct Ordering: Sendable, Hashable {
        public var field: String
        public var descending: Bool
        public init(_ field: String, descending: Bool = false) {
            self.field = field
            self.descending = descending
        }
    }

    /// Aggregate functions: `countDistinct` counts the different non-null values of a field.
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        case sum, avg, min, max
        case countDistinct = "count_distinct"

        /// The SQL call over `column`, e.g. `SUM("amount")`, `COUNT(DISTINCT "household_id")`.
        public func sql(_ column: String) -> String {
            self == .countDistinct ? "COUNT(DISTINCT \(column))" : "\(rawValue.uppercased())(\(column))"
        }
    }

    /// Periods a date field can be grouped by: `group_by("date", "month")` or
    /// `group_by("month(date)")`; keys `2019`, `2019-Q3`, `2019-07`.
    public enum Period: String, Sendable, Hashable, CaseIterable {
        case year, quarter, month
    }

    public func `where`(_ filter: Filter) -> Query {
        var copy = self
        copy.filters.append(filter)
        return copy
    }

    public func orderBy(_ field: String, descending: Bool = false) -> Query {
        var copy = self
        copy.ordering.append(Ordering(field, descending: descending))
        return copy
    }

    public func limit(_ count: Int) -> Query {
        var copy = self
        copy.limitCount = max(0, count)
        return copy
    }

    public func offset(_ count: Int) -> Query {
        var copy = self
        copy.offsetCount = max(0, count)
        return copy
    }

    /// The same query for a view that masks personal data.
    public func maskingPersonalData(_ masks: Bool = true) -> Query {
        var copy = self
        copy.masksPersonalData = masks
        return copy
    }

    /// Also see records marked invalid.
    public func includingInvalid() -> Query {
        var copy = self
        copy.includesInvalid = true
        return copy
    }
}
