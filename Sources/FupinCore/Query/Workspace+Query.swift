/// Running queries: counts, aggregates, lists, streaming and grouping, all as SQL.
///
/// Example: `try ws.runUnit { unit in try unit.count(Query(households).where(.compare("standard", .equal, "国家"))) }`.
extension Workspace {
    /// A query of every valid record of `collection`.
    public func query(_ collection: String) throws -> Query {
        guard let schema = schema[collection] else { throw WorkspaceError.unknownCollection(collection) }
        return Query(schema)
    }

    private func plan(_ query: Query) throws -> QuerySQL {
        let compiled =
            compiled(query.collection.name).flatMap { $0.schema == query.collection ? $0 : nil }
            ?? CompiledCollection(
                query.collection, dialect: dialect, unreadable: store.unreadableColumns[query.collection.name] ?? [])
        return try QuerySQL(
            query, compiled: compiled, dialect: dialect, resolve: { [unowned self] in self.compiled($0) })
    }

    /// Number of records the query selects.
    public func count(_ query: Query, in store: any StoreConnection) throws -> Int {
        let sql = try plan(query)
        return Int(try store.fetchInt("SELECT COUNT(*) FROM \(sql.source(columns: "1"))", sql.arguments) ?? 0)
    }

    /// sum/avg/min/max of `field` over the selected records, typed by the field: sums of money
    /// are exact `Money`; averages of money are rounded to the fen; null when nothing matches.
    public func aggregate(_ function: Query.Aggregate, _ field: String, of query: Query, in store: any StoreConnection)
        throws -> FieldValue
    {
        let sql = try plan(query)
        let column = try QuerySQL.column(field, query.collection, dialect)
        try checkAddable(function, field, of: query.collection)
        if query.masksPersonalData {
            try PersonalFieldRefusal.check(
                field, of: query.collection, named: field, in: query.collection, use: .aggregate(function.rawValue))
        }
        let value =
            try store.fetchValue("SELECT \(function.sql(column)) FROM \(sql.source(columns: column))", sql.arguments)
            ?? .null
        return Workspace.typedAggregate(value, function, type: fieldType(field, of: query.collection))
    }

    /// The selected records, in order.
    public func list(_ query: Query, in store: any StoreConnection) throws -> [StoredRecord] {
        var records: [StoredRecord] = []
        try forEach(query, in: store) {
            records.append($0); return true
        }
        return records
    }

    /// The first selected record, or nil.
    public func first(_ query: Query, in store: any StoreConnection) throws -> StoredRecord? {
        try list(query.limit(1), in: store).first
    }

    /// Streams the selected records without loading them all; `body` returns false to stop.
    public func forEach(_ query: Query, in store: any StoreConnection, _ body: (StoredRecord) throws -> Bool) throws {
        let sql = try plan(query)
        var reader: StoredRecord.Reader?
        try store.query(sql.selectSQL, sql.arguments) { row in
            if reader == nil { reader = StoredRecord.Reader(schema: query.collection, columns: row) }
            return try body(reader?.record(row) ?? StoredRecord(schema: query.collection, id: 0, values: []))
        }
    }

    /// A cursor over the selected rows (the table's columns, `SELECT *`) for callers that stream
    /// across calls, such as the Lua `iter`. Valid only inside the transaction of `store`.
    func cursor(_ query: Query, in store: any StoreConnection) throws -> any StoreCursor {
        let sql = try plan(query)
        return try store.prepare(sql.selectSQL, reuse: false).cursor(sql.arguments)
    }

