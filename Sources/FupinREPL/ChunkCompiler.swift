/// Turns the text typed so far into something to run, following lua.c's `loadline`:
/// first as an expression (`return <text>`, lua.c's `addreturn`), then as statements; a
/// syntax error whose message ends in `<eof>` means the chunk is incomplete (lua.c's
/// `incomplete`) and the REPL asks for another line (`multiline`).
///
/// Unlike lua.c, the expression form is tried again after every added line, so
/// `{1,` ⏎ `2}` prints the table, and top-level `local` statements are rewritten to persist
/// (`LocalRewriter`).
///
/// The compiler itself is given as `load` (source in, chunk or syntax error out), so this
/// logic needs no Lua state and is tested with any loader:
///
/// ```swift
/// let compiler = ChunkCompiler(load: { try environment.compile($0, chunkName: "=stdin") },
///                              message: { $0.message })
/// switch try compiler.compile("function f(x)") { case .incomplete: ... }   // ask for more
/// ```
public struct ChunkCompiler<Chunk, Failure: Error> {
    public enum Outcome {
        /// Ready to run; `isExpression` when it came from `return <text>`.
        case ready(Chunk, isExpression: Bool)
        /// The text ends before the chunk does: read another line (the error is what to
        /// report if no more comes).
        case incomplete(Failure)
        /// A syntax error to report.
        case failed(Failure)
    }

    /// Compiles one source text; a failure is a syntax error.
    public let load: (String) throws -> Result<Chunk, Failure>
    /// The text of a syntax error, as Lua gives it (`stdin:1: ... near <eof>`).
    public let message: (Failure) -> String

    public init(load: @escaping (String) throws -> Result<Chunk, Failure>, message: @escaping (Failure) -> String) {
        self.load = load
        self.message = message
    }

    public func compile(_ text: String) throws -> Outcome {
        let expression = try load("return " + text)
        if case .success(let function) = expression {
            if case .success(let kept) = try load(ChunkCompiler.keepingCaller(text)) {
                return .ready(kept, isExpression: true)
            }
            return .ready(function, isExpression: true)
        }
        switch try load(text) {
        case .success(let function):
            // Compile the rewritten form only once the text is known to be valid Lua, so
            // errors always speak of what the user typed.
            if let rewritten = LocalRewriter.rewrite(text), case .success(let persistent) = try load(rewritten) {
                return .ready(persistent, isExpression: false)
            }
            return .ready(function, isExpression: false)
        case .failure(let error):
            if isIncomplete(error) { return .incomplete(error) }
            if case .failure(let expressionError) = expression, isIncomplete(expressionError) {
                return .incomplete(error)
            }
            return .failed(error)
        }
    }

    /// The expression form that keeps the input's own frame while its last call runs.
    /// `return f()` is a tail call: the input's frame is gone before `f` fails, so the
    /// error and the traceback could not say `stdin:1:`. Passing the values through a
    /// function keeps every one of them (a `...` function, not parentheses, which would
    /// keep only the first). The `)` goes on a line of its own in case the input ends in
    /// a `--` comment; line numbers are unchanged.
    static func keepingCaller(_ text: String) -> String {
        "return (function(...) return ... end)(" + text + "\n)"
    }

    /// lua.c's rule: a syntax error at the end of the input ("... near <eof>").
    public func isIncomplete(_ error: Failure) -> Bool {
        message(error).hasSuffix("<eof>")
    }
}
