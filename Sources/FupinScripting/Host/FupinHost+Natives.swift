import FupinCore
import LuaKit

/// The Swift functions behind `fp` (the Lua prelude builds the objects users see on them).
/// Each reads its arguments from the frame, works inside the open unit, and pushes results.
extension FupinHost {
    /// The native functions, by the name the prelude uses. Errors carry the position of the
    /// user's code that called into `fp`, not of the prelude in between.
    ///
    /// With a `caller` (a plugin), each native acts under that caller's view while it runs,
    /// whoever holds the function: the view belongs to the `fp` object, not to the moment.
    func natives(for caller: FpCaller? = nil) -> [String: LuaFunctionBody] {
        let bodies: [String: LuaFunctionBody] = [
            "run": { [unowned self] f in try self.nativeRun(f) },
            "open": { [unowned self] f in try self.nativeOpen(f) },
            "next": { [unowned self] f in try self.nativeNext(f) },
            "get": { [unowned self] f in try self.nativeGet(f) },
            "add": { [unowned self] f in try self.nativeAdd(f) },
            "update": { [unowned self] f in try self.nativeUpdate(f) },
            "remove": { [unowned self] f in try self.nativeRemove(f) },
            "fields": { [unowned self] f in try self.nativeFields(f) },
            "collections": { [unowned self] f in
                try self.loadDeferredPlugins(); return self.nativeCollections(f)
            },
            "transaction": { [unowned self] f in try self.nativeTransaction(f) },
            "sql": { [unowned self] f in try self.nativeSQL(f) },
            "income": { [unowned self] f in try self.nativeIncome(f) },
            "format": { [unowned self] f in try self.nativeFormat(f) },
            "schema": { [unowned self] f in
                try self.loadDeferredPlugins(); return self.nativeSchema(f)
            },
        ]
        return bodies.mapValues { body in
            let run: LuaFunctionBody = { [weak self] frame in
                do { return try body(frame) } catch let error as LuaError { throw error } catch {
                    if error is ValidationError { self?.lastRefusedInput = String(describing: error) }
                    // A statement the SQL guard stopped or a PostgreSQL watchdog cancelled:
                    // say why as a Lua loop would (`limitReached` trips the state here, on its
                    // own thread, where the watchdog only read it).
                    if WorkUnit.isInterrupt(error), let self,
                        let stopped = self.lua.limitReached() ? self.lua.limitMessage : self.hostMemoryTrip
                    {
                        throw LuaScriptError(stopped)
                    }
                    throw LuaScriptError(
                        FupinHost.callerPosition(frame) + (StorageFailure.explain(error) ?? String(describing: error)),
                        addsPosition: false)
                }
            }
            guard let caller else { return run }
            // `weak`: the caller holds its fp table, which holds the Lua state, which holds this
            // function — a strong capture would keep the whole state alive forever.
            return { [unowned self, weak caller] frame in
                guard let caller else {
                    throw LuaScriptError("this plugin was reloaded: use the new fp (after :reload)")
                }
                let saved = self.view
                self.view = caller.view
                defer { self.view = saved }
                return try run(frame)
            }
        }
    }

    /// "file:line: " of the nearest calling Lua function outside the `fp` prelude.
    static func callerPosition(_ frame: LuaCallFrame) -> String {
        frame.callerPosition(skipping: ["fp", "fupin.plugins"])
    }

    /// The collection called `name`: a collection of the workspace, or the audit log
    /// (`fp.audit`, read-only).
    func collectionSchema(_ name: String) -> CollectionSchema? {
        if let schema = workspace.schema[name] { return schema }
        return name == AuditLog.table ? Schema.auditLog : nil
    }

    /// Refuses writes to the audit log: only the workspace writes it.
    func requireWritable(_ schema: CollectionSchema) throws {
        if schema.name == AuditLog.table {
            throw LuaScriptError("fp.audit is read-only: the audit log is written only by the changes it records")
        }
    }

