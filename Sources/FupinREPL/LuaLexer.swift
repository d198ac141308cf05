/// A small Lua 5.4 tokenizer: enough to find statements and names in REPL input, not a
/// parser. It never fails: an unterminated string or comment simply runs to the end.
///
/// ```swift
/// let tokens = LuaLexer.tokens(of: "local x = 'a' -- note")
/// tokens.map(\.text)   // ["local", "x", "=", "'a'"]
/// ```
public struct LuaLexer {
    /// What a token is; comments and white space are not tokens.
    public enum Kind: Equatable, Sendable {
        case name, keyword, string, number, symbol
    }

    public struct Token: Equatable, Sendable {
        public var kind: Kind
        /// Byte offsets into the UTF-8 source.
        public var range: Range<Int>
        public var text: String
    }

    public static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
        "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    /// Whether `name` is a Lua name that is not a keyword, so it can be written bare as a
    /// field name (`t.name`, `{ name = 1 }`) or a variable.
    public static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !keywords.contains(name) else { return false }
        return isNameStart(first) && name.utf8.allSatisfy(isNameByte)
    }

    /// Symbols of more than one character, longest first so `...` wins over `..`.
    private static let longSymbols: [[UInt8]] = ["...", "..", "::", "<=", ">=", "==", "~=", "<<", ">>", "//"]
        .map { Array($0.utf8) }

    /// The tokens of `source`, in order.
    public static func tokens(of source: String) -> [Token] {
        var lexer = LuaLexer(bytes: Array(source.utf8))
        var result: [Token] = []
        while let token = lexer.next() { result.append(token) }
        return result
    }

    private let bytes: [UInt8]
    private var i = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func peek(_ offset: Int = 0) -> UInt8? {
        i + offset < bytes.count ? bytes[i + offset] : nil
    }

    private static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func next() -> Token? {
        skipSpaceAndComments()
        guard let b = peek() else { return nil }
        let start = i
        let kind: Kind
        if LuaLexer.isNameStart(b) {
            while let c = peek(), LuaLexer.isNameByte(c) { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            kind = LuaLexer.keywords.contains(word) ? .keyword : .name
        } else if LuaLexer.isDigit(b) || (b == UInt8(ascii: ".") && peek(1).map(LuaLexer.isDigit) == true) {
            skipNumber()
            kind = .number
        } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
            skipQuoted(b)
            kind = .string
        } else if b == UInt8(ascii: "["), let level = longBracketLevel() {
            skipLongBracket(level: level)
            kind = .string
        } else {
            i += 1
            for symbol in LuaLexer.longSymbols where bytes[start...].starts(with: symbol) {
                i = start + symbol.count
                break
            }
            kind = .symbol
        }
        return Token(kind: kind, range: start..<i, text: String(decoding: bytes[start..<i], as: UTF8.self))
    }

    private mutating func skipSpaceAndComments() {
        while let b = peek() {
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                i += 1
            } else if b == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                i += 2
                if peek() == UInt8(ascii: "["), let level = longBracketLevel() {
                    skipLongBracket(level: level)
                } else {
                    while let c = peek(), c != 0x0A { i += 1 }
                }
            } else {
                return
            }
        }
    }

    /// At `[`: the level of a long bracket (`[[` is 0, `[==[` is 2), or nil if it is not one.
    private func longBracketLevel() -> Int? {
        var j = i + 1
        var level = 0
        while j < bytes.count, bytes[j] == UInt8(ascii: "=") { level += 1; j += 1 }
        return j < bytes.count && bytes[j] == UInt8(ascii: "[") ? level : nil
    }

    private mutating func skipLongBracket(level: Int) {
        i += level + 2
        let close = [UInt8(ascii: "]")] + Array(repeating: UInt8(ascii: "="), count: level) + [UInt8(ascii: "]")]
        while i < bytes.count {
            if bytes[i...].starts(with: close) { i += close.count; return }
            i += 1
        }
    }

    private mutating func skipQuoted(_ quote: UInt8) {
        i += 1
        while let c = peek() {
            if c == quote { i += 1; return }
            if c == 0x0A { return }  // unfinished string: stop at the line's end
            i += c == UInt8(ascii: "\\") ? 2 : 1
        }
        i = min(i, bytes.count)
    }

    private mutating func skipNumber() {
        while let c = peek() {
            if LuaLexer.isNameByte(c) || c == UInt8(ascii: ".") {
                i += 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-"),
                let previous = i > 0 ? bytes[i - 1] : nil,
                [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P")].contains(previous)
            {
                i += 1
            } else {
                return
            }
        }
    }
}
