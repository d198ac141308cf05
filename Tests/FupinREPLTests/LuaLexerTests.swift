import FupinREPL
import Testing

/// The lexer finds names, keywords, strings and symbols, and never fails on unfinished input.
@Suite struct LuaLexerTests {
    private func kinds(_ source: String) -> [String] {
        LuaLexer.tokens(of: source).map { "\($0.kind):\($0.text)" }
    }

    @Test func commentsAndSpaceAreNotTokens() {
        #expect(LuaLexer.tokens(of: "local x = 'a' -- note").map(\.text) == ["local", "x", "=", "'a'"])
        #expect(LuaLexer.tokens(of: "--[==[ long\ncomment ]==] y").map(\.text) == ["y"])
    }

    @Test func kindsAndLongestSymbols() {
        #expect(
            kinds("if a ... b .. 0x1F then") == [
                "keyword:if", "name:a", "symbol:...", "name:b", "symbol:..", "number:0x1F", "keyword:then",
            ])
        #expect(kinds("x = 1e-3 // 2") == ["name:x", "symbol:=", "number:1e-3", "symbol://", "number:2"])
    }

    @Test func longStringsAndEscapes() {
        #expect(kinds("[[a]] [==[b]]c]==] \"q\\\"\"") == ["string:[[a]]", "string:[==[b]]c]==]", "string:\"q\\\"\""])
    }

    @Test func rangesAreUTF8ByteOffsets() {
        let tokens = LuaLexer.tokens(of: "s = '郝九' .. x")
        #expect(tokens[2].range == 4..<12)  // ' + 6 bytes of two CJK characters + '
        #expect(tokens[4].range == 16..<17)
    }

    @Test func unfinishedInputRunsToTheEnd() {
        #expect(kinds("print('abc") == ["name:print", "symbol:(", "string:'abc"])
        #expect(kinds("x = [[open") == ["name:x", "symbol:=", "string:[[open"])
        #expect(kinds("y --[[ open comment") == ["name:y"])
    }

    @Test func identifiers() {
        #expect(LuaLexer.isIdentifier("snake_case1"))
        #expect(LuaLexer.isIdentifier("_"))
        #expect(!LuaLexer.isIdentifier("end"))
        #expect(!LuaLexer.isIdentifier("1a"))
        #expect(!LuaLexer.isIdentifier("a-b"))
        #expect(!LuaLexer.isIdentifier(""))
        #expect(!LuaLexer.isIdentifier("名字"))
    }
}