    /// The collection named by argument `i`.
    func collectionArgument(_ f: LuaCallFrame, _ i: Int32) throws -> CollectionSchema {
        let name = try f.string(i)
        guard let schema = collectionSchema(name) else {
            throw LuaScriptError("no collection '\(name)' in the workspace now")
        }
        return schema
    }

    /// The query described by the spec table at argument 1: `{_c, _f = {filters}, _o = {{field, desc}}, _l, _s}`.
    func querySpec(_ f: LuaCallFrame) throws -> (Query, group: String?) {
        guard case .table(let spec) = f.value(1) else { throw LuaScriptError("expected a query (call it with ':')") }
        guard let name = spec.rawGet("_c").stringValue else {
            throw LuaScriptError("expected a query (call it with ':')")
        }
        // A collection object kept from before its plugin was disabled or reloaded away.
        guard let schema = collectionSchema(name) else {
            throw LuaScriptError("no collection '\(name)' in the workspace now")
        }
        let query = try queryFromSpec(spec, schema: schema)
        let group = spec.rawGet("_g").stringValue
        // A period (`month`, `quarter(date)`) is checked where the key's SQL is made.
        if let group, Query.Period(rawValue: group) == nil, !group.contains("."), !group.hasSuffix(")") {
            try checkField(group, schema)
        }
        return (query, group)
    }

    /// The FupinCore query a Lua query table describes.
    func queryFromSpec(_ spec: LuaTable, schema: CollectionSchema) throws -> Query {
        var query = Query(schema).maskingPersonalData(view.masksPersonalData)
        if case .table(let filters) = spec.rawGet("_f") {
            for case .table(let filter) in filters.toArray() {
                for condition in try FpConverter.filters(filter, schema: schema) { query = query.where(condition) }
            }
        }
        if case .table(let orders) = spec.rawGet("_o") {
            for case .table(let order) in orders.toArray() {
                let parts = order.toArray()
                guard let field = parts.first?.stringValue else { continue }
                try checkField(field, schema)
                query = query.orderBy(field, descending: parts.count > 1 && parts[1].boolValue == true)
            }
        }
        if let n = spec.rawGet("_l").intValue { query = query.limit(Int(clamping: n)) }
        if let n = spec.rawGet("_s").intValue { query = query.offset(Int(clamping: n)) }
        return query
    }

    func checkField(_ field: String, _ schema: CollectionSchema) throws {
        guard field == CollectionSchema.idField || schema.field(field) != nil else {
            throw UnknownFieldError(field, in: schema)
        }
    }

    /// run(spec, op [, field]): count / sum / avg / min / max / first / list, grouped when the
    /// spec has `_g`.
    func nativeRun(_ f: LuaCallFrame) throws -> Int32 {
        let unit = try requireUnit()
        let (query, group) = try querySpec(f)
        let op = try f.string(2)
        if op == "aggregate" { return try nativeAggregate(f, query, group: group) }
        let field = try f.optionalString(3)
        if let field { try checkField(field, query.collection) }
        let aggregate = Query.Aggregate(rawValue: op)
        if aggregate != nil && field == nil { throw LuaScriptError("\(op) needs a field name") }
        if let group {
            guard op == "count" || aggregate != nil else {
                throw LuaScriptError("after group_by use count, count_distinct, sum, avg, min or max")
            }
            let rows = try unit.grouped(query, by: group, aggregate, field)
            try requireHostMemory("grouping")
            lua.newTable(fieldCapacity: rows.count, on: f.L)
            for (i, (key, value)) in rows.enumerated() {
                if i % 256 == 255 { try requireHostMemory("building the groups of group_by") }
                if key.isNull { lua.pushString("", on: f.L) } else { FpConverter.push(key, on: f.L, state: lua) }
                FpConverter.push(value, on: f.L, state: lua)
                lua.setPair(on: f.L)
            }
            return 1
        }
        switch op {
        case "count":
            f.push(Int64(try unit.count(query)))
        case "first":
            if let r = try unit.first(query) { pushRecord(r, on: f.L) } else { f.pushNil() }
        case "list":
            // Row by row, the memory limit checked as the list grows (FupinHost+Memory).
            lua.newTable(on: f.L)
            var count = 0
            try unit.forEach(query) { r in
                pushRecord(r, on: f.L)
                count += 1
                lua.setIndex(count, on: f.L)
                if count % 64 == 0 { try requireHostMemory("building the rows of :list() (stream them with :iter())") }
                return true
            }
        default:
            guard let aggregate, let field else { throw LuaScriptError("unknown query operation '\(op)'") }
            let value = try unit.aggregate(aggregate, field, of: query)
            if value.isNull && aggregate == .sum {
                f.push(Int64(0))
            } else {
                FpConverter.push(value, on: f.L, state: lua)
            }
        }
        return 1
    }

