/// Where the cursor sits in a chain of method calls, for completions `LuaCompletionPath`
/// cannot see: a method after a call (`fp.sales:where{ year = 2019 }:gr`), a field name
/// as a key in a call's table (`fp.households:where{ sta`, `:update(3, { pho`), or a field
/// name in a call's string (`:group_by("it`). Knows nothing of Lua values: the REPL looks
/// up `head` and decides what `calls` give.
///
/// ```swift
/// let c = CallChainCompletion(#"fp.households:where{ a = 1 }:order_by("he"#)!
/// c.head     // ["fp", "households"]
/// c.calls    // ["where", "order_by"]
/// c.kind     // .fieldString
/// c.prefix   // "he"
/// ```
public struct CallChainCompletion: Equatable {
    public enum Kind: Equatable {
        /// A method of what the last call returns (`…}:gr`).
        case method
        /// A key of the table given to the last call (`where{ sta`).
        case fieldKey
        /// The text of the string given to the last call (`group_by("it`).
        case fieldString
    }

    /// The name path the chain starts from (`["fp", "households"]`).
    public var head: [String]
    /// The methods called after `head`, in order; for `.fieldKey` and `.fieldString` the
    /// last is the one whose argument holds the cursor. Empty for `.fieldKey` in the table
    /// given to the function `head` names (`fp.plugins.shop.record{ da`).
    public var calls: [String]
    public var kind: Kind
    /// The start of the name being completed.
    public var prefix: String

    public init?(_ before: String) {
        let tokens = LuaLexer.tokens(of: before)
        let end = before.utf8.count
        guard let last = tokens.last else { return nil }
        var index = tokens.count - 1  // the token before the name being typed
        if last.kind == .string, last.range.upperBound == end, !CallChainCompletion.isClosed(last.text) {
            // `:group_by("it`: the string's opening, then `(`, then the method.
            guard index >= 1, tokens[index - 1].text == "(",
                let chain = CallChainCompletion.chain(tokens, endingAt: index - 1)
            else { return nil }
            let quote = last.text.first == "[" ? 2 : 1
            (head, calls, kind, prefix) = (chain.head, chain.calls, .fieldString, String(last.text.dropFirst(quote)))
            return
        }
        var prefix = ""
        if last.kind == .name || last.kind == .keyword, last.range.upperBound == end {
            prefix = last.text
            index -= 1
        }
        guard index >= 0 else { return nil }
        switch tokens[index].text {
        case ":":
            // Only after a call: a plain `a.b:c` is LuaCompletionPath's.
            guard index >= 1, [")", "}"].contains(tokens[index - 1].text) || tokens[index - 1].kind == .string,
                let chain = CallChainCompletion.chain(tokens, endingAt: index), !chain.calls.isEmpty
            else { return nil }
            (head, calls, kind) = (chain.head, chain.calls, .method)
        case "{", ",":
            guard let open = CallChainCompletion.unclosed(tokens, before: index + 1), tokens[open].text == "{",
                let chain = CallChainCompletion.callHolding(tokens, tableAt: open)
            else { return nil }
            (head, calls, kind) = (chain.head, chain.calls, .fieldKey)
        default:
            return nil
        }
        self.prefix = prefix
    }

    /// `names` that start with the prefix, sorted; names starting with `_` only when the
    /// prefix does. The candidates replace the prefix (after `:` for a method).
    public func completion(of names: [String]) -> ReplCompletion {
        let hidesPrivate = !prefix.hasPrefix("_")
        let matches = Set(names.filter { $0.hasPrefix(prefix) && !(hidesPrivate && $0.hasPrefix("_")) })
        return ReplCompletion(partial: prefix, candidates: matches.sorted())
    }

    // MARK: - Reading the chain backwards

