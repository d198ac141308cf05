import CLua
import CLuaShim
import FupinCore
import GRDB
import GRDBSQLite
import LuaKit

/// iter's records for a worker, encoded straight from the cursor's columns (no Lua table in
/// the host). Values read as `pushNext` gives them; a personal field the view masks goes
/// through the host's own `pushField`, so masking stays in one place.
extension FupinHost {
    /// Appends up to `limit` records of `cursor` to `out` as one tag-8 value (docs/worker-protocol.md:
    /// the field names once, then the rows); returns whether the cursor ran out. Acts under `view`.
    func encodeBatch(_ cursor: RecordCursor, limit: Int, view: FpView, into out: inout [UInt8]) throws -> Bool {
        guard cursor.generation == unitGeneration, db != nil else {
            throw LuaScriptError("this iterator belongs to a unit of work that has ended")
        }
        let saved = self.view
        self.view = view
        defer { self.view = saved }
        let L = lua.L
        let collection = Array(cursor.schema.name.utf8)
        let masks = view.masksPersonalData
        out.reserveCapacity(out.count + limit * 256)
        // Tag 8: the collection and the field names once, then the rows (docs/worker-protocol.md).
        out.append(8)
        Self.appendUInt32(UInt32(collection.count), to: &out)
        out.append(contentsOf: collection)
        Self.appendUInt32(UInt32(cursor.fields.count), to: &out)
        for field in cursor.fields {
            let name = Array((field?.name ?? CollectionSchema.idField).utf8)
            Self.appendUInt32(UInt32(name.count), to: &out)
            out.append(contentsOf: name)
        }
        let countAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        var count: UInt32 = 0
        var finished = false
        let encoder = WireLua(state: lua)
        while count < UInt32(limit) {
            guard !cursor.finished, let rows = cursor.cursor, try rows.next() != nil else {
                cursor.finished = true
                cursor.cursor = nil
                finished = true
                break
            }
            count += 1
            let fieldsAt = out.count
            out.append(contentsOf: [0, 0, 0, 0])
            var fields: UInt32 = 0
            let stmt = rows._statement.sqliteStatement
            for (i, plan) in cursor.plans.enumerated() {
                let c = plan.column
                let type = sqlite3_column_type(stmt, c)
                if type == SQLITE_NULL { continue }
                if masks && plan.pii, let field = cursor.fields[i] {
                    // The host's own masking, then the value it pushed.
                    pushField(DatabaseValue(sqliteStatement: stmt, index: c), field, on: L)
                    defer { clua_pop(L, 1) }
                    if lua_type(L, -1) == LUA_TNIL { continue }
                    Self.appendUInt32(UInt32(i), to: &out)
                    try encoder.append(at: -1, on: L, into: &out, what: "a record")
                    fields += 1
                    continue
                }
                if plan.kind == .textual || type == SQLITE_TEXT {
                    guard let text = sqlite3_column_text(stmt, c) else { continue }
                    Self.appendUInt32(UInt32(i), to: &out)
                    out.append(5)
                    let length = Int(sqlite3_column_bytes(stmt, c))
                    Self.appendUInt32(UInt32(length), to: &out)
                    out.append(contentsOf: UnsafeBufferPointer(start: text, count: length))
                    fields += 1
                    continue
                }
                switch type {
                case SQLITE_INTEGER:
                    let n = sqlite3_column_int64(stmt, c)
                    Self.appendUInt32(UInt32(i), to: &out)
                    switch plan.kind {
                    case .hundredths:
                        if n % 100 == 0 { out.append(3); Self.appendUInt64(UInt64(bitPattern: n / 100), to: &out) } else {
                            out.append(4); Self.appendUInt64((Double(n) / 100).bitPattern, to: &out)
                        }
                    case .bool: out.append(n != 0 ? 2 : 1)
                    default: out.append(3); Self.appendUInt64(UInt64(bitPattern: n), to: &out)
                    }
                    fields += 1
                case SQLITE_FLOAT:
                    let d = sqlite3_column_double(stmt, c)
                    Self.appendUInt32(UInt32(i), to: &out)
                    if d == d.rounded(), abs(d) < 9.0e15 { out.append(3); Self.appendUInt64(UInt64(bitPattern: Int64(d)), to: &out) } else {
                        out.append(4); Self.appendUInt64(d.bitPattern, to: &out)
                    }
                    fields += 1
                default:
                    continue   // a BLOB reads as nil, as in pushNext
                }
            }
            Self.patchUInt32(fields, at: fieldsAt, in: &out)
        }
        Self.patchUInt32(count, at: countAt, in: &out)
        return finished
    }

    // One append per number: appending byte by byte checked the array's uniqueness each time.
    static func appendUInt32(_ n: UInt32, to out: inout [UInt8]) {
        withUnsafeBytes(of: n.littleEndian) { out.append(contentsOf: $0) }
    }

    static func appendUInt64(_ n: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: n.littleEndian) { out.append(contentsOf: $0) }
    }

    static func patchUInt32(_ n: UInt32, at i: Int, in out: inout [UInt8]) {
        for k in 0..<4 { out[i + k] = UInt8(truncatingIfNeeded: n >> UInt32(8 * k)) }
    }
}
