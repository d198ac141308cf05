import FupinCore
import LuaKit

/// Converting between Lua values and FupinCore values: script input to `FieldInput`,
/// stored values to Lua (money and area as yuan / 亩 — integers when whole), filters to
/// `Query.Filter`.
enum FpConverter {
    /// A Lua value given for a field, as FupinCore input.
    static func input(_ value: LuaValue, collection: String, field: String) throws -> FieldInput {
        switch value {
        case .nil: return .null
        case .boolean(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d): return .double(d)
        case .string(let s):
            guard let text = s.string else {
                throw ValidationError(
                    collection: collection, field: field, value: s.description, reason: "is not valid UTF-8 text")
            }
            return .text(text)
        default:
            throw ValidationError(
                collection: collection, field: field, value: value.typeName,
                reason: "must be a number, string or boolean, not a \(value.typeName)")
        }
    }

    /// The fields of a Lua table given to `add`/`update`, checked against the collection.
    static func fields(_ table: LuaTable, schema: CollectionSchema) throws -> [String: FieldInput] {
        var result: [String: FieldInput] = [:]
        var problem: Error?
        table.forEach { key, value in
            guard problem == nil else { return }
            guard case .string(let k)? = key, let name = k.string else {
                problem = ValidationError(
                    collection: schema.name, field: key?.description ?? "?", value: value.description,
                    reason: "field names must be strings")
                return
            }
            if name == CollectionSchema.idField { return }
            do { result[name] = try input(value, collection: schema.name, field: name) } catch { problem = error }
        }
        if let problem { throw problem }
        return result
    }

    /// Pushes a stored value as Lua sees it. Leaves one value on the stack.
    static func push(_ value: FieldValue, on L: OpaquePointer, state: LuaState) {
        switch value {
        case .null: state.pushNil(on: L)
        case .text(let s), .date(let s): state.pushString(s, on: L)
        case .integer(let i): state.pushInteger(i, on: L)
        case .number(let d):
            // Quantities stored as REAL read as integers when whole (60 chicks, not 60.0).
            if d == d.rounded(), abs(d) < 9.0e15 {
                state.pushInteger(Int64(d), on: L)
            } else {
                state.pushNumber(d, on: L)
            }
        case .money(let m): pushHundredths(m.fen, on: L, state: state)
        case .area(let a): pushHundredths(a.hundredths, on: L, state: state)
        case .bool(let b): state.pushBoolean(b, on: L)
        }
    }

    /// Fixed-point hundredths as a Lua number: an integer when whole (13800 yuan), else a float.
    static func pushHundredths(_ n: Int64, on L: OpaquePointer, state: LuaState) {
        if n % 100 == 0 { state.pushInteger(n / 100, on: L) } else { state.pushNumber(Double(n) / 100, on: L) }
    }

    /// The Lua value of a stored value (for results returned as values).
    static func value(_ v: FieldValue) -> LuaValue {
        switch v {
        case .null: return .nil
        case .text(let s), .date(let s): return .text(s)
        case .integer(let i): return .integer(i)
        case .number(let d): return d == d.rounded() && abs(d) < 9.0e15 ? .integer(Int64(d)) : .number(d)
        case .money(let m): return m.fen % 100 == 0 ? .integer(m.fen / 100) : .number(Double(m.fen) / 100)
        case .area(let a):
            return a.hundredths % 100 == 0 ? .integer(a.hundredths / 100) : .number(Double(a.hundredths) / 100)
        case .bool(let b): return .boolean(b)
        }
    }

    /// Lua filter table → FupinCore filters: `{f = v}`, `{f = {op, v}}`, `{f = {"between", a, b}}`,
    /// `{f = {"in", {...}}}`, `{f = {"like", p}}`, `year = 2019` on collections with a date.
    static func filters(_ table: LuaTable, schema: CollectionSchema) throws -> [Query.Filter] {
        var result: [Query.Filter] = []
        var problem: Error?
        table.forEach { key, value in
            guard problem == nil else { return }
            do { result.append(try filter(key: key, value: value, schema: schema)) } catch { problem = error }
        }
        if let problem { throw problem }
        // Deterministic SQL for the same filter (pairs order is not).
        return result.sorted { ($0.field ?? "year") < ($1.field ?? "year") }
    }

    private static func filter(key: LuaKey?, value: LuaValue, schema: CollectionSchema) throws -> Query.Filter {
        guard case .string(let k)? = key, let field = k.string else {
            throw ValidationError(
                collection: schema.name, field: key?.description ?? "?", value: value.description,
                reason: "filter keys must be field names")
        }
        if field == "year", schema.field("year") == nil {
            guard let year = value.intValue, schema.dateField != nil else {
                throw ValidationError(
                    collection: schema.name, field: field, value: value.description,
                    reason: schema.dateField == nil ? "is not a field (the collection has no date)" : "must be a year")
            }
            return .year(Int(year))
        }
        // `ref.field` paths are checked when the query is planned (against the referenced collection).
        guard field == CollectionSchema.idField || schema.field(field) != nil || field.contains(".") else {
            throw UnknownFieldError(field, in: schema)
        }
        guard case .table(let t) = value else {
            return .compare(field, .equal, try input(value, collection: schema.name, field: field))
        }
        let parts = t.toArray()
        guard let op = parts.first?.stringValue else {
            throw ValidationError(
                collection: schema.name, field: field, value: "table",
                reason: "a condition is {op, value}: {'>=', 10}, {'between', a, b}, {'in', {...}}, {'like', '%x%'}")
        }
        func arg(_ i: Int) throws -> FieldInput {
            guard i < parts.count else {
                throw ValidationError(
                    collection: schema.name, field: field, value: op, reason: "needs a value after '\(op)'")
            }
            return try input(parts[i], collection: schema.name, field: field)
        }
        switch op {
        case "between": return .between(field, try arg(1), try arg(2))
        case "in":
            guard parts.count > 1, case .table(let list) = parts[1] else {
                throw ValidationError(
                    collection: schema.name, field: field, value: op, reason: "'in' needs a list: {'in', {a, b}}")
            }
            return .oneOf(field, try list.toArray().map { try input($0, collection: schema.name, field: field) })
        case "like":
            guard parts.count > 1, let pattern = parts[1].stringValue else {
                throw ValidationError(
                    collection: schema.name, field: field, value: op, reason: "'like' needs a pattern string")
            }
            return .like(field, pattern)
        default:
            guard let comparison = Query.Comparison(lua: op) else {
                throw ValidationError(
                    collection: schema.name, field: field, value: op,
                    reason: "unknown operator (use = ~= < <= > >= between in like)")
            }
            return .compare(field, comparison, try arg(1))
        }
    }
}
