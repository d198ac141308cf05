/// The SQL text and arguments of a `Query`, built through the workspace's dialect: the one
/// place where query SQL is written.
struct QuerySQL {
    let table: String
    let whereClause: String
    let orderClause: String
    let limitClause: String
    let arguments: [SQLValue]
    let compiled: CompiledCollection
    let dialect: any SQLDialect

    /// `resolve` finds the collections that `ref.field` filters lead to.
    init(
        _ query: Query, compiled: CompiledCollection, dialect: any SQLDialect,
        resolve: (String) -> CompiledCollection? = { _ in nil }
    ) throws {
        self.compiled = compiled
        self.dialect = dialect
        table = dialect.quote(query.collection.name)
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        var mentionsValid = false
        func placeholder(_ value: SQLValue) -> String {
            arguments.append(value)
            return dialect.placeholder(arguments.count)
        }
        for filter in query.filters {
            if filter.field == CollectionSchema.validField { mentionsValid = true }
            // A filter on `ref.field` is the same condition on the referenced collection:
            // `ref IN (SELECT id FROM target WHERE condition)`.
            var schema = query.collection
            var compiled = compiled
            var path: (reference: String, target: String)?
            var filter = filter
            if let field = filter.field, let dot = field.firstIndex(of: ".") {
                let reference = String(field[..<dot])
                let targetField = String(field[field.index(after: dot)...])
                guard let target = query.collection.field(reference)?.referencedCollection,
                    let resolved = resolve(target),
                    !targetField.contains(".")
                else {
                    throw ValidationError(
                        collection: query.collection.name, field: field, value: "",
                        reason:
                            "is not a field of \(query.collection.name): a path is ref.field through one reference field"
                    )
                }
                schema = resolved.schema
                compiled = resolved
                path = (reference, target)
                filter = filter.renamed(targetField)
            }
            if query.masksPersonalData, let name = filter.field {
                let named = path.map { "\($0.reference).\(name)" } ?? name
                try PersonalFieldRefusal.check(name, of: schema, named: named, in: query.collection, use: .filter)
            }
            let before = conditions.count
            defer {
                if let path, conditions.count == before + 1 {
                    let id = dialect.quote(CollectionSchema.idField)
                    conditions[before] =
                        "\(dialect.quote(path.reference)) IN (SELECT \(id) FROM \(dialect.quote(path.target)) WHERE \(conditions[before]))"
                }
            }
            switch filter {
            case .year(let year):
                if let yearField = schema.yearField {
                    conditions.append("\(dialect.quote(yearField)) = \(placeholder(Int64(year).sqlValue))")
                } else if let dateField = schema.dateField {
                    let start = placeholder(QuerySQL.yearStart(year).sqlValue)
                    let end = placeholder(QuerySQL.yearStart(year + 1).sqlValue)
                    conditions.append(
                        "\(dialect.quote(dateField)) >= \(start) AND \(dialect.quote(dateField)) < \(end)")
                } else {
                    throw ValidationError(
                        collection: schema.name, field: "year", value: String(year),
                        reason: "cannot filter \(schema.name): it has no date or year field")
                }
            case .compare(let field, let comparison, let value):
                let column = try QuerySQL.column(field, schema, dialect)
                let stored = try QuerySQL.convert(value, field, compiled)
                if stored.isNull {
                    conditions.append(comparison == .notEqual ? "\(column) IS NOT NULL" : "\(column) IS NULL")
                } else {
                    let op = comparison == .notEqual ? "<>" : comparison.rawValue
                    conditions.append("\(column) \(op) \(placeholder(stored))")
                }
            case .between(let field, let low, let high):
                let column = try QuerySQL.column(field, schema, dialect)
                let lowValue = placeholder(try QuerySQL.convert(low, field, compiled))
                let highValue = placeholder(try QuerySQL.convert(high, field, compiled))
                conditions.append("\(column) BETWEEN \(lowValue) AND \(highValue)")
            case .oneOf(let field, let values):
                let column = try QuerySQL.column(field, schema, dialect)
                if values.isEmpty {
                    // A comparison, not the integer 0: PostgreSQL wants a boolean condition.
                    conditions.append("1 = 0")
                } else {
                    let list = try values.map { placeholder(try QuerySQL.convert($0, field, compiled)) }
                    conditions.append("\(column) IN (\(list.joined(separator: ", ")))")
                }
            case .like(let field, let pattern):
                let column = try QuerySQL.column(field, schema, dialect)
                conditions.append("\(column) LIKE \(placeholder(pattern.sqlValue))")
            case .isNull(let field):
                conditions.append("\(try QuerySQL.column(field, schema, dialect)) IS NULL")
            case .isNotNull(let field):
                conditions.append("\(try QuerySQL.column(field, schema, dialect)) IS NOT NULL")
            }
        }
        let schema = query.collection
        if schema.keepsValidFlag && !query.includesInvalid && !mentionsValid {
            conditions.insert("\(dialect.quote(CollectionSchema.validField)) = 1", at: 0)
        }
        whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        if query.masksPersonalData {
            for order in query.ordering {
                try PersonalFieldRefusal.check(order.field, of: schema, named: order.field, in: schema, use: .order)
            }
        }
        var orders = try query.ordering.map {
            "\(try QuerySQL.column($0.field, schema, dialect))\($0.descending ? " DESC" : "")"
        }
        orders.append(dialect.quote(CollectionSchema.idField))
        orderClause = " ORDER BY " + orders.joined(separator: ", ")
        var limit = ""
        if let count = query.limitCount { limit += " LIMIT \(count)" }
        if let offset = query.offsetCount {
            if query.limitCount == nil { limit += " LIMIT -1" }
            limit += " OFFSET \(offset)"
        }
        limitClause = limit
        self.arguments = arguments
    }