    /// The chain whose `:` (or the token after its last part) is at `end`: `head` then
    /// `:name(...)`, `:name{...}` or `:name"..."` calls.
    static func chain(_ tokens: [LuaLexer.Token], endingAt end: Int) -> (head: [String], calls: [String])? {
        var calls: [String] = []
        var j = end - 1
        // `end` is the `:` before the prefix, or the `(` of a string argument.
        if tokens[end].text == "(" {
            guard j >= 1, tokens[j].kind == .name, tokens[j - 1].text == ":" else { return nil }
            calls.append(tokens[j].text)
            j = end - 3
        }
        while j >= 0 {
            let token = tokens[j]
            if token.text == ")" || token.text == "}" || token.kind == .string {
                var open = j
                if token.kind != .string {
                    guard let o = matchingOpen(tokens, close: j) else { return nil }
                    open = o
                }
                guard open >= 2, tokens[open - 1].kind == .name, tokens[open - 2].text == ":" else {
                    return nil
                }
                calls.insert(tokens[open - 1].text, at: 0)
                j = open - 3
                continue
            }
            break
        }
        // The head: a name, then `.name` or `["name"]` steps.
        var head: [String] = []
        while j >= 0 {
            if tokens[j].kind == .name {
                head.insert(tokens[j].text, at: 0)
                if j >= 1, tokens[j - 1].text == "." { j -= 2; continue }
                j -= 1
                break
            }
            guard tokens[j].text == "]", j >= 2, tokens[j - 1].kind == .string, tokens[j - 2].text == "[",
                let key = unquoted(tokens[j - 1].text)
            else { return nil }
            head.insert(key, at: 0)
            j -= 3
        }
        guard !head.isEmpty, j < 0 || !([".", ":", "]"].contains(tokens[j].text)) else { return nil }
        if j + 1 < tokens.count, tokens[j + 1].kind != .name { return nil }  // starts with a name
        return (head, calls)
    }

    /// The chain of the call whose argument is the table opened at `open`: `:m{`, `:m(`
    /// followed by arguments and then the table (`:update(3, {`), or a function named by a
    /// path (`fp.plugins["produce-sales"].summary{`: no calls, the head names the function).
    static func callHolding(_ tokens: [LuaLexer.Token], tableAt open: Int) -> (head: [String], calls: [String])? {
        if open >= 2, tokens[open - 1].kind == .name, tokens[open - 2].text == ":" {
            guard let chain = chain(tokens, endingAt: open - 2) else { return nil }
            return (chain.head, chain.calls + [tokens[open - 1].text])
        }
        if open >= 1, tokens[open - 1].kind == .name || tokens[open - 1].text == "]" {
            return chain(tokens, endingAt: open).flatMap { $0.calls.isEmpty ? $0 : nil }
        }
        guard let paren = unclosed(tokens, before: open), tokens[paren].text == "(",
            paren >= 2, tokens[paren - 1].kind == .name, tokens[paren - 2].text == ":",
            let chain = chain(tokens, endingAt: paren - 2)
        else { return nil }
        return (chain.head, chain.calls + [tokens[paren - 1].text])
    }

    /// The innermost bracket opened before `index` and not closed before it.
    static func unclosed(_ tokens: [LuaLexer.Token], before index: Int) -> Int? {
        var depth = 0
        var j = index - 1
        while j >= 0 {
            switch tokens[j].text {
            case ")", "}", "]": depth += 1
            case "(", "{", "[":
                if depth == 0 { return j }
                depth -= 1
            default: break
            }
            j -= 1
        }
        return nil
    }

    private static func matchingOpen(_ tokens: [LuaLexer.Token], close: Int) -> Int? {
        unclosed(tokens, before: close).flatMap { open in
            let pairs = [")": "(", "}": "{", "]": "["]
            return pairs[tokens[close].text] == tokens[open].text ? open : nil
        }
    }

    /// The text of a short string literal (`"x"`, `'x'`) without escapes, else nil.
    private static func unquoted(_ literal: String) -> String? {
        guard literal.count >= 2, let quote = literal.first, quote == "\"" || quote == "'", literal.last == quote else {
            return nil
        }
        let inner = literal.dropFirst().dropLast()
        return inner.contains("\\") ? nil : String(inner)
    }

    private static func isClosed(_ literal: String) -> Bool {
        guard let first = literal.first, literal.count >= 2 else { return false }
        if first == "[" { return literal.hasSuffix("]") && literal.count >= 4 }
        return literal.last == first && !literal.hasSuffix("\\" + String(first))
    }
}
