/// Rewrites the top-level `local` statements of a REPL input so the names outlive the input.
///
/// Lua forgets a chunk's locals when the chunk ends, so `local x = 1` on one line and `x`
/// on the next would see nothing. Each input is compiled with the REPL environment as its
/// `_ENV` (see `ReplEnvironment`), and a top-level declaration becomes an assignment through
/// `__fupin_repl`, the environment's declaring proxy:
///
/// ```swift
/// LocalRewriter.rewrite("local a, b = 1, f(a)")   // "__fupin_repl.a, __fupin_repl.b = 1, f(a)"
/// LocalRewriter.rewrite("local function g() end") // "function __fupin_repl.g() end"
/// LocalRewriter.rewrite("local n")                // "__fupin_repl.n = nil"
/// ```
///
/// The right-hand side still reads the old meaning of a name (`local x = x` copies the
/// global), because Lua evaluates every expression before it assigns. Only statements at
/// depth 0 are touched: locals inside `do`, `if`, loops and functions keep their scope.
/// Declarations with attributes (`<const>`, `<close>`) stay real locals of their input.
/// Line numbers never change (nothing adds a newline).
public enum LocalRewriter {
    /// The name the REPL environment resolves to its declaring proxy.
    public static let proxyName = "__fupin_repl"

    /// `source` with its top-level locals rewritten, or nil when there is none.
    public static func rewrite(_ source: String) -> String? {
        let tokens = LuaLexer.tokens(of: source)
        var edits: [(range: Range<Int>, replacement: String)] = []
        var depth = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.kind == .keyword {
                switch token.text {
                case "function", "do", "if", "repeat":
                    depth += 1
                case "end", "until":
                    depth = max(0, depth - 1)
                case "local" where depth == 0:
                    edits += declarationEdits(tokens, at: index)
                default:
                    break
                }
            }
            index += 1
        }
        guard !edits.isEmpty else { return nil }
        var bytes = Array(source.utf8)
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: Array(edit.replacement.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The edits for the `local` statement at `tokens[index]`; none if it must stay a local.
    private static func declarationEdits(_ tokens: [LuaLexer.Token], at index: Int) -> [(
        range: Range<Int>, replacement: String
    )] {
        let local = tokens[index]
        guard index + 1 < tokens.count else { return [] }
        let next = tokens[index + 1]
        // local function NAME  ->  function __fupin_repl.NAME
        if next.kind == .keyword && next.text == "function" {
            guard index + 2 < tokens.count, tokens[index + 2].kind == .name else { return [] }
            let name = tokens[index + 2]
            return [(local.range, ""), (name.range, proxyName + "." + name.text)]
        }
        // local NAME {, NAME} [= explist]
        var names: [LuaLexer.Token] = []
        var j = index + 1
        while j < tokens.count, tokens[j].kind == .name {
            names.append(tokens[j])
            j += 1
            if j < tokens.count, tokens[j].text == "<" { return [] }  // an attribute: keep it a real local
            guard j < tokens.count, tokens[j].text == "," else { break }
            j += 1
        }
        guard let last = names.last else { return [] }
        var edits: [(range: Range<Int>, replacement: String)] = [(local.range, "")]
        for name in names { edits.append((name.range, proxyName + "." + name.text)) }
        if !(j < tokens.count && tokens[j].text == "=") {
            edits.append((last.range.upperBound..<last.range.upperBound, " = nil"))
        }
        return edits
    }
}