    /// run(spec, "aggregate", { name = "count" | { fn, field }, ... }) → `{ name = value }`, or
    /// per key `{ [key] = { name = value } }` after group_by: every figure in one statement.
    func nativeAggregate(_ f: LuaCallFrame, _ query: Query, group: String?) throws -> Int32 {
        guard case .table(let spec) = f.value(3) else {
            throw LuaScriptError("aggregate expects a table such as { n = 'count', amount = { 'sum', 'amount' } }")
        }
        var names: [String] = []
        var measures: [Workspace.Measure] = []
        var problem: String?
        spec.forEach { key, value in
            guard problem == nil else { return }
            guard let key, case .string = key else { problem = "aggregate: name each figure (n = 'count')"; return }
            let name = key.description
            if value.stringValue == "count" {
                names.append(name); measures.append(.count); return
            }
            let parts = value.tableValue?.toArray() ?? []
            guard parts.count == 2, let fn = parts[0].stringValue, let function = Query.Aggregate(rawValue: fn),
                let field = parts[1].stringValue
            else {
                problem = "aggregate: \(name) must be 'count' or { 'sum'|'avg'|'min'|'max'|'count_distinct', field }"
                return
            }
            names.append(name); measures.append(Workspace.Measure(function, field))
        }
        if let problem { throw LuaScriptError(problem) }
        for m in measures { if let field = m.field { try checkField(field, query.collection) } }
        let rows = try requireUnit().measures(query, measures, groupedBy: group)
        func pushFigures(_ values: [FieldValue]) {
            lua.newTable(fieldCapacity: values.count, on: f.L)
            for (i, value) in values.enumerated() {
                if value.isNull, measures[i].function == .sum {
                    lua.pushInteger(0, on: f.L)
                } else {
                    FpConverter.push(value, on: f.L, state: lua)
                }
                lua.setField(names[i], on: f.L)
            }
        }
        if group == nil {
            pushFigures(rows.first?.values ?? measures.map { _ in FieldValue.null })
            return 1
        }
        lua.newTable(fieldCapacity: rows.count, on: f.L)
        for (key, values) in rows {
            if key.isNull { lua.pushString("", on: f.L) } else { FpConverter.push(key, on: f.L, state: lua) }
            pushFigures(values)
            lua.setPair(on: f.L)
        }
        return 1
    }

    /// open(spec) → a cursor for `iter`.
    func nativeOpen(_ f: LuaCallFrame) throws -> Int32 {
        let unit = try requireUnit()
        let (query, _) = try querySpec(f)
        let cursor = RecordCursor(rows: try unit.rows(query), generation: unitGeneration)
        openCursors.removeAll { $0.finished }
        openCursors.append(cursor)
        lua.pushObject(cursor, on: f.L)
        try requireHostMemoryForIterator()
        return 1
    }

    /// next(cursor) → the next record or nil.
    func nativeNext(_ f: LuaCallFrame) throws -> Int32 {
        guard let cursor = lua.object(at: 1, on: f.L, as: RecordCursor.self) else {
            throw LuaScriptError("expected an iterator")
        }
        try pushNext(cursor, on: f.L)
        return 1
    }

