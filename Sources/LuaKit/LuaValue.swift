import CLuaShim

/// A Lua value as Swift sees it.
///
/// Values read from Lua keep Lua's kinds: integers stay `.integer`, floats stay `.number`,
/// strings are bytes (`LuaString`), and tables, functions and userdata are held by
/// registry references (`LuaTable`, `LuaFunction`, `LuaRef`) released when Swift drops them.
/// `.array` and `.dictionary` are tables built in Swift: pushing one creates a new Lua table.
/// A table read from Lua is `.table` until you ask for `toArray()` or `toDictionary()`.
///
/// ```swift
/// let results = try lua.run(string: "return 1, 2.5, 'x', {1, 2}")
/// // [.integer(1), .number(2.5), .string("x"), .table(<ref>)]
/// ```
/// Not `Sendable`: tables, functions and userdata are references into one state's thread.
public enum LuaValue {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(LuaString)
    case table(LuaTable)
    case function(LuaFunction)
    case userdata(LuaRef)
    /// A thread or light userdata: kept by reference, not otherwise interpreted.
    case other(LuaRef)
    /// A Swift-built array; pushed as a new table with keys 1...n.
    indirect case array([LuaValue])
    /// A Swift-built dictionary; pushed as a new table.
    indirect case dictionary([LuaKey: LuaValue])
}

@available(*, unavailable)
extension LuaValue: Sendable {}

/// A key of a Swift-built or converted table.
public enum LuaKey: Hashable, Sendable, CustomStringConvertible {
    case integer(Int64)
    case string(LuaString)
    case boolean(Bool)
    case number(Double)

    public var description: String {
        switch self {
        case .integer(let i): return String(i)
        case .string(let s): return s.description
        case .boolean(let b): return String(b)
        case .number(let d): return String(d)
        }
    }

    /// The key as a value.
    public var value: LuaValue {
        switch self {
        case .integer(let i): return .integer(i)
        case .string(let s): return .string(s)
        case .boolean(let b): return .boolean(b)
        case .number(let d): return .number(d)
        }
    }
}

extension LuaKey: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(LuaString(value)) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension LuaValue {
    /// Lua's type name of this value ("nil", "number", "table", ...).
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table, .array, .dictionary: return "table"
        case .function: return "function"
        case .userdata: return "userdata"
        case .other(let ref): return ref.typeName
        }
    }

    /// False only for `nil` and `false`, as in Lua.
    public var isTruthy: Bool {
        switch self {
        case .nil: return false
        case .boolean(let b): return b
        default: return true
        }
    }

    public var isNil: Bool { if case .nil = self { return true } else { return false } }

    /// An integer, or a float with an exact integer value (Lua's `math.tointeger`).
    public var intValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d):
            guard d.rounded() == d, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else { return nil }
            return Int64(d)
        default: return nil
        }
    }

    /// A number of either subtype as a Double.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// The bytes of a string decoded as UTF-8 (nil if not a string or not valid UTF-8).
    public var stringValue: String? {
        if case .string(let s) = self { return s.string }
        return nil
    }

    public var boolValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    public var tableValue: LuaTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    public var functionValue: LuaFunction? {
        if case .function(let f) = self { return f }
        return nil
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(LuaString(value)) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (LuaKey, LuaValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// A string value from Swift text.
    public static func text(_ s: String) -> LuaValue { .string(LuaString(s)) }
}

extension LuaValue: CustomStringConvertible {
    /// A short rendering for messages and tests; tables show as `table`, not their contents.
    public var description: String {
        switch self {
        case .nil: return "nil"
        case .boolean(let b): return String(b)
        case .integer(let i): return String(i)
        case .number(let d): return LuaValue.format(d)
        case .string(let s): return s.description
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .dictionary(let d):
            return "{" + d.map { "\($0.key): \($0.value)" }.sorted().joined(separator: ", ") + "}"
        default: return typeName
        }
    }

    /// Formats a float the way Lua's `tostring` does (`1.0`, `0.1`, `1e+100`).
    static func format(_ d: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
            let n = clua_number2str(d, buf.baseAddress, 64)
            return String(
                decoding: UnsafeRawBufferPointer(start: buf.baseAddress, count: Int(max(0, min(n, 63)))), as: UTF8.self)
        }
    }
}