    /// Groups the selected records by `field` and counts them (`function` nil) or aggregates
    /// `valueField`. On a collection with a date field but no `year` field, grouping by "year"
    /// groups by the year of the date. Keys in ascending order.
    /// For a key `ref.field` (e.g. `household_id.village_id` on sales): the referenced record's
    /// field, read by a correlated lookup on the referenced table's primary key, and its type.
    /// Nil when `field` is not a path.
    func referencedKey(_ path: String, of schema: CollectionSchema, outer: String, masksPersonalData: Bool = false)
        throws -> (String, FieldType)?
    {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            if parts.count > 2 {
                throw ValidationError(
                    collection: schema.name, field: path, value: "", reason: "follows one reference at most (ref.field)"
                )
            }
            return nil
        }
        guard let reference = schema.field(parts[0]), let targetName = reference.referencedCollection else {
            throw ValidationError(
                collection: schema.name, field: parts[0], value: "",
                reason: "is not a reference field of \(schema.name)")
        }
        guard let target = self.schema[targetName] else { throw WorkspaceError.unknownCollection(targetName) }
        let column = try QuerySQL.column(parts[1], target, dialect)
        if masksPersonalData {
            try PersonalFieldRefusal.check(parts[1], of: target, named: path, in: schema, use: .group)
        }
        let type = parts[1] == CollectionSchema.idField ? FieldType.integer : fieldType(parts[1], of: target)
        let id = dialect.quote(CollectionSchema.idField)
        let expression =
            "(SELECT t.\(column) FROM \(dialect.quote(target.name)) AS t WHERE t.\(id) = \(outer).\(dialect.quote(parts[0])))"
        return (expression, type)
    }

    public func grouped(
        _ query: Query, by field: String, _ function: Query.Aggregate? = nil, _ valueField: String? = nil,
        in store: any StoreConnection
    ) throws -> [(key: FieldValue, value: FieldValue)] {
        if let function, valueField == nil {
            throw ValidationError(
                collection: query.collection.name, field: field, value: "",
                reason: "needs a field to \(function.rawValue)")
        }
        return try measures(query, [Measure(function, valueField)], groupedBy: field, in: store).map {
            ($0.key, $0.values[0])
        }
    }

    /// One figure of `measures`: a count of records (`function` nil) or an aggregate of a field.
    public struct Measure: Sendable, Hashable {
        public var function: Query.Aggregate?
        public var field: String?
        public init(_ function: Query.Aggregate?, _ field: String? = nil) {
            self.function = function
            self.field = field
        }
        public static let count = Measure(nil)
    }

    /// Several figures of the selected records in one statement, optionally per key of `group`
    /// (a field, "year", or `ref.field`): one row per key in ascending order (one row with a
    /// null key when not grouped), each with the measures' values in order. Sums of nothing are
    /// null, as in SQL.
    ///
    /// Example: `try ws.measures(sales, [.count, Measure(.sum, "amount")], groupedBy: "product", in: unit.store)`.
    public func measures(_ query: Query, _ measures: [Measure], groupedBy group: String?, in store: any StoreConnection)
        throws -> [(key: FieldValue, values: [FieldValue])]
    {
        let sql = try plan(query)
        let schema = query.collection
        var selected: [String] = []
        var types: [(Query.Aggregate?, FieldType)] = []
        for (i, measure) in measures.enumerated() {
            guard let function = measure.function else {
                selected.append("COUNT(*) AS v\(i)")
                types.append((nil, .integer))
                continue
            }
            guard let field = measure.field else {
                throw ValidationError(
                    collection: schema.name, field: "", value: function.rawValue,
                    reason: "needs a field to \(function.rawValue)")
            }
            if query.masksPersonalData {
                try PersonalFieldRefusal.check(
                    field, of: schema, named: field, in: schema, use: .aggregate(function.rawValue))
            }
            selected.append("\(function.sql(try QuerySQL.column(field, schema, dialect))) AS v\(i)")
            try checkAddable(function, field, of: schema)
            types.append((function, fieldType(field, of: schema)))
        }
        var keyType = FieldType.integer
        var groupClause = ""
        if let group {
            let keyExpression: String
            if let (period, dateField) = try Workspace.period(group, of: schema) {
                if query.masksPersonalData {
                    try PersonalFieldRefusal.check(dateField, of: schema, named: group, in: schema, use: .group)
                }
                let column = dialect.quote(dateField)
                switch period {
                case .year: keyExpression = dialect.yearOf(column)
                case .quarter: keyExpression = dialect.quarterOf(column); keyType = .text
                case .month: keyExpression = dialect.monthOf(column); keyType = .text
                }
            } else if let (expression, type) = try referencedKey(
                group, of: schema, outer: sql.isWindowed ? "q" : dialect.quote(schema.name),
                masksPersonalData: query.masksPersonalData)
            {
                keyExpression = expression
                keyType = type
            } else {
                if query.masksPersonalData {
                    try PersonalFieldRefusal.check(group, of: schema, named: group, in: schema, use: .group)
                }
                keyExpression = try QuerySQL.column(group, schema, dialect)
                keyType = fieldType(group, of: schema)
            }
            selected.insert("\(keyExpression) AS k", at: 0)
            groupClause = " GROUP BY k ORDER BY k"
        }
        let all = sql.compiled.selectList
        let source = sql.source(columns: all)
        let first = group == nil ? 0 : 1
        return try store.fetchAll(
            "SELECT \(selected.joined(separator: ", ")) FROM \(source)\(groupClause)", sql.arguments
        ) { row in
            let key = group == nil ? FieldValue.null : FieldValue(row.value(0), type: keyType)
            let values = types.enumerated().map { i, t -> FieldValue in
                let raw = row.value(first + i)
                return t.0.map { Workspace.typedAggregate(raw, $0, type: t.1) } ?? FieldValue(raw, type: .integer)
            }
            return (key, values)
        }
    }

    /// The period and date field a group key names: `year`, `quarter` or `month` alone (of the
    /// collection's date field, when it has no field of that name), or `month(date)` with a
    /// date field. Nil for any other key; an error for a period of a field that is no date.
    static func period(_ group: String, of schema: CollectionSchema) throws -> (Query.Period, String)? {
        if let period = Query.Period(rawValue: group), schema.field(group) == nil {
            guard let dateField = schema.dateField else {
                if period == .year { return nil }
                throw ValidationError(
                    collection: schema.name, field: group, value: "",
                    reason: "cannot group \(schema.name) by \(group): it has no date field")
            }
            return (period, dateField)
        }
        guard group.hasSuffix(")"), let open = group.firstIndex(of: "("),
            let period = Query.Period(rawValue: String(group[..<open]))
        else { return nil }
        let field = String(group[group.index(after: open)..<group.index(before: group.endIndex)])
        guard let spec = schema.field(field), spec.type == .date else {
            throw ValidationError(
                collection: schema.name, field: field, value: "",
                reason: "cannot be grouped by \(period.rawValue): it is not a date field of \(schema.name)")
        }
        return (period, field)
    }

    /// Refuses `sum` and `avg` of a field that holds no number: SQL reads text as 0, so
    /// `sum("head_name")` gave 0 without a word. Numbers, money, areas and yes/no fields (a
    /// sum counts the yeses) may be added; min, max and count_distinct take any field.
    private func checkAddable(_ function: Query.Aggregate, _ field: String, of schema: CollectionSchema) throws {
        guard function == .sum || function == .avg else { return }
        let type = fieldType(field, of: schema)
        switch type {
        case .integer, .number, .money, .area, .bool: return
        default:
            throw ValidationError(
                collection: schema.name, field: field, value: "",
                reason: "is a \(type.name) field: \(function.rawValue) needs a number, money, area or yes/no field")
        }
    }

    private func fieldType(_ field: String, of schema: CollectionSchema) -> FieldType {
        field == CollectionSchema.idField ? .integer : (schema.field(field)?.type ?? .text)
    }

    static func typedAggregate(_ value: SQLValue, _ function: Query.Aggregate, type: FieldType) -> FieldValue {
        if function == .countDistinct { return FieldValue(value, type: .integer) }
        guard function == .avg, case .real(let average) = value else { return FieldValue(value, type: type) }
        switch type {
        case .money: return .money(Money(fen: FieldConverter.clampedInt64(average.rounded(.toNearestOrAwayFromZero))))
        case .area:
            return .area(Area(hundredths: FieldConverter.clampedInt64(average.rounded(.toNearestOrAwayFromZero))))
        default: return .number(average)
        }
    }
}
