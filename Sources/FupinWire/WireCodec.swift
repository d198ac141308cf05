/// The binary form of `WireValue`s and of the framed messages the host and a plugin's worker
/// exchange over their socket. The format is documented in docs/worker-protocol.md; every
/// rule the decoder checks there has an error here that says at which byte it failed.
///
/// ```swift
/// let body = try WireCodec.encode(.list([.integer(1), .text("甲")]))
/// let frame = try WireCodec.frame(body)          // 4-byte length + body
/// let value = try WireCodec.decode(body)
/// ```
public enum WireCodec {
    /// The largest message either side accepts (the length prefix excluded).
    public static let defaultLimit = 16 << 20
    /// How deeply tables may nest: deeper data is refused rather than risking the stack.
    public static let maxDepth = 100
    /// The longest collection name a record table may carry.
    public static let maxCollectionName = 255

    enum Tag: UInt8 {
        case `nil` = 0, `false` = 1, `true` = 2, integer = 3, number = 4, string = 5, table = 6, record = 7
        /// A list of records of one collection with their field names given once (the host's
        /// batches for `iter`); decodes to a table of tag-7 records.
        case records = 8
    }

    // MARK: Encoding

    /// The bytes of `value`; refuses data nested deeper than `maxDepth`, keys that are nil or
    /// NaN, and results larger than `limit`.
    public static func encode(_ value: WireValue, limit: Int = defaultLimit) throws(WireError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(value, into: &out, depth: 0, limit: limit)
        return out
    }

