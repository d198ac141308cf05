/// A value that may cross between the host and a plugin's worker process: plain data only.
///
/// Lua's nil, booleans, integers, floats and strings, and tables of them. A table may carry
/// the name of the collection its record belongs to (`collection`), so `fp.show` can still
/// label a record that went through the other process; that name is data, never a metatable
/// or any other object of the process that sent it (docs/worker-protocol.md).
///
/// ```swift
/// let v: WireValue = .table(WireTable([.init(.text("year"), .integer(2019))]))
/// let bytes = try WireCodec.encode(v)
/// let back = try WireCodec.decode(bytes)   // == v
/// ```
public enum WireValue: Equatable, Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table(WireTable)
    /// A value already in its encoded form, written as is by the encoder (the host's batches of
    /// records are encoded straight from Lua). The decoder never produces it.
    case encoded([UInt8])

    /// A string value from Swift text (UTF-8).
    public static func text(_ s: String) -> WireValue { .string(Array(s.utf8)) }

    /// The text of a string value (invalid UTF-8 repaired), or nil for other kinds.
    public var textValue: String? {
        if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// An integer value, or nil for other kinds.
    public var integerValue: Int64? {
        if case .integer(let n) = self { return n }
        return nil
    }

    /// A table value, or nil for other kinds.
    public var tableValue: WireTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    /// A table of `values` at keys 1...n.
    public static func list(_ values: [WireValue]) -> WireValue {
        .table(WireTable(values.enumerated().map { WireEntry(.integer(Int64($0.offset + 1)), $0.element) }))
    }

    /// A table of string keys (in the order given).
    public static func record(_ pairs: [(String, WireValue)], collection: String? = nil) -> WireValue {
        .table(WireTable(pairs.map { WireEntry(.text($0.0), $0.1) }, collection: collection))
    }
}

/// One key and value of a table.
public struct WireEntry: Equatable, Sendable {
    public var key: WireValue
    public var value: WireValue

    public init(_ key: WireValue, _ value: WireValue) {
        self.key = key
        self.value = value
    }
}

/// A table: its entries in the order they were read, and the collection of the record it is
/// (nil for any other table).
public struct WireTable: Equatable, Sendable {
    public var entries: [WireEntry]
    public var collection: String?

    public init(_ entries: [WireEntry] = [], collection: String? = nil) {
        self.entries = entries
        self.collection = collection
    }

    /// The value at string key `name` (first match), or nil.
    public subscript(_ name: String) -> WireValue? {
        let key = WireValue.text(name)
        return entries.first { $0.key == key }?.value
    }

    /// The values at keys 1, 2, ... up to the first missing one.
    public var sequence: [WireValue] {
        var byIndex: [Int64: WireValue] = [:]
        for e in entries { if case .integer(let i) = e.key, i >= 1 { byIndex[i] = e.value } }
        var out: [WireValue] = []
        var i: Int64 = 1
        while let v = byIndex[i] { out.append(v); i += 1 }
        return out
    }
}
