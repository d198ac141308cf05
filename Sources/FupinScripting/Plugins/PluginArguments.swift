import FupinCore
import LuaKit

/// A command's arguments, checked against its declaration: from a Lua table (scripts,
/// specs) or from the command line (`--unit-price 6.4`, `-o FILE`, positional values).
/// Values reach the command as Lua values: dates as `YYYY-MM-DD`, money as yuan, bools as
/// booleans, refs as integer ids, lists as arrays of strings.
public enum PluginArguments {
    /// Arguments from a Lua table; unknown names are refused.
    public static func fromTable(_ table: LuaTable, _ command: PluginCommandSpec, plugin: String) throws -> [String:
        LuaValue]
    {
        var given: [String: LuaValue] = [:]
        var problem: String?
        table.forEach { key, value in
            guard problem == nil else { return }
            guard let key, case .string = key else { problem = "arguments must be named"; return }
            given[key.description.replacingOccurrences(of: "-", with: "_")] = value
        }
        if let problem { throw PluginArgumentError(plugin: plugin, command: command.name, message: problem) }
        return try check(given, command, plugin: plugin)
    }

    /// Arguments given as Swift values by name.
    public static func fromValues(_ given: [String: LuaValue], _ command: PluginCommandSpec, plugin: String) throws
        -> [String: LuaValue]
    {
        var named: [String: LuaValue] = [:]
        for (k, v) in given { named[k.replacingOccurrences(of: "-", with: "_")] = v }
        return try check(named, command, plugin: plugin)
    }

    /// Arguments from command-line words.
    public static func fromCommandLine(_ words: [String], _ command: PluginCommandSpec, plugin: String) throws
        -> [String: LuaValue]
    {
        var given: [String: LuaValue] = [:]
        var positional = command.arguments.filter(\.positional)
        var i = 0
        func fail(_ message: String) -> PluginArgumentError {
            PluginArgumentError(plugin: plugin, command: command.name, message: message)
        }
        while i < words.count {
            let word = words[i]
            i += 1
            var argument: PluginArgument?
            var inline: String?
            if word.hasPrefix("--") && word.count > 2 {
                var name = String(word.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                argument = command.argument(name)
                if argument == nil, name.hasPrefix("no-"), let flag = command.argument(String(name.dropFirst(3))),
                    flag.isBool
                {
                    given[flag.name] = .boolean(false)
                    continue
                }
                guard argument != nil else { throw fail("unknown option \(word)\(suggestion(name, command))") }
            } else if word.hasPrefix("-") && word.count == 2 && !(word.last?.isNumber ?? false) {
                argument = command.arguments.first { $0.short == word.last }
                guard argument != nil else { throw fail("unknown option \(word)") }
            } else {
                guard !positional.isEmpty else { throw fail("unexpected argument '\(word)'") }
                let target = positional.removeFirst()
                given[target.name] = .text(word)
                continue
            }
            guard let argument else { continue }
            if argument.isBool && inline == nil {
                given[argument.name] = .boolean(true)
                continue
            }
            guard let text = inline ?? (i < words.count ? words[i] : nil) else {
                throw fail("\(argument.flag) needs a value")
            }
            if inline == nil { i += 1 }
            given[argument.name] = .text(text)
        }
        return try check(given, command, plugin: plugin)
    }

    static func suggestion(_ name: String, _ command: PluginCommandSpec) -> String {
        let names = command.arguments.map { $0.flag }
        return names.isEmpty ? " (this command takes no options)" : " (options: \(names.joined(separator: ", ")))"
    }

    /// Converts each value to its declared type, applies defaults and requires what is required.
    static func check(_ given: [String: LuaValue], _ command: PluginCommandSpec, plugin: String) throws -> [String:
        LuaValue]
    {
        var result: [String: LuaValue] = [:]
        for name in given.keys.sorted() where command.argument(name) == nil {
            throw PluginArgumentError(
                plugin: plugin, command: command.name, message: "unknown argument '\(name)'\(suggestion(name, command))"
            )
        }
        for argument in command.arguments {
            let value = given[argument.name] ?? argument.defaultText.map { .text($0) } ?? .nil
            if value.isNil {
                if argument.required {
                    throw PluginArgumentError(
                        plugin: plugin, command: command.name, message: "\(argument.flag) is required")
                }
                continue
            }
            do {
                result[argument.name] = try convert(value, argument)
            } catch let error as ArgumentValueError {
                throw PluginArgumentError(
                    plugin: plugin, command: command.name, message: "\(argument.flag): \(error.message)")
            }
        }
        return result
    }

    struct ArgumentValueError: Error { var message: String }

    static func convert(_ value: LuaValue, _ argument: PluginArgument) throws -> LuaValue {
        switch argument.kind {
        case .path:
            guard let text = value.stringValue, !text.isEmpty else {
                throw ArgumentValueError(message: "expects a file name")
            }
            return .text(text)
        case .list:
            if case .table(let t) = value { return .array(t.toArray().map { .text($0.stringValue ?? "\($0)") }) }
            guard let text = value.stringValue else {
                throw ArgumentValueError(message: "expects a comma-separated list")
            }
            return .array(text.split(separator: ",").map { .text(String($0).trimmingSpacesAndTabs()) })
        case .field(let type):
            return try convertField(value, type)
        }
    }

    static func convertField(_ value: LuaValue, _ type: FieldType) throws -> LuaValue {
        // A reference given by label (`东梁村`) is looked up in the workspace when the command
        // runs (`PluginRuntime.resolveReferences`); an id is checked here like any integer.
        if case .ref = type, case .string(let s) = value, Int64(s.description.trimmingSpacesAndTabs()) == nil,
            !s.description.trimmingSpacesAndTabs().isEmpty
        {
            return .text(s.description.trimmingSpacesAndTabs())
        }
        let input: FieldInput
        switch value {
        case .boolean(let b):
            guard type == .bool else { throw ArgumentValueError(message: "\(b) is not a \(type.name)") }
            return .boolean(b)
        case .integer(let n): input = .integer(n)
        case .number(let d): input = .double(d)
        case .string(let s): input = .text(s.description)
        default: throw ArgumentValueError(message: "expects a \(type.name), not a \(value.typeName)")
        }
        let spec = FieldSpec("argument", type, "argument", allowsNegative: true)
        do {
            switch try spec.checked(input, collection: "arguments") {
            case .null: return .nil
            case .text(let t), .date(let t): return .text(t)
            case .integer(let n): return .integer(n)
            case .number(let d): return .number(d)
            case .money(let m): return m.fen % 100 == 0 ? .integer(m.fen / 100) : .number(Double(m.fen) / 100)
            case .area(let a):
                return a.hundredths % 100 == 0 ? .integer(a.hundredths / 100) : .number(Double(a.hundredths) / 100)
            case .bool(let b): return .boolean(b)
            }
        } catch let error as ValidationError {
            throw ArgumentValueError(message: "\(error.value.isEmpty ? "" : error.value + " ")\(error.reason)")
        }
    }
}

/// A command called with arguments that do not fit its declaration.
public struct PluginArgumentError: Error, Sendable, CustomStringConvertible {
    public var plugin: String
    public var command: String
    public var message: String
    public var description: String { "\(plugin) \(command): \(message)" }
}
