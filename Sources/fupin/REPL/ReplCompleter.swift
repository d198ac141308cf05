import Foundation
import LuaKit

/// What tab completion offers for the text before the cursor.
struct ReplCompletion {
    /// The end of the text before the cursor that the candidates replace (`string.fo`).
    var partial: String
    /// Full replacements for `partial` (`string.format`, `string.find`...), sorted.
    var candidates: [String]

    /// The candidates rewritten to replace `word` instead — the part of `partial` (or of the
    /// text before it) that libedit treats as the word, which differs when the partial
    /// holds a word-break character such as `/`.
    func replacements(forWord word: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
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

/// Names tab completion cannot find by reading tables raw: the fields and methods of
/// objects whose `__index` is a function (a LuaKit class with properties, say). The fp
/// layer adds one for its collection and query objects:
///
/// ```swift
/// struct FupinCompletions: ReplCompletionSource {
///     func fieldNames(of value: LuaValue, methodsOnly: Bool) -> [String]? {
///         isQuery(value) ? ["where", "order_by", "limit", "count", "sum", "list"] : nil
///     }
///     func field(of value: LuaValue, named name: String) -> LuaValue? { nil }
/// }
/// session.completionSources.append(FupinCompletions())
/// ```
///
/// A source must answer from what it knows in Swift and never run Lua code.
protocol ReplCompletionSource {
    /// The field names (only methods when `methodsOnly`) of `value`, or nil if unknown.
    func fieldNames(of value: LuaValue, methodsOnly: Bool) -> [String]?
    /// `value.name`, to walk a path like `fp.sales.`, or nil if unknown.
    func field(of value: LuaValue, named name: String) -> LuaValue?
}

/// Tab completion for the REPL: globals and REPL locals, fields after `.`, methods after
/// `:`, meta-commands after a leading `:`, and a meta-command's arguments (file names
/// after `:load`).
///
/// It never runs user code: tables are read with raw access, and for a table or userdata
/// whose metatable (read raw) has an `__index` *table*, that table is searched too, up to
/// eight levels. An `__index` function, `__pairs` or `__metatable` is never consulted;
/// `session.completionSources` can name what raw reading cannot see.
///
/// ```swift
/// completer.complete("x = string.fo")   // partial "string.fo", candidates ["string.format"]
/// ```
struct ReplCompleter {
    unowned let session: ReplSession

    func complete(_ before: String) -> ReplCompletion? {
        if MetaCommandRegistry.isMetaCommand(before) { return completeMetaCommand(before) }
        return completeLua(before)
    }

    // MARK: Meta-commands

    private func completeMetaCommand(_ before: String) -> ReplCompletion? {
        let body = before.drop(while: { $0 == " " || $0 == "\t" })
        guard let blank = body.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            let partial = String(body)
            let names = session.metaCommands.commands.map { ":" + $0.name }.filter { $0.hasPrefix(partial) }
            return ReplCompletion(partial: partial, candidates: names.sorted())
        }
        let name = String(body[body.index(after: body.startIndex)..<blank])
        guard let command = session.metaCommands.lookup(name), let complete = command.completeArgument else { return nil }
        let (words, unfinished) = ReplArguments.split(String(body[blank...]))
        let previous = unfinished == nil ? words : Array(words.dropLast())
        let partial = unfinished ?? ""
        let candidates = complete(session, previous, partial).filter { $0.hasPrefix(partial) }
        return ReplCompletion(partial: partial, candidates: Array(Set(candidates)).sorted())
    }

    /// Files and folders whose path starts with `partial` (folders end in `/`); `~` is
    /// the home folder; hidden files only when the name typed starts with a dot.
    static func files(matching partial: String) -> [String] {
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

    // MARK: Lua

    private func completeLua(_ before: String) -> ReplCompletion? {
        let scalars = Array(before.unicodeScalars)
        var start = scalars.count
        while start > 0, ReplCompleter.isPathScalar(scalars[start - 1]) { start -= 1 }
        let partial = String(String.UnicodeScalarView(scalars[start...]))
        if let first = partial.unicodeScalars.first, first.properties.numericType != nil { return nil }
        if isInsideString(before, partialLength: partial.utf8.count) { return nil }

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
        let prefix = names[names.count - 1]
        let path = names.dropLast()
        guard path.allSatisfy(TableEntries.isIdentifier), !separators.dropLast().contains(":") else { return nil }
        let head = String(partial.dropLast(prefix.count))

        var found: [String]
        if path.isEmpty {
            found = globalNames() + session.environment.localNames + Array(LuaLexer.keywords)
        } else {
            var value = session.environment.value(of: path[0])
            for name in path.dropFirst() {
                guard let next = field(of: value, name) else { return nil }
                value = next
            }
            found = fieldNames(of: value, methodsOnly: separators.last == ":")
        }
        let hidesPrivate = !prefix.hasPrefix("__")
        let matches = Set(found.filter { $0.hasPrefix(prefix) && !(hidesPrivate && $0.hasPrefix("__")) })
        return ReplCompletion(partial: partial, candidates: matches.sorted().map { head + $0 })
    }

    private static func isPathScalar(_ s: Unicode.Scalar) -> Bool {
        s == "." || s == ":" || s == "_" || (s.isASCII && (s.properties.isAlphabetic || s.properties.numericType != nil))
    }

    /// Whether the partial word sits in an unfinished string literal (`print("string.fo`).
    private func isInsideString(_ before: String, partialLength: Int) -> Bool {
        let start = before.utf8.count - partialLength
        return LuaLexer.tokens(of: before).contains { $0.kind == .string && $0.range.lowerBound < start && $0.range.upperBound >= start + max(partialLength, 1) && !isClosed($0.text) }
    }

    private func isClosed(_ literal: String) -> Bool {
        guard let first = literal.first, literal.count >= 2 else { return false }
        if first == "[" { return literal.hasSuffix("]") }
        return literal.last == first && !literal.hasSuffix("\\" + String(first))
    }

    private var lua: LuaState { session.lua }

    private func globalNames() -> [String] {
        var names: [String] = []
        lua.globals.forEach { key, _ in
            if case .string(let s)? = key, let name = s.string, TableEntries.isIdentifier(name) { names.append(name) }
        }
        return names
    }

    /// The `__index` table of a value's metatable, read raw.
    private func indexTable(of value: LuaValue) -> LuaTable? {
        guard let meta = lua.rawMetatable(of: value), case .table(let index) = meta.rawGet("__index") else { return nil }
        return index
    }

    /// `value.name` by raw access, following `__index` tables.
    private func field(of value: LuaValue, _ name: String) -> LuaValue? {
        var current = value
        for _ in 0..<8 {
            if case .table(let table) = current {
                let found = table.rawGet(.string(LuaString(name)))
                if !found.isNil { return found }
            }
            guard let next = indexTable(of: current) else { break }
            current = .table(next)
        }
        for source in session.completionSources {
            if let found = source.field(of: value, named: name) { return found }
        }
        return nil
    }

    /// The identifier keys of `value` and of its `__index` tables; only functions for `:`.
    private func fieldNames(of value: LuaValue, methodsOnly: Bool) -> [String] {
        var names: [String] = []
        var visited: [LuaTable] = []
        var current = value
        for _ in 0..<8 {
            if case .table(let table) = current {
                if visited.contains(where: { $0.isSame(as: table) }) { break }
                visited.append(table)
                table.forEach { key, item in
                    guard case .string(let s)? = key, let name = s.string, TableEntries.isIdentifier(name) else { return }
                    if methodsOnly, item.functionValue == nil { return }
                    names.append(name)
                }
            }
            guard let next = indexTable(of: current) else { break }
            current = .table(next)
        }
        for source in session.completionSources {
            names += source.fieldNames(of: value, methodsOnly: methodsOnly) ?? []
        }
        return names
    }
}

extension Array where Element: Equatable {
    /// Whether the array ends with `suffix`.
    func ends(with suffix: [Element]) -> Bool {
        suffix.count <= count && Array(self[(count - suffix.count)...]) == suffix
    }
}
