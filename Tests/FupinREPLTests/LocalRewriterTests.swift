import FupinREPL
import Testing

/// Top-level locals become assignments through the REPL's proxy; nested ones stay locals.
@Suite struct LocalRewriterTests {
    @Test func declarationsBecomeAssignments() {
        #expect(LocalRewriter.rewrite("local a, b = 1, f(a)") == " __fupin_repl.a, __fupin_repl.b = 1, f(a)")
        #expect(LocalRewriter.rewrite("local function g() end") == " function __fupin_repl.g() end")
        #expect(LocalRewriter.rewrite("local n") == " __fupin_repl.n = nil")
    }

    @Test func nothingToRewriteGivesNil() {
        #expect(LocalRewriter.rewrite("x = 1") == nil)
        #expect(LocalRewriter.rewrite("print('local y = 1')") == nil)
        #expect(LocalRewriter.rewrite("-- local z = 1") == nil)
    }

    @Test func nestedLocalsKeepTheirScope() {
        let source = "do local a = 1 end if x then local b = 2 end local c = 3"
        #expect(LocalRewriter.rewrite(source) == "do local a = 1 end if x then local b = 2 end  __fupin_repl.c = 3")
        #expect(LocalRewriter.rewrite("function f() local a = 1 end") == nil)
        #expect(LocalRewriter.rewrite("repeat local r = 1 until r") == nil)
    }

    @Test func attributesStayRealLocals() {
        #expect(LocalRewriter.rewrite("local k <const> = 1") == nil)
        #expect(LocalRewriter.rewrite("local a, k <close> = 1, nil") == nil)
    }

    @Test func lineNumbersNeverChange() throws {
        let source = "local a = 1\nlocal b\nlocal function c()\nend"
        let rewritten = try #require(LocalRewriter.rewrite(source))
        #expect(rewritten.split(separator: "\n", omittingEmptySubsequences: false).count == 4)
    }
}