    func nativeGet(_ f: LuaCallFrame) throws -> Int32 {
        let unit = try requireUnit()
        let schema = try collectionArgument(f, 1)
        if let r = try unit.get(schema.name, id: try f.integer(2)) { pushRecord(r, on: f.L) } else { f.pushNil() }
        return 1
    }

    func nativeAdd(_ f: LuaCallFrame) throws -> Int32 {
        let schema = try collectionArgument(f, 1)
        try requireWrites("\(schema.name):add", to: schema.name)
        try requireWritable(schema)
        guard case .table(let t) = f.value(2) else {
            throw LuaScriptError("\(schema.name):add expects a table of fields")
        }
        let unit = try requireUnit()
        let id = try unit.insert(schema.name, try FpConverter.fields(t, schema: schema), context: view.writeContext)
        if let r = try unit.get(schema.name, id: id) { pushRecord(r, on: f.L) } else { f.push(id) }
        return 1
    }

    func nativeUpdate(_ f: LuaCallFrame) throws -> Int32 {
        let schema = try collectionArgument(f, 1)
        try requireWrites("\(schema.name):update", to: schema.name)
        try requireWritable(schema)
        let id = try f.integer(2)
        guard case .table(let t) = f.value(3) else {
            throw LuaScriptError("\(schema.name):update expects an id and a table of fields")
        }
        let unit = try requireUnit()
        try unit.update(schema.name, id: id, try FpConverter.fields(t, schema: schema), context: view.writeContext)
        if let r = try unit.get(schema.name, id: id) { pushRecord(r, on: f.L) } else { f.pushNil() }
        return 1
    }

    func nativeRemove(_ f: LuaCallFrame) throws -> Int32 {
        let schema = try collectionArgument(f, 1)
        try requireWrites("\(schema.name):remove", to: schema.name)
        try requireWritable(schema)
        try requireUnit().remove(schema.name, id: try f.integer(2), context: view.writeContext)
        return 0
    }

    /// fields(collection) → { {name, type, label, required, ref}, ... }.
    func nativeFields(_ f: LuaCallFrame) throws -> Int32 {
        let schema = try collectionArgument(f, 1)
        f.push(.array(schema.fields.map(FupinHost.describe)))
        return 1
    }

    static func describe(_ field: FieldSpec) -> LuaValue {
        var d: [LuaKey: LuaValue] = [
            "name": .text(field.name), "type": .text(field.type.name), "label": .text(field.label),
            "required": .boolean(field.required),
        ]
        if let ref = field.referencedCollection { d["ref"] = .text(ref) }
        if let vocabulary = field.type.vocabulary { d["values"] = .array(vocabulary.values.map { .text($0) }) }
        if field.pii { d["personal"] = true }
        return .dictionary(d)
    }

    /// schema() → { [name] = { name, label, fields = {...} } } for every collection.
    func nativeSchema(_ f: LuaCallFrame) -> Int32 {
        var all: [LuaKey: LuaValue] = [:]
        for c in workspace.schema.collections {
            all[.string(LuaString(c.name))] = .dictionary([
                "name": .text(c.name), "label": .text(c.label), "fields": .array(c.fields.map(FupinHost.describe)),
            ])
        }
        f.push(.dictionary(all))
        return 1
    }

    func nativeCollections(_ f: LuaCallFrame) -> Int32 {
        f.push(.array(workspace.schema.names.map { .text($0) }))
        return 1
    }

    /// transaction(fn): runs fn in a savepoint; an error rolls back fn's writes and is raised again.
    func nativeTransaction(_ f: LuaCallFrame) throws -> Int32 {
        guard case .function(let fn) = f.value(1) else { throw LuaScriptError("fp.transaction expects a function") }
        let unit = try requireUnit()
        let results = try unit.inSavepoint { try fn.call() }
        return try f.push(results: results)
    }

