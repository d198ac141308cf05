import CLua
import CLuaShim
import FupinCore
import GRDB
import GRDBSQLite
import LuaKit

/// Records as Lua tables: `id`, every field by name (money as yuan, dates as text,
/// references as `<name>_id`), personal data masked when the view asks for it. Each record
/// table carries a metadata-only metatable naming its collection, so `fp.show` can label it.
extension FupinHost {
    /// Pushes `record` as a Lua table. Leaves one table on the stack.
    func pushRecord(_ record: StoredRecord, on L: OpaquePointer) {
        let schema = record.schema
        lua_createtable(L, 0, Int32(schema.fields.count + 1))
        lua_pushinteger(L, record.id)
        lua_setfield(L, -2, "id")
        for (index, field) in schema.fields.enumerated() {
            let stored = record.values[index]
            if stored.isNull { continue }
            pushField(stored, field, on: L)
            lua_setfield(L, -2, field.name)
        }
        pushRecordMetatable(schema.name, on: L)
        lua_setmetatable(L, -2)
    }

    /// Pushes one stored value of `field`, masked if the view says so.
    func pushField(_ stored: DatabaseValue, _ field: FieldSpec, on L: OpaquePointer) {
        let value = FieldValue(stored, type: field.type)
        if field.pii && view.masksPersonalData, case .text(let text) = value {
            lua.pushString(Masking.mask(text, for: field), on: L)
        } else {
            FpConverter.push(value, on: L, state: lua)
        }
    }

    /// Pushes the metatable marking records of `collection`. Leaves one table on the stack.
    func pushRecordMetatable(_ collection: String, on L: OpaquePointer) {
        if let mt = recordMetatables[collection] {
            mt.push(on: L)
            return
        }
        lua_createtable(L, 0, 2)
        lua.pushString(collection, on: L)
        lua_setfield(L, -2, "__fp_collection")
        lua.pushString("fp.record", on: L)
        lua_setfield(L, -2, "__name")
        lua_pushvalue(L, -1)
        if case .table(let mt) = lua.value(at: -1, on: L) { recordMetatables[collection] = mt }
        clua_pop(L, 1)
    }

    /// The collection a record table belongs to (from its metatable), if any.
    /// Read raw: the metatable is the caller's, and its own metatable may raise, yield or loop.
    func collectionOfRecord(at index: Int32, on L: OpaquePointer) -> String? {
        lua.metafieldString("__fp_collection", ofValueAt: index, on: L)
    }
}

/// A streaming cursor handed to Lua by `iter`: valid only within the unit that opened it.
final class RecordCursor {
    /// How the hot path reads one column: decided once per cursor from the field's type, so a
    /// row costs no `FieldSpec` copies (each holds strings and enum payloads to retain).
    struct ColumnPlan {
        enum Kind: UInt8 {
            /// `id`: always an integer.
            case id
            /// money and area: integer hundredths, pushed as yuan / 亩.
            case hundredths
            case bool
            /// integer, number, ref: integers stay integers.
            case integer
            /// text, date, enum, ID number, phone, credit code: the bytes as they are.
            case textual
        }
        /// The statement's column index.
        var column: Int32
        var kind: Kind
        /// Personal data, masked when the view asks for it.
        var pii: Bool
    }

    /// Released when the unit ends (or the rows run out): GRDB statements must be finished
    /// inside the database access that made them.
    var cursor: RowCursor?
    let schema: CollectionSchema
    let generation: Int
    /// For each kept column of the statement, the field it holds (nil for `id`).
    let fields: [FieldSpec?]
    /// For each kept column, how to read it (same order as `fields`).
    let plans: [ColumnPlan]
    var finished = false
    /// The column names as Lua strings, interned once for all rows.
    var keys: LuaTable?
    /// The records' metatable, looked up once for all rows.
    var metatable: LuaTable?

    init(cursor: RowCursor, schema: CollectionSchema, generation: Int) {
        self.cursor = cursor
        self.schema = schema
        self.generation = generation
        var fields: [FieldSpec?] = []
        var plans: [ColumnPlan] = []
        for (i, name) in cursor._statement.columnNames.enumerated() {
            if name == CollectionSchema.idField {
                fields.append(nil)
                plans.append(ColumnPlan(column: Int32(i), kind: .id, pii: false))
                continue
            }
            guard let f = schema.field(name) else { continue }
            let kind: ColumnPlan.Kind
            switch f.type {
            case .money, .area: kind = .hundredths
            case .bool: kind = .bool
            case .integer, .number, .ref: kind = .integer
            case .text, .date, .enum, .idNumber, .phone, .creditCode: kind = .textual
            }
            fields.append(f)
            plans.append(ColumnPlan(column: Int32(i), kind: kind, pii: f.pii))
        }
        self.fields = fields
        self.plans = plans
    }
}

