import Foundation

/// What tab completion offers for the text before the cursor.
public struct ReplCompletion: Equatable {
    /// The end of the text before the cursor that the candidates replace (`string.fo`).
    public var partial: String
    /// Full replacements for `partial` (`string.format`, `string.find`...), sorted.
    public var candidates: [String]

    public init(partial: String, candidates: [String]) {
        self.partial = partial
        self.candidates = candidates
    }

    /// The candidates rewritten to replace `word` instead — the part of `partial` (or of the
    /// text before it) that libedit treats as the word, which differs when the partial
    /// holds a word-break character such as `/`.
    public func replacements(forWord word: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        let partial = Array(self.partial.unicodeScalars)
        if partial.ends(with: word) {
            let head = Array(partial.prefix(partial.count - word.count))
            return candidates.compactMap { candidate in
                let scalars = Array(candidate.unicodeScalars)
                return scalars.starts(with: head) ? Array(scalars.dropFirst(head.count)) : nil
            }
        }
        if word.ends(with: partial) {
            let head = Array(word.prefix(word.count - partial.count))
            return candidates.map { head + Array($0.unicodeScalars) }
        }
        return []
    }
}

/// The Lua name path that ends the text before the cursor, which tab completion completes:
/// the names before the last `.` or `:` say which table to look in, the last one is the
/// prefix to match. Knows nothing of Lua values; the REPL walks `path` itself.
///
/// ```swift
/// let path = LuaCompletionPath("x = string.fo")!
/// path.path                                    // ["string"]
/// path.prefix                                  // "fo"
/// path.completion(of: ["format", "find"])      // partial "string.fo", candidates ["string.format"]
/// ```
public struct LuaCompletionPath: Equatable {
    /// The text the candidates replace (`string.fo`).
    public var partial: String
    /// The names to walk before the prefix (`["string"]`); empty for a bare name.
    public var path: [String]
    /// The start of the name being completed (`fo`).
    public var prefix: String
    /// Whether the prefix follows `:`, so only methods (functions) fit.
    public var methodsOnly: Bool

    /// The path ending `before`, or nil when there is nothing to complete there: a number,
    /// the inside of an unfinished string literal, a path with a keyword or a `:` before
    /// its last step.
    public init?(_ before: String) {
        let scalars = Array(before.unicodeScalars)
        var start = scalars.count
        while start > 0, LuaCompletionPath.isPathScalar(scalars[start - 1]) { start -= 1 }
        let partial = String(String.UnicodeScalarView(scalars[start...]))
        if let first = partial.unicodeScalars.first, first.properties.numericType != nil { return nil }
        if LuaCompletionPath.isInsideString(before, partialLength: partial.utf8.count) { return nil }

        // "a.b:c" -> names ["a", "b", "c"], separators [".", ":"]
        var names = [""]
        var separators: [Character] = []
        for c in partial {
            if c == "." || c == ":" {
                separators.append(c)
                names.append("")
            } else {
                names[names.count - 1].append(c)
            }
        }
        let path = Array(names.dropLast())
        guard path.allSatisfy(LuaLexer.isIdentifier), !separators.dropLast().contains(":") else { return nil }
        self.partial = partial
        self.path = path
        self.prefix = names[names.count - 1]
        self.methodsOnly = separators.last == ":"
    }

    /// The completion offering those of `names` that start with the prefix, each once and
    /// sorted; names starting with `__` only when the prefix does, and fields starting
    /// with `_` (internals such as `fp._refresh`) only when the prefix does.
    public func completion(of names: [String]) -> ReplCompletion {
        let head = String(partial.dropLast(prefix.count))
        let hidden = path.isEmpty ? "__" : "_"
        let hidesPrivate = !prefix.hasPrefix(hidden)
        let matches = Set(names.filter { $0.hasPrefix(prefix) && !(hidesPrivate && $0.hasPrefix(hidden)) })
        return ReplCompletion(partial: partial, candidates: matches.sorted().map { head + $0 })
    }

    private static func isPathScalar(_ s: Unicode.Scalar) -> Bool {
        s == "." || s == ":" || s == "_"
            || (s.isASCII && (s.properties.isAlphabetic || s.properties.numericType != nil))
    }

    /// Whether the partial word sits in an unfinished string literal (`print("string.fo`).
    private static func isInsideString(_ before: String, partialLength: Int) -> Bool {
        let start = before.utf8.count - partialLength
        return LuaLexer.tokens(of: before).contains {
            $0.kind == .string && $0.range.lowerBound < start
                && $0.range.upperBound >= start + max(partialLength, 1) && !isClosed($0.text)
        }
    }

    private static func isClosed(_ literal: String) -> Bool {
        guard let first = literal.first, literal.count >= 2 else { return false }
        if first == "[" { return literal.hasSuffix("]") }
        return literal.last == first && !literal.hasSuffix("\\" + String(first))
    }
}

/// File-name completion for meta-command arguments (`:load`).
public enum FileNameCompletion {
    /// Files and folders whose path starts with `partial` (folders end in `/`); `~` is
    /// the home folder; hidden files only when the name typed starts with a dot.
    public static func files(matching partial: String) -> [String] {
        var typedFolder = ""
        var namePrefix = partial
        if let slash = partial.lastIndex(of: "/") {
            typedFolder = String(partial[...slash])
            namePrefix = String(partial[partial.index(after: slash)...])
        }
        var folder = typedFolder.isEmpty ? "." : typedFolder
        if folder.hasPrefix("~") { folder = NSHomeDirectory() + folder.dropFirst() }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasPrefix(namePrefix) && (!$0.hasPrefix(".") || namePrefix.hasPrefix(".")) }
            .map { name -> String in
                var isFolder: ObjCBool = false
                let full = (folder as NSString).appendingPathComponent(name)
                let exists = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder)
                return typedFolder + name + (exists && isFolder.boolValue ? "/" : "")
            }
            .sorted()
    }
}

extension Array where Element: Equatable {
    /// Whether the array ends with `suffix`.
    public func ends(with suffix: [Element]) -> Bool {
        suffix.count <= count && Array(self[(count - suffix.count)...]) == suffix
    }
}
