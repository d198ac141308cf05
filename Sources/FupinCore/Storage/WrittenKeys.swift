/// The unique keys a bulk writer checks itself (`BulkWriter.checkUnique`), for a load into
/// empty tables whose unique keys were dropped until the rows are in (`PostgresBulkLoad`):
/// the values written so far of each checked field, compared as stored. Each value is kept as
/// its COPY text — text byte for byte as the server compares it (é composed and decomposed are
/// two keys), integers and reals by their digits, -0 as 0 — whether the row came as values or
/// as COPY text (`PreparedRows`), so both kinds of insert see each other's keys.
///
/// Example:
/// ```swift
/// var keys = WrittenKeys(collection: schema)
/// keys.add(field: schema.index(of: "number")!, capacity: 1000)
/// try keys.check(row)  // throws "is already used by another record" for a repeat
/// ```
struct WrittenKeys {
    let collection: CollectionSchema
    /// The checked fields, by field index.
    private(set) var fields: [Int] = []
    private var seen: [ByteStringSet] = []
    /// Reused storage for a row's keys made from its values.
    private var keyBytes: [UInt8] = []
    private var keyRanges: [Range<Int>?] = []

    init(collection: CollectionSchema) { self.collection = collection }

    var isEmpty: Bool { fields.isEmpty }

    /// Checks field `index` too, expecting about `capacity` values.
    mutating func add(field index: Int, capacity: Int) {
        guard !fields.contains(index) else { return }
        fields.append(index)
        seen.append(ByteStringSet(capacity: capacity))
    }

    /// Throws what the store's unique key would for a row of stored values about to be
    /// written; remembers its keys once none is a repeat.
    mutating func check(_ row: [SQLValue]) throws {
        guard !fields.isEmpty else { return }
        var bytes: [UInt8] = []
        var ranges: [Range<Int>?] = []
        swap(&bytes, &keyBytes)
        swap(&ranges, &keyRanges)
        defer {
            swap(&bytes, &keyBytes)
            swap(&ranges, &keyRanges)
        }
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        for field in fields {
            let value = row[field]
            guard !value.isNull else {
                ranges.append(nil)
                continue
            }
            let start = bytes.count
            PostgresBulkCopy.append(value == .real(0) ? .real(0) : value, to: &bytes)
            ranges.append(start..<bytes.count)
        }
        try bytes.withUnsafeBufferPointer { buffer in
            try check { position in ranges[position].map { UnsafeBufferPointer(rebasing: buffer[$0]) } }
        }
    }

    /// The same for a row given as its COPY text, each field at `ranges[field index]`.
    mutating func check(copied text: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>]) throws {
        guard !fields.isEmpty else { return }
        let fields = self.fields
        try WrittenKeys.zero.withUnsafeBufferPointer { zero in
            try check { position in
                let field = UnsafeBufferPointer(rebasing: text[ranges[fields[position]]])
                if field.elementsEqual([92, UInt8(ascii: "N")]) { return nil }  // NULL
                return field.elementsEqual([UInt8(ascii: "-"), UInt8(ascii: "0")]) ? zero : field
            }
        }
    }

    /// The key of -0, which is 0's (the server's equality has them equal).
    private static let zero: [UInt8] = [UInt8(ascii: "0")]

    /// The check over the keys `key(position)` gives (nil for a null, which is no key): every
    /// key looked up before any is remembered. (The sets are reached by position, never bound
    /// to a name: a copy held across the insert would make it copy the whole set.)
    private mutating func check(_ key: (Int) -> UnsafeBufferPointer<UInt8>?) throws {
        if fields.count == 1 {
            // One field (the usual case): one set operation.
            if let bytes = key(0), !seen[0].insert(bytes) { throw refusal(0, bytes) }
            return
        }
        for position in fields.indices {
            if let bytes = key(position), seen[position].contains(bytes) { throw refusal(position, bytes) }
        }
        for position in fields.indices {
            if let bytes = key(position) { seen[position].insert(bytes) }
        }
    }

    /// What the store's unique key says of a repeated value (its COPY text `key`) of the
    /// `position`th field checked.
    private func refusal(_ position: Int, _ key: UnsafeBufferPointer<UInt8>) -> ValidationError {
        let text = PostgresBulkCopy.fields(ofRow: ArraySlice(key)).first ?? nil
        return ValidationError(
            collection: collection.name, field: collection.fields[fields[position]].name,
            value: text ?? "", reason: "is already used by another record")
    }
}
