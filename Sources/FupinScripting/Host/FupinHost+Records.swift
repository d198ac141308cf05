import FupinCore
import LuaKit

/// Records as Lua tables: `id`, every field by name (money as yuan, dates as text,
/// references as `<name>_id`), personal data masked when the view asks for it. Each record
/// table carries a metadata-only metatable naming its collection, so `fp.show` can label it.
extension FupinHost {
    /// Pushes `record` as a Lua table. Leaves one table on the stack.
    func pushRecord(_ record: StoredRecord, on L: OpaquePointer) {
        let schema = record.schema
        lua.newTable(fieldCapacity: schema.fields.count + 1, on: L)
        lua.pushInteger(record.id, on: L)
        lua.setField(CollectionSchema.idField, on: L)
        for (index, field) in schema.fields.enumerated() {
            let value = record.fieldValue(at: index)
            if case .null = value { continue }
            pushField(value, field, on: L)
            lua.setField(field.name, on: L)
        }
        pushRecordMetatable(schema.name, on: L)
        lua.setMetatableOfValueBelowTop(on: L)
    }

    /// Pushes one stored value of `field`, masked if the view says so.
    func pushField(_ value: FieldValue, _ field: FieldSpec, on L: OpaquePointer) {
        if field.pii && view.masksPersonalData, case .text(let text) = value {
            // Only the audit log's change fields need every collection's personal fields: built
            // for every masked value, they were most of the cost of iterating masked records.
            let personal =
                AuditMasking.isChangeField(field) ? AuditMasking.personalFields(workspace.schema.collections) : nil
            lua.pushString(Masking.mask(text, for: field, personal: personal), on: L)
        } else {
            FpConverter.push(value, on: L, state: lua)
        }
    }

    /// How the current view masks the text of `field`, for many values at once (a change
    /// field's collections worked out once): nil when the view does not mask it. The same
    /// `Masking.mask` as `pushField`.
    func textMasker(for field: FieldSpec) -> ((String) -> String)? {
        guard field.pii && view.masksPersonalData else { return nil }
        let personal =
            AuditMasking.isChangeField(field) ? AuditMasking.personalFields(workspace.schema.collections) : nil
        return { Masking.mask($0, for: field, personal: personal) }
    }

    /// Pushes the metatable marking records of `collection` for the current view. Leaves one
    /// table on the stack.
    ///
    /// One metatable per collection *and view* (trusted code, each plugin command), locked with
    /// `__metatable`: `getmetatable(record)` gives `false` and `setmetatable` is refused, so no
    /// plugin can reach a metatable that trusted code's or another plugin's records use (an
    /// `__index` planted there would read and change what they read). The host reads it raw.
    func pushRecordMetatable(_ collection: String, on L: OpaquePointer) {
        let key = collection + "\u{0}" + view.source
        if let mt = recordMetatables[key] {
            mt.push(on: L)
            return
        }
        lua.newTable(fieldCapacity: 3, on: L)
        lua.pushString(collection, on: L)
        lua.setField("__fp_collection", on: L)
        lua.pushString("fp.record", on: L)
        lua.setField("__name", on: L)
        lua.pushBoolean(false, on: L)
        lua.setField("__metatable", on: L)
        if case .table(let mt) = lua.value(at: -1, on: L) { recordMetatables[key] = mt }
    }
}

/// A streaming cursor handed to Lua by `iter`: valid only within the unit that opened it.
final class RecordCursor {
    /// Released when the unit ends (or the rows run out): statements must be finished inside
    /// the database access that made them.
    var rows: RecordRows?
    let schema: CollectionSchema
    let generation: Int
    /// The column names as Lua strings, interned once for all rows.
    var keys: LuaKeyList?
    /// The records' metatable, looked up once for all rows.
    var metatable: LuaTable?

    var finished: Bool { rows == nil }

    init(rows: RecordRows, generation: Int) {
        self.rows = rows
        self.schema = rows.schema
        self.generation = generation
    }

    /// Ends the cursor (its unit ended, or the rows ran out).
    func finish() {
        rows?.close()
        rows = nil
    }
}

/// Turns one row's cells into fields of the Lua table being built, as `FieldValue` +
/// `FpConverter.push` would give them (money as yuan, whole floats as integers).
struct RecordRowWriter: RecordColumnVisitor {
    let table: LuaTableWriter
    let rows: RecordRows
    unowned let host: FupinHost

    func integer(_ column: Int, _ value: Int64) {
        switch rows.kinds[column] {
        case .id, .integer: table.setInteger(column, value)
        case .hundredths:
            if value % 100 == 0 {
                table.setInteger(column, value / 100)
            } else {
                table.setNumber(column, Double(value) / 100)
            }
        case .bool: table.setBoolean(column, value != 0)
        case .textual:
            var text = String(value)
            text.withUTF8 { table.setBytes(column, UnsafeRawBufferPointer($0)) }
        }
    }

    func double(_ column: Int, _ value: Double) {
        // FieldValue reads a REAL as .number (or .integer when integral), and FpConverter
        // pushes either as an integer when whole.
        if value == value.rounded(), abs(value) < 9.0e15 {
            table.setInteger(column, Int64(value))
        } else {
            table.setNumber(column, value)
        }
    }

    func text(_ column: Int, _ bytes: UnsafeRawBufferPointer) { table.setBytes(column, bytes) }

    func null(_ column: Int) {}

    func personal(_ column: Int, _ value: FieldValue) {
        guard let field = rows.columns[column].field else { return }
        table.set(column) { host.pushField(value, field, on: table.L) }
    }
}

extension FupinHost {
    /// Pushes the next row of `cursor` as a record, or nil at the end. Leaves one value.
    ///
    /// The hot path of `iter`: FupinCore visits the row's cells in SQLite's buffers and
    /// LuaKit sets them under keys interned once per cursor (no Swift strings, no per-row
    /// copies of field descriptions).
    func pushNext(_ cursor: RecordCursor, on L: OpaquePointer) throws {
        guard cursor.generation == unitGeneration, unit != nil else {
            throw LuaScriptError("this iterator belongs to a unit of work that has ended")
        }
        guard let rows = cursor.rows, try rows.next() else {
            cursor.finish()
            lua.pushNil(on: L)
            return
        }
        if cursor.keys == nil {
            cursor.keys = lua.internedKeys(rows.columns.map(\.name))
            pushRecordMetatable(cursor.schema.name, on: L)
            if case .table(let mt) = lua.value(at: -1, on: L) { cursor.metatable = mt }
            lua.pop(on: L)
        }
        guard let keys = cursor.keys else { return }
        let masks = view.masksPersonalData
        lua.pushTable(keys: keys, metatable: cursor.metatable, on: L) { table in
            var writer = RecordRowWriter(table: table, rows: rows, host: self)
            rows.visit(masking: masks, &writer)
        }
    }
}
