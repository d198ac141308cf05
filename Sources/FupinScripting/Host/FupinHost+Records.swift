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
    func collectionOfRecord(at index: Int32, on L: OpaquePointer) -> String? {
        guard lua_getmetatable(L, index) != 0 else { return nil }
        lua_getfield(L, -1, "__fp_collection")
        let name = lua.string(at: -1, on: L)
        clua_pop(L, 2)
        return name
    }
}

/// A streaming cursor handed to Lua by `iter`: valid only within the unit that opened it.
final class RecordCursor {
    /// Released when the unit ends (or the rows run out): GRDB statements must be finished
    /// inside the database access that made them.
    var cursor: RowCursor?
    let schema: CollectionSchema
    let generation: Int
    /// For each column of the statement, the field it holds (nil for `id`).
    let columns: [(index: Int, field: FieldSpec?)]
    var finished = false
    /// The column names as Lua strings, interned once for all rows.
    var keys: LuaTable?

    init(cursor: RowCursor, schema: CollectionSchema, generation: Int) {
        self.cursor = cursor
        self.schema = schema
        self.generation = generation
        self.columns = cursor._statement.columnNames.enumerated().compactMap { i, name in
            if name == CollectionSchema.idField { return (i, nil) }
            guard let f = schema.field(name) else { return nil }
            return (i, f)
        }
    }
}

extension FupinHost {
    /// Pushes the next row of `cursor` as a record, or nil at the end. Leaves one value.
    ///
    /// The hot path of `iter`: values go from SQLite's column buffers straight onto the Lua
    /// stack (no Swift strings), under keys interned once per cursor.
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
            lua_createtable(L, Int32(cursor.columns.count), 0)
            for (i, column) in cursor.columns.enumerated() {
                lua.pushString(column.field?.name ?? CollectionSchema.idField, on: L)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            if case .table(let keys) = lua.value(at: -1, on: L) { cursor.keys = keys }
            clua_pop(L, 1)
        }
        cursor.keys?.push(on: L)
        let keys = lua_gettop(L)
        lua_createtable(L, 0, Int32(cursor.columns.count))
        let masks = view.masksPersonalData
        for (i, column) in cursor.columns.enumerated() {
            let c = Int32(column.index)
            let type = sqlite3_column_type(stmt, c)
            if type == SQLITE_NULL { continue }
            lua_rawgeti(L, keys, lua_Integer(i + 1))
            guard let field = column.field else {
                lua_pushinteger(L, sqlite3_column_int64(stmt, c))
                lua_rawset(L, -3)
                continue
            }
            switch type {
            case SQLITE_INTEGER:
                let n = sqlite3_column_int64(stmt, c)
                switch field.type {
                case .money, .area: FpConverter.pushHundredths(n, on: L)
                case .bool: lua_pushboolean(L, n != 0 ? 1 : 0)
                case .number, .integer, .ref: lua_pushinteger(L, n)
                default: FpConverter.push(FieldValue(n.databaseValue, type: field.type), on: L, state: lua)
                }
            case SQLITE_FLOAT:
                FpConverter.push(FieldValue(sqlite3_column_double(stmt, c).databaseValue, type: field.type), on: L, state: lua)
            default:
                if masks && field.pii {
                    pushField(DatabaseValue(sqliteStatement: stmt, index: c), field, on: L)
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
        pushRecordMetatable(cursor.schema.name, on: L)
        lua_setmetatable(L, -2)
        clua_remove(L, keys)
    }
}
