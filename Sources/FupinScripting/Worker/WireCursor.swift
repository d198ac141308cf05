import FupinCore
import LuaKit

/// iter's records for a worker, encoded straight from the cursor's columns (no Lua table in
/// the host). Values read as `pushNext` gives them; a personal field the view masks goes
/// through the host's own `pushField`, so masking stays in one place.
extension FupinHost {
    /// Appends up to `limit` records of `cursor` to `out` as one tag-8 value (docs/worker-protocol.md:
    /// the field names once, then the rows); returns whether the cursor ran out. Acts under `view`.
    func encodeBatch(_ cursor: RecordCursor, limit: Int, view: FpView, into out: inout [UInt8]) throws -> Bool {
        guard cursor.generation == unitGeneration, unit != nil else {
            throw LuaScriptError("this iterator belongs to a unit of work that has ended")
        }
        let saved = self.view
        self.view = view
        defer { self.view = saved }
        let collection = Array(cursor.schema.name.utf8)
        let masks = view.masksPersonalData
        out.reserveCapacity(out.count + limit * 256)
        // Tag 8: the collection and the field names once, then the rows (docs/worker-protocol.md).
        out.append(8)
        Self.appendUInt32(UInt32(collection.count), to: &out)
        out.append(contentsOf: collection)
        guard let rows = cursor.rows else {
            Self.appendUInt32(0, to: &out)
            Self.appendUInt32(0, to: &out)
            return true
        }
        Self.appendUInt32(UInt32(rows.columns.count), to: &out)
        for column in rows.columns {
            let name = Array(column.name.utf8)
            Self.appendUInt32(UInt32(name.count), to: &out)
            out.append(contentsOf: name)
        }
        let countAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        var count: UInt32 = 0
        var finished = false
        var writer = WireRowWriter(rows: rows, host: self, encoder: WireLua(state: lua), capacity: limit * 256)
        defer { writer.out.release() }
        if masks { writer.maskers = rows.columns.map { $0.field.flatMap { textMasker(for: $0) } } }
        // A batch also ends past 4 MB, well under the frame cap, however wide its records.
        let budget = 4 << 20
        while count < UInt32(limit) && writer.out.count < budget {
            guard try rows.next() else {
                cursor.finish()
                finished = true
                break
            }
            count += 1
            let fieldsAt = writer.out.count
            writer.out.store(UInt32(0))
            writer.fields = 0
            rows.visit(masking: masks, &writer)
            if let error = writer.error { throw error }
            writer.out.patch(writer.fields.littleEndian, at: fieldsAt)
        }
        out.append(contentsOf: writer.out.bytes)
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

/// Encodes one row's cells as the fields of a tag-8 row (docs/worker-protocol.md), as
/// `pushNext` would give them to Lua (money as yuan, whole floats as integers, BLOBs as nil).
struct WireRowWriter: RecordColumnVisitor {
    let rows: RecordRows
    unowned let host: FupinHost
    let encoder: WireLua
    /// The batch's rows so far (the caller releases it).
    var out: RawBytes
    /// Fields written for the current row.
    var fields: UInt32 = 0
    /// The first failure to encode a masked value; the batch stops with it.
    var error: (any Error)?

    init(rows: RecordRows, host: FupinHost, encoder: WireLua, capacity: Int) {
        self.rows = rows
        self.host = host
        self.encoder = encoder
        self.out = RawBytes(capacity: capacity)
    }

    /// Writes a field's index, its tag and (for numbers) its 8 bytes, or (for a string) its
    /// 4-byte length: 13 bytes made room for once, `5 + bytes` of them kept.
    @inline(__always)
    mutating func head(_ column: Int, _ tag: UInt8, _ payload: UInt64, bytes: Int) {
        out.reserve(13)
        out.put(UInt32(column).littleEndian, at: 0)
        out.put(tag, at: 4)
        out.put(payload.littleEndian, at: 5)
        out.advance(5 + bytes)
    }

    mutating func integer(_ column: Int, _ value: Int64) {
        switch rows.kinds[column] {
        case .hundredths:
            if value % 100 == 0 {
                head(column, 3, UInt64(bitPattern: value / 100), bytes: 8)
            } else {
                head(column, 4, (Double(value) / 100).bitPattern, bytes: 8)
            }
        case .bool: head(column, value != 0 ? 2 : 1, 0, bytes: 0)
        default: head(column, 3, UInt64(bitPattern: value), bytes: 8)
        }
        fields += 1
    }

    mutating func double(_ column: Int, _ value: Double) {
        if value == value.rounded(), abs(value) < 9.0e15 {
            head(column, 3, UInt64(bitPattern: Int64(value)), bytes: 8)
        } else {
            head(column, 4, value.bitPattern, bytes: 8)
        }
        fields += 1
    }

    mutating func text(_ column: Int, _ bytes: UnsafeRawBufferPointer) {
        head(column, 5, UInt64(UInt32(bytes.count)), bytes: 4)
        out.append(bytes)
        fields += 1
    }

    mutating func null(_ column: Int) {}

    /// Per column, how the view masks its text (nil: not personal, or not masked).
    var maskers: [((String) -> String)?] = []

    /// The host's own masking: text straight through the column's masker, any other value as
    /// `pushField` pushed it; leaves the stack as it found it.
    mutating func personal(_ column: Int, _ value: FieldValue) {
        guard error == nil else { return }
        if case .text(let text) = value, column < maskers.count, let mask = maskers[column] {
            var masked = mask(text)
            masked.withUTF8 { bytes in
                head(column, 5, UInt64(UInt32(bytes.count)), bytes: 4)
                out.append(UnsafeRawBufferPointer(bytes))
            }
            fields += 1
            return
        }
        guard let field = rows.columns[column].field else { return }
        let lua = host.lua
        let L = lua.L
        host.pushField(value, field, on: L)
        defer { lua.pop(on: L) }
        if lua.isNil(at: -1, on: L) { return }
        var encoded: [UInt8] = []
        FupinHost.appendUInt32(UInt32(column), to: &encoded)
        do { try encoder.append(at: -1, on: L, into: &encoded, what: "a record") } catch { self.error = error; return }
        encoded.withUnsafeBytes { out.append($0) }
        fields += 1
    }
}

/// Bytes appended through a raw pointer, for a batch of records written a field at a time:
/// `Array.append` checked uniqueness and room and went through a generic copy on every call,
/// which was most of the host's cost of encoding a batch. Owned by one writer, which calls
/// `release()` when done.
struct RawBytes {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    /// The bytes written so far (valid until the next write or `release`).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `n` more bytes.
    @inline(__always) mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(to: count + n) }
    }

    mutating func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 16)
        moved.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    /// Writes `value` at `offset` past the end, in room already reserved; the end stays.
    @inline(__always) func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        (base + count).storeBytes(of: value, toByteOffset: offset, as: T.self)
    }

    /// Keeps `n` bytes written by `put` past the end.
    @inline(__always) mutating func advance(_ n: Int) { count += n }

    /// Appends `value`'s bytes (as they lie in memory: callers pass little-endian values).
    @inline(__always) mutating func store<T: FixedWidthInteger>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        put(value, at: 0)
        count += MemoryLayout<T>.size
    }

    /// Overwrites the bytes at `offset` (already written) with `value`'s.
    func patch<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        base.storeBytes(of: value, toByteOffset: offset, as: T.self)
    }

    @inline(__always) mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Frees the bytes; the value must not be used after.
    func release() { base.deallocate() }
}