extension FupinHost {
    /// Pushes the next row of `cursor` as a record, or nil at the end. Leaves one value.
    ///
    /// The hot path of `iter`: values go from SQLite's column buffers straight onto the Lua
    /// stack (no Swift strings, no per-row copies of field descriptions), under keys
    /// interned once per cursor. Values read exactly as `FieldValue` + `FpConverter.push`
    /// would give them.
    func pushNext(_ cursor: RecordCursor, on L: OpaquePointer) throws {
        guard cursor.generation == unitGeneration, db != nil else {
            throw LuaScriptError("this iterator belongs to a unit of work that has ended")
        }
        guard !cursor.finished, let rows = cursor.cursor, try rows.next() != nil else {
            cursor.finished = true
            cursor.cursor = nil
            lua_pushnil(L)
            return
        }
        let stmt = rows._statement.sqliteStatement
        if cursor.keys == nil {
            lua_createtable(L, Int32(cursor.fields.count), 0)
            for (i, field) in cursor.fields.enumerated() {
                lua.pushString(field?.name ?? CollectionSchema.idField, on: L)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            if case .table(let keys) = lua.value(at: -1, on: L) { cursor.keys = keys }
            clua_pop(L, 1)
            pushRecordMetatable(cursor.schema.name, on: L)
            if case .table(let mt) = lua.value(at: -1, on: L) { cursor.metatable = mt }
            clua_pop(L, 1)
        }
        cursor.keys?.push(on: L)
        let keys = lua_gettop(L)
        let masks = view.masksPersonalData
        cursor.plans.withUnsafeBufferPointer { plans in
            lua_createtable(L, 0, Int32(plans.count))
            for i in 0..<plans.count {
                let plan = plans[i]
                let c = plan.column
                if plan.kind == .textual && !(masks && plan.pii) {
                    // A text column (TEXT affinity) holds text or NULL, so one call tells both:
                    // no sqlite3_column_type first, the commonest column costs a call less.
                    guard let text = sqlite3_column_text(stmt, c) else { continue }
                    lua_rawgeti(L, keys, lua_Integer(i + 1))
                    let length = Int(sqlite3_column_bytes(stmt, c))
                    UnsafeRawPointer(text).withMemoryRebound(to: CChar.self, capacity: length) {
                        _ = lua_pushlstring(L, $0, length)
                    }
                    lua_rawset(L, -3)
                    continue
                }
                let type = sqlite3_column_type(stmt, c)
                if type == SQLITE_NULL { continue }
                lua_rawgeti(L, keys, lua_Integer(i + 1))
                switch type {
                case SQLITE_INTEGER:
                    let n = sqlite3_column_int64(stmt, c)
                    switch plan.kind {
                    case .id, .integer: lua_pushinteger(L, n)
                    case .hundredths: FpConverter.pushHundredths(n, on: L)
                    case .bool: lua_pushboolean(L, n != 0 ? 1 : 0)
                    case .textual:
                        if masks && plan.pii, let field = cursor.fields[i] {
                            pushField(n.databaseValue, field, on: L)
                        } else {
                            lua.pushString(String(n), on: L)
                        }
                    }
                case SQLITE_FLOAT:
                    // FieldValue reads a REAL as .number (or .integer when integral), and
                    // FpConverter pushes either as an integer when whole.
                    let d = sqlite3_column_double(stmt, c)
                    if d == d.rounded(), abs(d) < 9.0e15 { lua_pushinteger(L, Int64(d)) } else { lua_pushnumber(L, d) }
                default:
                    if masks && plan.pii, let field = cursor.fields[i] {
                        pushField(DatabaseValue(sqliteStatement: stmt, index: c), field, on: L)
                    } else if type == SQLITE_BLOB {
                        lua_pushnil(L)
                    } else if let text = sqlite3_column_text(stmt, c) {
                        let length = Int(sqlite3_column_bytes(stmt, c))
                        UnsafeRawPointer(text).withMemoryRebound(to: CChar.self, capacity: length) {
                            _ = lua_pushlstring(L, $0, length)
                        }
                    } else {
                        lua_pushnil(L)
                    }
                }
                lua_rawset(L, -3)
            }
        }
        if let mt = cursor.metatable { mt.push(on: L) } else { pushRecordMetatable(cursor.schema.name, on: L) }
        lua_setmetatable(L, -2)
        clua_remove(L, keys)
    }
}
