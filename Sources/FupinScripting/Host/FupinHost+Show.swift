import CLua
import CLuaShim
import FupinCore
import LuaKit

/// `fp.format(x [, opts])` (and `fp.show`, which prints it): a query, a collection, a record
/// or a list of records as an aligned table through `RecordTable` / `RecordCard`.
extension FupinHost {
    /// format(x, opts) → text.
    func nativeFormat(_ f: LuaCallFrame) throws -> Int32 {
        let options = try showOptions(f.value(2))
        f.push(try format(f.value(1), options: options))
        return 1
    }

    /// The text `fp.show` prints for `value`, or an error saying what it accepts.
    public func format(_ value: LuaValue, options: ShowOptions) throws -> String {
        let db = try requireDB()
        guard case .table(let t) = value else { throw LuaScriptError("fp.show expects a record, a list of records or a query") }
        if let name = t.rawGet("_c").stringValue, let schema = collectionSchema(name) {
            // A query or collection: its first rows and its count, as one SQL statement each.
            let query = try queryFromSpec(t, schema: schema)
            let limit = options.limit ?? Int.max
            let records = try workspace.list(limit == Int.max ? query : query.limit(limit), in: db)
            let total = try workspace.count(query, in: db)
            return try RecordTable(schema: schema, records: records, total: total, options: options).render()
        }
        if let name = recordCollection(t), collectionSchema(name) != nil {
            guard let id = t.rawGet("id").intValue, let record = try workspace.get(name, id: id, in: db) else {
                throw LuaScriptError("fp.show: this \(name) record has no stored id")
            }
            return RecordCard(record: record, options: options).render()
        }
        let items = t.toArray()
        guard case .table(let first)? = items.first, let name = recordCollection(first), let schema = collectionSchema(name) else {
            if items.isEmpty { return "(0 rows)" }
            throw LuaScriptError("fp.show expects a record, a list of records or a query")
        }
        var records: [StoredRecord] = []
        for case .table(let item) in items {
            guard recordCollection(item) == name, let id = item.rawGet("id").intValue,
                  let record = try workspace.get(name, id: id, in: db) else {
                throw LuaScriptError("fp.show: a list must hold records of one collection")
            }
            records.append(record)
        }
        return try RecordTable(schema: schema, records: records, total: records.count, options: options).render()
    }

    /// The collection a record table is marked with, if any.
    func recordCollection(_ table: LuaTable) -> String? {
        table.push(on: lua.L)
        defer { clua_pop(lua.L, 1) }
        return collectionOfRecord(at: -1, on: lua.L)
    }

    /// Options from a Lua table `{ limit, unmask, labels, fields, mode }`; unmasking needs a
    /// view that may see personal data.
    func showOptions(_ value: LuaValue) throws -> ShowOptions {
        var options = ShowOptions()
        guard case .table(let t) = value else { return options }
        if let n = t.rawGet("limit").intValue { options.limit = Int(clamping: n) }
        if t.rawGet("unmask").boolValue == true {
            guard !view.masksPersonalData else { throw LuaScriptError("fp.show: unmasking needs the 'pii' permission") }
            options.unmask = true
        }
        if t.rawGet("labels").boolValue == true { options.labels = true }
        if case .table(let fields) = t.rawGet("fields") { options.fields = fields.toArray().compactMap(\.stringValue) }
        if let mode = t.rawGet("mode").stringValue {
            guard let m = RenderMode(rawValue: mode) else { throw LuaScriptError("fp.show: mode must be table, csv or json") }
            options.mode = m
        }
        if view.masksPersonalData { options.unmask = false }
        return options
    }
}
