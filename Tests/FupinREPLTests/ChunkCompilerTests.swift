import FupinREPL
import LuaKit
import Testing

/// lua.c's loadline rules over a real Lua compiler: expression first, then statements, and a
/// syntax error at `<eof>` asks for more.
@Suite struct ChunkCompilerTests {
    let lua: LuaState
    let compiler: ChunkCompiler<LuaFunction, LuaError>

    init() throws {
        let lua = try LuaState()
        self.lua = lua
        compiler = ChunkCompiler(
            load: { text in
                do {
                    return .success(try lua.load(string: text, chunkName: "=stdin"))
                } catch let error as LuaError where error.kind == .syntax {
                    return .failure(error)
                }
            }, message: { $0.message })
    }

    private func describe(_ outcome: ChunkCompiler<LuaFunction, LuaError>.Outcome) throws -> String {
        switch outcome {
        case .ready(let function, let isExpression):
            let results = try function.call()
            return (isExpression ? "expression " : "statements ") + results.map(\.description).joined(separator: ",")
        case .incomplete: return "incomplete"
        case .failed(let error): return "failed " + error.message
        }
    }

    @Test func anExpressionIsReturned() throws {
        #expect(try describe(compiler.compile("1 + 2")) == "expression 3")
        #expect(try describe(compiler.compile("{1,\n2} ~= nil")) == "expression true")
    }

    @Test func anExpressionKeepsItsFrameAndAllItsValues() throws {
        // `return f()` would be a tail call: the error could not name the input's line.
        _ = try lua.run(string: "function boom() error('boom', 2) end")
        guard case .ready(let failing, true) = try compiler.compile("boom()") else {
            Issue.record("not an expression"); return
        }
        #expect { try failing.call() } throws: { ($0 as? LuaError)?.message == "stdin:1: boom" }
        #expect(try describe(compiler.compile("1, nil, 3 -- three values")) == "expression 1,nil,3")
        #expect(try describe(compiler.compile("...")) == "expression ")
    }

    @Test func statementsRunAsStatements() throws {
        #expect(try describe(compiler.compile("x = 5")) == "statements ")
        #expect(try describe(compiler.compile("return 7")) == "statements 7")
    }

    @Test func topLevelLocalsAreRewritten() throws {
        // Compiled against a plain state, the rewritten form assigns into `__fupin_repl`,
        // which does not exist here: running it fails, proving the rewritten chunk was chosen.
        guard case .ready(let function, false) = try compiler.compile("local a = 1") else {
            Issue.record("not ready as statements"); return
        }
        #expect(throws: LuaError.self) { try function.call() }
    }

    @Test func anOpenBlockIsIncomplete() throws {
        #expect(try describe(compiler.compile("function f(x)")) == "incomplete")
        #expect(try describe(compiler.compile("{1,")) == "incomplete")
        #expect(try describe(compiler.compile("s = [[open")) == "incomplete")
        #expect(try describe(compiler.compile("function f(x)\nreturn x\nend")) == "statements ")
    }

    @Test func aSyntaxErrorBeforeTheEndFails() throws {
        let text = try describe(compiler.compile("x = = 1"))
        #expect(text.hasPrefix("failed stdin:1:"))
        #expect(text.contains("near '='"))
    }

    @Test func theIncompleteRuleReadsTheMessage() {
        #expect(compiler.isIncomplete(LuaError(kind: .syntax, message: "stdin:1: 'end' expected near <eof>")))
        #expect(!compiler.isIncomplete(LuaError(kind: .syntax, message: "stdin:1: unexpected symbol near '='")))
    }
}