    /// sql(sql, params) → rows as tables; only read-only statements run, held to reading by
    /// SQLite's authorizer (`Workspace.readOnlyRows`, `ReadOnlyPolicy`).
    func nativeSQL(_ f: LuaCallFrame) throws -> Int32 {
        let unit = try requireUnit()
        let sql = try f.string(1)
        if view.masksPersonalData { throw LuaScriptError("fp.sql needs the 'pii' permission (it cannot mask raw SQL)") }
        var arguments: [FieldInput] = []
        if case .table(let params) = f.value(2) {
            for p in params.toArray() {
                switch p {
                case .nil: arguments.append(.null)
                case .boolean(let b): arguments.append(.bool(b))
                case .integer(let i): arguments.append(.integer(i))
                case .number(let d): arguments.append(.double(d))
                case .string(let s): arguments.append(.text(s.description))
                default: throw LuaScriptError("fp.sql parameters must be numbers, strings or booleans")
                }
            }
        }
        // Row by row, the memory limit checked as the result grows (FupinHost+Memory).
        lua.newTable(on: f.L)
        var i = 0
        do {
            try unit.readOnlyRows(sql, arguments: arguments, label: "fp.sql") { row in
                lua.newTable(fieldCapacity: row.count, on: f.L)
                for (name, cell) in row {
                    switch cell {
                    case .null: continue
                    case .integer(let n): lua.pushInteger(n, on: f.L)
                    case .double(let d): lua.pushNumber(d, on: f.L)
                    case .text(let s): lua.pushString(s, on: f.L)
                    case .blob(let b): lua.pushBytes(b, on: f.L)
                    }
                    lua.setField(name, on: f.L)
                }
                i += 1
                lua.setIndex(i, on: f.L)
                if i % 64 == 0 { try requireHostMemory("building the rows of fp.sql") }
            }
        } catch let refusal as ReadOnlySQLRefusal {
            throw LuaScriptError(refusal.message)
        }
        return 1
    }

    /// income(household_id, year) → { total, costs, net, per_capita, line, above, band, in_band, people };
    /// income({ id, ... }, year) → { [id] = that table, ... } (one request for many households:
    /// a plugin's worker otherwise makes a round trip to the host per household).
    func nativeIncome(_ f: LuaCallFrame) throws -> Int32 {
        let unit = try requireUnit()
        let year = Int(try f.integer(2))
        if case .table(let ids) = f.value(1) {
            var asked: [Int64] = []
            for case .integer(let id) in ids.toArray() { asked.append(id) }
            var all: [LuaKey: LuaValue] = [:]
            for figures in try unit.incomeFigures(householdIDs: asked, year: year) {
                all[.integer(figures.householdID)] = incomeValue(figures)
            }
            f.push(.dictionary(all))
            return 1
        }
        f.push(incomeValue(try unit.incomeFigures(householdID: try f.integer(1), year: year)))
        return 1
    }

    /// One household's income figures as `fp.households:income` gives them.
    private func incomeValue(_ figures: IncomeFigures) -> LuaValue {
        func money(_ m: Money?) -> LuaValue { m.map { FpConverter.value(.money($0)) } ?? .nil }
        var d: [LuaKey: LuaValue] = [
            "household_id": .integer(figures.householdID), "year": .integer(Int64(figures.year)),
            "total": money(figures.totalIncome), "costs": money(figures.productionCosts),
            "net": money(figures.netIncome),
            "per_capita": money(figures.perCapitaNetIncome), "line": money(figures.povertyLine),
            "band": money(figures.monitoringBand), "people": .integer(Int64(figures.people)),
            "excluded_subsidies": money(figures.excludedSubsidies),
        ]
        if let above = figures.isAbovePovertyLine { d["above"] = .boolean(above) }
        if let inBand = figures.isWithinMonitoringBand { d["in_band"] = .boolean(inBand) }
        var categories: [LuaKey: LuaValue] = [:]
        for (k, v) in figures.byCategory { categories[.string(LuaString(k))] = money(v) }
        d["by_category"] = .dictionary(categories)
        return .dictionary(d)
    }
}
