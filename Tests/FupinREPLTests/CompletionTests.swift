import Foundation
import FupinREPL
import Testing

/// Which Lua path tab completion completes, and how candidates replace libedit's word.
@Suite struct CompletionTests {
    @Test func aFieldPath() throws {
        let request = try #require(LuaCompletionPath("x = string.fo"))
        #expect(request.partial == "string.fo")
        #expect(request.path == ["string"])
        #expect(request.prefix == "fo")
        #expect(!request.methodsOnly)
        #expect(
            request.completion(of: ["format", "find", "format", "byte"])
                == ReplCompletion(partial: "string.fo", candidates: ["string.format"]))
    }

    @Test func aMethodAfterAColon() throws {
        let request = try #require(LuaCompletionPath("fp.sales:wh"))
        #expect(request.path == ["fp", "sales"])
        #expect(request.methodsOnly)
        #expect(request.completion(of: ["where", "when"]).candidates == ["fp.sales:when", "fp.sales:where"])
    }

    @Test func aBareNameAndPrivateNames() throws {
        let request = try #require(LuaCompletionPath("print(pr"))
        #expect(request.path.isEmpty)
        #expect(request.completion(of: ["print", "pairs", "__private"]).candidates == ["print"])
        let underscored = try #require(LuaCompletionPath("__"))
        #expect(underscored.completion(of: ["__index", "x"]).candidates == ["__index"])
    }

    @Test func nothingToComplete() {
        #expect(LuaCompletionPath("x = 12") == nil)  // a number
        #expect(LuaCompletionPath("print(\"string.fo") == nil)  // inside a string
        #expect(LuaCompletionPath("a:b.c") == nil)  // ':' before the last step
        #expect(LuaCompletionPath("end.x") == nil)  // a keyword in the path
        #expect(LuaCompletionPath("print('done') str") != nil)  // a closed string before
    }

    @Test func replacementsForLibeditsWord() {
        let completion = ReplCompletion(partial: "a/b.c", candidates: ["a/b.cd", "a/b.ce"])
        // libedit breaks words at '/': its word is "b.c".
        let word = Array("b.c".unicodeScalars)
        #expect(
            completion.replacements(forWord: word).map { String(String.UnicodeScalarView($0)) } == ["b.cd", "b.ce"])
        // A word longer than the partial gets its head back in front.
        let wide = ReplCompletion(partial: "fo", candidates: ["format"])
        #expect(
            wide.replacements(forWord: Array("x.fo".unicodeScalars)).map { String(String.UnicodeScalarView($0)) } == [
                "x.format"
            ])
        #expect(wide.replacements(forWord: Array("zz".unicodeScalars)).isEmpty)
    }

    @Test func fileNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["script.lua", "second.lua", ".hidden.lua"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        let base = folder.path + "/"
        #expect(
            FileNameCompletion.files(matching: base + "s") == [base + "script.lua", base + "second.lua", base + "sub/"])
        #expect(FileNameCompletion.files(matching: base + ".h") == [base + ".hidden.lua"])
        #expect(!FileNameCompletion.files(matching: base).contains(base + ".hidden.lua"))
    }
}
