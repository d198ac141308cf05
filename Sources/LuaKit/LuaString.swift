/// A Lua string: bytes, which may hold NULs and need not be valid UTF-8.
///
/// ```swift
/// let s = LuaString(bytes: [0x61, 0x00, 0xff])
/// s.string        // nil: not valid UTF-8
/// s.description   // "a\u{0}\u{FFFD}" (lossy, for display only)
/// ```
public struct LuaString: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    /// The bytes as text if they are valid UTF-8.
    public var string: String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The bytes as text, with invalid sequences replaced (for display).
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    public var count: Int { bytes.count }
}
