#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The stored values of one CSV column, by the exact bytes they were converted from, while the
/// column has few distinct values (vocabularies, yes/no, months): a national file repeats 户主,
/// 汉族, 健康 a million times, and looking the bytes up costs a fraction of making a String and
/// converting it. Conversion is a pure function of the text (within one import, whose `today` is
/// fixed), so a remembered value is the value conversion would give. A column that shows more
/// than `capacity` distinct values (names, ID numbers) stops being remembered.
///
/// Example:
/// ```swift
/// var memo = ConvertedValueMemo()
/// if let value = memo.value(for: bytes) { use(value) } else { let v = convert(); memo.remember(bytes, v) }
/// ```
struct ConvertedValueMemo {
    /// Distinct values kept before the column is given up.
    static let capacity = 48

    private var keys: [[UInt8]] = []
    private var values: [SQLValue] = []
    /// Too many distinct values: nothing is looked up or kept any more.
    private(set) var isGivenUp = false

    /// Whether `bytes` may be remembered: text holding a quote may be a CSV field with doubled
    /// quotes, whose raw bytes are not its text.
    static func canRemember(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return memchr(base, 0x22, bytes.count) == nil
    }

    /// The value remembered for exactly these bytes.
    func value(for bytes: UnsafeBufferPointer<UInt8>) -> SQLValue? {
        if isGivenUp || !ConvertedValueMemo.canRemember(bytes) { return nil }
        for (index, key) in keys.enumerated() where key.count == bytes.count {
            let same = key.withUnsafeBufferPointer { stored -> Bool in
                guard let left = stored.baseAddress, let right = bytes.baseAddress else { return bytes.isEmpty }
                return memcmp(left, right, bytes.count) == 0
            }
            if same { return values[index] }
        }
        return nil
    }

    /// Remembers the value converted from `bytes` (or gives the column up when it is full).
    mutating func remember(_ bytes: UnsafeBufferPointer<UInt8>, _ value: SQLValue) {
        if isGivenUp || !ConvertedValueMemo.canRemember(bytes) { return }
        if keys.count >= ConvertedValueMemo.capacity {
            isGivenUp = true
            keys = []
            values = []
            return
        }
        keys.append(Array(bytes))
        values.append(value)
    }
}

extension ConvertedValueMemo {
    /// `field` of a row `reader` read, for a new record, `position` in `preparer`'s columns: its
    /// remembered stored value (and no text), or its text and — when the column's converter
    /// accepts it — its stored value, now remembered. A value the converter refuses is left to
    /// the row's own conversion, which reports it.
    mutating func convert(
        _ reader: CSVReader, _ field: CSVField, preparer: RowPreparer, position: Int
    ) -> (value: SQLValue?, text: String?) {
        if isGivenUp { return (nil, reader.string(field)) }
        return reader.withBytes(field) { bytes in
            if let value = value(for: bytes) { return (value, nil) }
            let text = reader.string(field)
            guard let converter = preparer.converter(at: position),
                let value = try? converter.convert(.text(text), today: preparer.today), !value.isNull
            else {
                return (nil, text)
            }
            remember(bytes, value)
            return (value, text)
        }
    }
}
