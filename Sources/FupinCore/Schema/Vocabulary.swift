import Foundation

/// A closed list of values a field may take, e.g. 致贫原因. Values are stored as the text of the
/// canonical value; `aliases` map other spellings met in files (e.g. "国贫户" → "国家") to it,
/// and `labels` give the Chinese label of a coded value (e.g. "in" → "收入").
///
/// Example: `Vocabularies.householdStandard.contains("国家") == true`.
public struct Vocabulary: Sendable, Hashable {
    /// Code name, e.g. "household_standard".
    public let name: String
    /// Chinese label, e.g. "识别标准".
    public let label: String
    /// Canonical values in display order.
    public let values: [String]
    /// Other spellings accepted on input, mapped to a canonical value.
    public let aliases: [String: String]
    /// Chinese labels for coded values (only where values are codes such as "in"/"out").
    public let labels: [String: String]
    private let valueSet: Set<String>
    /// Indexes of values by a hash of their UTF-8 bytes, for lookups that avoid
    /// Unicode-normalising hashes and comparisons.
    private let byByteHash: [UInt64: [Int]]
    /// Each value's UTF-8 bytes.
    private let valueBytes: [[UInt8]]

    public init(
        _ name: String, _ label: String, _ values: [String],
        aliases: [String: String] = [:], labels: [String: String] = [:]
    ) {
        self.name = name
        self.label = label
        self.values = values
        self.aliases = aliases
        self.labels = labels
        self.valueSet = Set(values)
        self.byByteHash = Dictionary(grouping: values.indices, by: { String.byteHash(values[$0]) })
        self.valueBytes = values.map { Array($0.utf8) }
    }

    /// Whether `value` is a canonical value.
    public func contains(_ value: String) -> Bool { valueSet.contains(value) }

    /// The canonical value for `input`: itself, its alias target, or the value whose label it is;
    /// nil when none matches. Surrounding spaces are ignored.
    public func canonical(_ input: String) -> String? {
        // Fast path: the input is a canonical value byte for byte (no Unicode normalisation).
        var copy = input
        let exact: Int? = copy.withUTF8 { bytes -> Int? in
            guard let indexes = byByteHash[String.byteHash(bytes)] else { return nil }
            for index in indexes where valueBytes[index].count == bytes.count {
                let same = valueBytes[index].withUnsafeBufferPointer { value -> Bool in
                    guard let left = value.baseAddress, let right = bytes.baseAddress else { return bytes.count == 0 }
                    return memcmp(left, right, bytes.count) == 0
                }
                if same { return index }
            }
            return nil
        }
        if let exact { return values[exact] }
        let trimmed = input.trimmingSpaces()
        if valueSet.contains(trimmed) { return trimmed }
        if let target = aliases[trimmed] { return target }
        for (value, label) in labels where label == trimmed { return value }
        return nil
    }

    /// The Chinese label of a value (the value itself when it is already Chinese).
    public func label(of value: String) -> String { labels[value] ?? value }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.name == rhs.name && lhs.values == rhs.values && lhs.aliases == rhs.aliases
            && lhs.labels == rhs.labels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(values)
    }
}

extension String {
    /// The string without leading/trailing ASCII spaces, tabs, newlines and full-width spaces
    /// (U+3000). Returns `self` without copying when there is nothing to trim.
    func trimmingSpaces() -> String {
        // Most text has nothing to trim: look at the two ends through contiguous storage.
        let untouched = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard let first = bytes.first, let last = bytes.last else { return true }
            return !String.mayBeSpace(first) && !String.mayBeSpace(last)
        }
        if untouched == true { return self }
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if !String.mayBeSpace(first) && !String.mayBeSpace(last) { return self }
        return Array(utf8).withUnsafeBufferPointer { String(decoding: String.trimmingSpaces($0), as: UTF8.self) }
    }

    /// `bytes` (UTF-8) without the spaces `trimmingSpaces()` trims at either end: space, tab,
    /// line breaks and the ideographic space U+3000.
    static func trimmingSpaces(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end {
            let byte = bytes[start]
            if byte == 32 || byte == 9 || byte == 10 || byte == 13 {
                start += 1
            } else if end - start >= 3, byte == 0xE3, bytes[start + 1] == 0x80, bytes[start + 2] == 0x80 {
                start += 3
            } else {
                break
            }
        }
        while end > start {
            let byte = bytes[end - 1]
            if byte == 32 || byte == 9 || byte == 10 || byte == 13 {
                end -= 1
            } else if end - start >= 3, byte == 0x80, bytes[end - 2] == 0x80, bytes[end - 3] == 0xE3 {
                end -= 3
            } else {
                break
            }
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// FNV-1a over the UTF-8 bytes (no Unicode normalisation, unlike `hashValue`).
    static func byteHash(_ string: String) -> UInt64 {
        var copy = string
        return copy.withUTF8 { byteHash($0) }
    }

    /// FNV-1a over `bytes`.
    static func byteHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Byte-wise equality of the UTF-8 forms (no Unicode normalisation).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { left in
            b.withUTF8 { right in
                guard left.count == right.count else { return false }
                guard let l = left.baseAddress, let r = right.baseAddress else { return left.count == 0 }
                return memcmp(l, r, left.count) == 0
            }
        }
    }

    /// Whether a first or last UTF-8 byte may belong to trimmable space.
    private static func mayBeSpace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 0xE3 || byte == 0x80
    }
}