    /// Whether limit/offset apply (aggregates then run over a subquery).
    var isWindowed: Bool { !limitClause.isEmpty }

    /// `SELECT * ...` (the columns the user may read) in order, with limit and offset.
    var selectSQL: String { "SELECT \(compiled.selectList) FROM \(table)\(whereClause)\(orderClause)\(limitClause)" }

    /// The rows the query selects, as a FROM source for aggregates. A windowed query's
    /// subquery is named `q`: PostgreSQL refuses a subquery in FROM without a name.
    func source(columns: String) -> String {
        isWindowed
            ? "(SELECT \(columns) FROM \(table)\(whereClause)\(orderClause)\(limitClause)) AS q"
            : "\(table)\(whereClause)"
    }

    static func yearStart(_ year: Int) -> String {
        CalendarDate(year: min(max(year, 1), 9999), month: 1, day: 1)?.text ?? "\(year)-01-01"
    }

    /// The quoted column of `field` (`id`, any field), or a ValidationError naming it.
    static func column(_ field: String, _ schema: CollectionSchema, _ dialect: any SQLDialect) throws -> String {
        guard field == CollectionSchema.idField || schema.field(field) != nil else {
            throw ValidationError(
                collection: schema.name, field: field, value: "",
                reason: "is not a field of \(schema.name) (\(schema.label))")
        }
        return dialect.quote(field)
    }

    static func convert(_ value: FieldInput, _ field: String, _ compiled: CompiledCollection) throws -> SQLValue {
        if field == CollectionSchema.idField {
            switch value {
            case .integer(let id): return id.sqlValue
            case .double(let id) where id == id.rounded() && abs(id) < 9e15: return Int64(id).sqlValue
            case .text(let text) where Int64(text) != nil: return (Int64(text) ?? 0).sqlValue
            case .null: return .null
            default:
                throw ValidationError(
                    collection: compiled.name, field: field, value: value.display, reason: "is not a record id")
            }
        }
        guard let index = compiled.schema.index(of: field) else {
            throw ValidationError(
                collection: compiled.name, field: field, value: "", reason: "is not a field of \(compiled.name)")
        }
        return try compiled.converters[index].convertForFilter(value)
    }
}