    static func encode(_ value: WireValue, into out: inout [UInt8], depth: Int, limit: Int) throws(WireError) {
        switch value {
        case .nil: out.append(Tag.nil.rawValue)
        case .boolean(let b): out.append(b ? Tag.true.rawValue : Tag.false.rawValue)
        case .integer(let n):
            out.append(Tag.integer.rawValue)
            appendUInt64(UInt64(bitPattern: n), to: &out)
        case .number(let d):
            out.append(Tag.number.rawValue)
            appendUInt64(d.bitPattern, to: &out)
        case .encoded(let bytes):
            guard bytes.count <= limit else { throw WireError(.tooLarge(limit), at: out.count) }
            out.append(contentsOf: bytes)
        case .string(let bytes):
            guard bytes.count <= limit else { throw WireError(.tooLarge(limit), at: out.count) }
            out.append(Tag.string.rawValue)
            appendUInt32(UInt32(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        case .table(let table):
            guard depth < maxDepth else { throw WireError(.tooDeep(maxDepth), at: out.count) }
            if let name = table.collection {
                let bytes = Array(name.utf8)
                guard !bytes.isEmpty, bytes.count <= maxCollectionName else {
                    throw WireError(.badCollectionName, at: out.count)
                }
                out.append(Tag.record.rawValue)
                appendUInt32(UInt32(bytes.count), to: &out)
                out.append(contentsOf: bytes)
            } else {
                out.append(Tag.table.rawValue)
            }
            guard table.entries.count <= limit else { throw WireError(.tooLarge(limit), at: out.count) }
            appendUInt32(UInt32(table.entries.count), to: &out)
            for entry in table.entries {
                try checkKey(entry.key, at: out.count)
                try encode(entry.key, into: &out, depth: depth + 1, limit: limit)
                try encode(entry.value, into: &out, depth: depth + 1, limit: limit)
            }
        }
        guard out.count <= limit else { throw WireError(.tooLarge(limit), at: out.count) }
    }

    /// Appends the encoding of `value` to `out` (for encoders that write part of a message
    /// themselves).
    public static func encodeAppending(_ value: WireValue, to out: inout [UInt8], limit: Int = defaultLimit)
        throws(WireError)
    {
        try encode(value, into: &out, depth: 0, limit: limit)
    }

    static func checkKey(_ key: WireValue, at offset: Int) throws(WireError) {
        switch key {
        case .nil: throw WireError(.badKey("nil"), at: offset)
        case .number(let d) where d.isNaN: throw WireError(.badKey("NaN"), at: offset)
        default: return
        }
    }

    static func appendUInt32(_ n: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: n >> UInt32(shift))) }
    }

    static func appendUInt64(_ n: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
    }

    // MARK: Frames

    /// `body` preceded by its length (4 bytes, little-endian).
    public static func frame(_ body: [UInt8], limit: Int = defaultLimit) throws(WireError) -> [UInt8] {
        guard body.count <= limit else { throw WireError(.tooLarge(limit), at: 0) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 4)
        appendUInt32(UInt32(body.count), to: &out)
        out.append(contentsOf: body)
        return out
    }

    /// The body length a 4-byte frame header announces, refused when it exceeds `limit`.
    public static func bodyLength(header: [UInt8], limit: Int = defaultLimit) throws(WireError) -> Int {
        guard header.count == 4 else { throw WireError(.truncated, at: header.count) }
        let n = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
        guard n <= limit else { throw WireError(.tooLarge(limit), at: 0) }
        guard n > 0 else { throw WireError(.empty, at: 0) }
        return n
    }

    // MARK: Decoding

    /// The one value `bytes` hold; anything malformed, truncated, too deep or followed by
    /// extra bytes is refused with the offset where it went wrong.
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> WireValue {
        guard !bytes.isEmpty else { throw WireError(.empty, at: 0) }
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        guard reader.offset == bytes.count else {
            throw WireError(.trailingBytes(bytes.count - reader.offset), at: reader.offset)
        }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var remaining: Int { bytes.count - offset }

        mutating func byte() throws(WireError) -> UInt8 {
            guard offset < bytes.count else { throw WireError(.truncated, at: offset) }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint32() throws(WireError) -> Int {
            guard remaining >= 4 else { throw WireError(.truncated, at: offset) }
            var n = 0
            for i in 0..<4 { n |= Int(bytes[offset + i]) << (8 * i) }
            offset += 4
            return n
        }

        mutating func uint64() throws(WireError) -> UInt64 {
            guard remaining >= 8 else { throw WireError(.truncated, at: offset) }
            var n: UInt64 = 0
            for i in 0..<8 { n |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
            offset += 8
            return n
        }

        mutating func take(_ count: Int) throws(WireError) -> [UInt8] {
            guard count <= remaining else { throw WireError(.truncated, at: offset) }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func value(depth: Int) throws(WireError) -> WireValue {
            let start = offset
            let raw = try byte()
            guard let tag = Tag(rawValue: raw) else { throw WireError(.unknownTag(raw), at: start) }
            switch tag {
            case .nil: return .nil
            case .false: return .boolean(false)
            case .true: return .boolean(true)
            case .integer: return .integer(Int64(bitPattern: try uint64()))
            case .number: return .number(Double(bitPattern: try uint64()))
            case .string: return .string(try take(try uint32()))
            case .records:
                return try records(depth: depth, start: start)
            case .table, .record:
                guard depth < WireCodec.maxDepth else { throw WireError(.tooDeep(WireCodec.maxDepth), at: start) }
                var collection: String?
                if tag == .record {
                    let at = offset
                    let name = try take(try uint32())
                    guard !name.isEmpty, name.count <= WireCodec.maxCollectionName,
                        let text = String(validating: name, as: UTF8.self)
                    else {
                        throw WireError(.badCollectionName, at: at)
                    }
                    collection = text
                }
                let countAt = offset
                let count = try uint32()
                // Each entry takes at least two bytes: a count beyond that is a lie, and
                // believing it would reserve memory the message never pays for.
                guard count <= remaining / 2 else { throw WireError(.truncated, at: countAt) }
                var entries: [WireEntry] = []
                entries.reserveCapacity(count)
                for _ in 0..<count {
                    let keyAt = offset
                    let key = try value(depth: depth + 1)
                    switch key {
                    case .nil: throw WireError(.badKey("nil"), at: keyAt)
                    case .number(let d) where d.isNaN: throw WireError(.badKey("NaN"), at: keyAt)
                    default: break
                    }
                    entries.append(WireEntry(key, try value(depth: depth + 1)))
                }
                return .table(WireTable(entries, collection: collection))
            }
        }

        /// Tag 8: name, key count and keys, row count, then per row a field count and, per
        /// field, a key index and a value.
        mutating func records(depth: Int, start: Int) throws(WireError) -> WireValue {
            guard depth + 1 < WireCodec.maxDepth else { throw WireError(.tooDeep(WireCodec.maxDepth), at: start) }
            let nameAt = offset
            let name = try take(try uint32())
            guard !name.isEmpty, name.count <= WireCodec.maxCollectionName,
                let collection = String(validating: name, as: UTF8.self)
            else {
                throw WireError(.badCollectionName, at: nameAt)
            }
            let keyCountAt = offset
            let keyCount = try uint32()
            guard keyCount <= remaining / 4 else { throw WireError(.truncated, at: keyCountAt) }
            var keys: [WireValue] = []
            keys.reserveCapacity(keyCount)
            for _ in 0..<keyCount { keys.append(.string(try take(try uint32()))) }
            let rowCountAt = offset
            let rowCount = try uint32()
            guard rowCount <= remaining / 4 else { throw WireError(.truncated, at: rowCountAt) }
            var rows: [WireEntry] = []
            rows.reserveCapacity(rowCount)
            for r in 0..<rowCount {
                let fieldCountAt = offset
                let fieldCount = try uint32()
                guard fieldCount <= remaining / 5 else { throw WireError(.truncated, at: fieldCountAt) }
                var entries: [WireEntry] = []
                entries.reserveCapacity(fieldCount)
                for _ in 0..<fieldCount {
                    let indexAt = offset
                    let index = try uint32()
                    guard index < keys.count else {
                        throw WireError(.badKey("field \(index) of \(keys.count)"), at: indexAt)
                    }
                    entries.append(WireEntry(keys[index], try value(depth: depth + 2)))
                }
                rows.append(WireEntry(.integer(Int64(r + 1)), .table(WireTable(entries, collection: collection))))
            }
            return .table(WireTable(rows))
        }
    }
}

/// A message that could not be encoded or decoded, with the byte offset where it failed.
public struct WireError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case empty
        case truncated
        case unknownTag(UInt8)
        case badKey(String)
        case badCollectionName
        case tooDeep(Int)
        case tooLarge(Int)
        case trailingBytes(Int)
    }

    public var reason: Reason
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .empty: what = "the message is empty"
        case .truncated: what = "the message ends early"
        case .unknownTag(let t): what = "unknown type tag \(t)"
        case .badKey(let k): what = "a table key may not be \(k)"
        case .badCollectionName:
            what = "a record's collection name must be 1–\(WireCodec.maxCollectionName) bytes of UTF-8"
        case .tooDeep(let n): what = "tables nest deeper than \(n) levels"
        case .tooLarge(let n): what = "the message is larger than \(n >> 20) MB"
        case .trailingBytes(let n): what = "\(n) bytes follow the value"
        }
        return "worker message, byte \(offset): \(what)"
    }
}
