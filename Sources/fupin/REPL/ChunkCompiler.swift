import LuaKit

/// Turns the text typed so far into something to run, following lua.c's `loadline`:
/// first as an expression (`return <text>`, lua.c's `addreturn`), then as statements; a
/// syntax error whose message ends in `<eof>` means the chunk is incomplete (lua.c's
/// `incomplete`) and the REPL asks for another line (`multiline`).
///
/// Unlike lua.c, the expression form is tried again after every added line, so
/// `{1,` ⏎ `2}` prints the table, and top-level `local` statements are rewritten to persist
/// (`LocalRewriter`).
///
/// ```swift
/// switch try compiler.compile("function f(x)") { case .incomplete: ... }   // ask for more
/// ```
struct ChunkCompiler {
    enum Outcome {
        /// Ready to run; `isExpression` when it came from `return <text>`.
        case ready(LuaFunction, isExpression: Bool)
        /// The text ends before the chunk does: read another line (the error is what to
        /// report if no more comes).
        case incomplete(LuaError)
        /// A syntax error to report.
        case failed(LuaError)
    }

    let environment: ReplEnvironment
    /// How errors name the input (lua.c uses `=stdin`, giving `stdin:1: ...`).
    var chunkName = "=stdin"

    func compile(_ text: String) throws -> Outcome {
        let expression = try environment.compile("return " + text, chunkName: chunkName)
        if case .success(let function) = expression { return .ready(function, isExpression: true) }
        switch try environment.compile(text, chunkName: chunkName) {
        case .success(let function):
            // Compile the rewritten form only once the text is known to be valid Lua, so
            // errors always speak of what the user typed.
            if let rewritten = LocalRewriter.rewrite(text),
               case .success(let persistent) = try environment.compile(rewritten, chunkName: chunkName) {
                return .ready(persistent, isExpression: false)
            }
            return .ready(function, isExpression: false)
        case .failure(let error):
            if ChunkCompiler.isIncomplete(error) { return .incomplete(error) }
            if case .failure(let expressionError) = expression, ChunkCompiler.isIncomplete(expressionError) {
                return .incomplete(error)
            }
            return .failed(error)
        }
    }

    /// lua.c's rule: a syntax error at the end of the input ("... near <eof>").
    static func isIncomplete(_ error: LuaError) -> Bool {
        error.kind == .syntax && error.message.hasSuffix("<eof>")
    }
}
