import FupinREPL
import LuaKit

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
    /// The names that fit where `chain` leaves the cursor, `value` being what its head
    /// names (methods of what the calls return, field names of a call's argument), or nil.
    func names(for chain: CallChainCompletion, from value: LuaValue) -> [String]?
}

extension ReplCompletionSource {
    func names(for chain: CallChainCompletion, from value: LuaValue) -> [String]? { nil }
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
            // One match is complete: the space lets the next Tab complete its argument.
            if names.count == 1 { return ReplCompletion(partial: partial, candidates: [names[0] + " "]) }
            return ReplCompletion(partial: partial, candidates: names.sorted())
        }
        let name = String(body[body.index(after: body.startIndex)..<blank])
        guard let command = session.metaCommands.lookup(name), let complete = command.completeArgument else {
            return nil
        }
        let (words, unfinished) = ReplArguments.split(String(body[blank...]))
        let previous = unfinished == nil ? words : Array(words.dropLast())
        let partial = unfinished ?? ""
        let candidates = complete(session, previous, partial).filter { $0.hasPrefix(partial) }
        return ReplCompletion(partial: partial, candidates: Array(Set(candidates)).sorted())
    }

    // MARK: Lua

    private func completeLua(_ before: String) -> ReplCompletion? {
        if let chain = CallChainCompletion(before), let completion = completeChain(chain) { return completion }
        guard let request = LuaCompletionPath(before) else { return nil }
        guard let first = request.path.first else {
            return request.completion(of: globalNames() + session.environment.localNames + Array(LuaLexer.keywords))
        }
        var value = session.environment.value(of: first)
        for name in request.path.dropFirst() {
            guard let next = field(of: value, name) else { return nil }
            value = next
        }
        return request.completion(of: fieldNames(of: value, methodsOnly: request.methodsOnly))
    }

    /// Methods after a call, or field names in a call's argument, as the completion
    /// sources know them (raw reading cannot tell what a call returns).
    private func completeChain(_ chain: CallChainCompletion) -> ReplCompletion? {
        guard let first = chain.head.first else { return nil }
        var value = session.environment.value(of: first)
        for name in chain.head.dropFirst() {
            guard let next = field(of: value, name) else { return nil }
            value = next
        }
        for source in session.completionSources {
            if let names = source.names(for: chain, from: value) { return chain.completion(of: names) }
        }
        return nil
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
        guard let meta = lua.rawMetatable(of: value), case .table(let index) = meta.rawGet("__index") else {
            return nil
        }
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
                    guard case .string(let s)? = key, let name = s.string, TableEntries.isIdentifier(name) else {
                        return
                    }
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
