import Foundation

/// One `:command` of the REPL: its name, its help, what it does.
///
/// The REPL registers `:help`, `:load`, `:timing`, `:mode`, `:history` and `:quit`; other
/// layers add theirs with `ReplSession.register(metaCommand:)`:
///
/// ```swift
/// session.register(metaCommand: ReplMetaCommand(
///     name: "schema", arguments: "NAME", summary: "Show the fields of a collection.",
///     completeArgument: { _, previous, partial in previous.isEmpty ? collectionNames : [] },
///     run: { session, args in
///         guard let name = args.first else { throw ReplCommandError("usage: :schema NAME") }
///         ReplOutput.line(try describeSchema(name))
///     }))
/// ```
///
/// A command that runs Lua should do it through `session.evaluate(_:)`, so it is one unit of
/// work that Ctrl-C can interrupt, and show values with `session.show(_:)`.
struct ReplMetaCommand {
    /// The name typed after `:`.
    var name: String
    /// Other names that run the same command (`:q` for `:quit`).
    var aliases: [String] = []
    /// The arguments, as shown in help: "FILE", "[N]", "on|off".
    var arguments: String = ""
    /// One line for the `:help` list.
    var summary: String
    /// More text for `:help NAME`.
    var help: String = ""
    /// Candidates for the word being typed: given the complete words before it and the
    /// partial word, returns full replacements of the partial word.
    var completeArgument: ((ReplSession, _ previous: [String], _ partial: String) -> [String])? = nil
    /// Runs the command; an error is reported and the session goes on.
    var run: (ReplSession, ReplArguments) throws -> Void

    /// `:name ARGS`, as help shows it.
    var usage: String { ":" + name + (arguments.isEmpty ? "" : " " + arguments) }
}

/// The arguments of a meta-command: the raw text after its name, and that text split into
/// words on blanks, where '...' or "..." keeps blanks inside a word.
///
/// ```swift
/// let args = ReplArguments(text: #"report "my file.lua" 2019"#)
/// args.words   // ["report", "my file.lua", "2019"]
/// ```
struct ReplArguments {
    var text: String
    var words: [String]

    init(text: String) {
        self.text = text
        self.words = ReplArguments.split(text).words
    }

    var first: String? { words.first }
    var isEmpty: Bool { words.isEmpty }
    subscript(index: Int) -> String? { index < words.count ? words[index] : nil }

    /// The words of `text`, and the unfinished last word (nil after trailing blanks).
    static func split(_ text: String) -> (words: [String], partial: String?) {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        for c in text {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        let endsInWord = inWord
        return (words, endsInWord ? words.last : nil)
    }
}

/// An error a meta-command reports as a plain message (no traceback).
struct ReplCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// The session's meta-commands, in the order they were registered.
struct MetaCommandRegistry {
    private(set) var commands: [ReplMetaCommand] = []

    /// Adds `command`, replacing one of the same name.
    mutating func register(_ command: ReplMetaCommand) {
        if let i = commands.firstIndex(where: { $0.name == command.name }) {
            commands[i] = command
        } else {
            commands.append(command)
        }
    }

    /// The command called `name` or with that alias; else the only one whose name starts
    /// with `name` (so `:hist` is `:history`).
    func lookup(_ name: String) -> ReplMetaCommand? {
        if let exact = commands.first(where: { $0.name == name || $0.aliases.contains(name) }) { return exact }
        let matches = commands.filter { $0.name.hasPrefix(name) }
        return matches.count == 1 ? matches[0] : nil
    }

    /// Whether a line is a meta-command rather than Lua (`::label::` is Lua).
    static func isMetaCommand(_ line: String) -> Bool {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        return trimmed.hasPrefix(":") && !trimmed.hasPrefix("::")
    }

    /// Splits `:name rest` into the name and the rest.
    static func parse(_ line: String) -> (name: String, arguments: ReplArguments) {
        var body = Substring(line).drop(while: { $0 == " " || $0 == "\t" })
        if body.hasPrefix(":") { body = body.dropFirst() }
        let name = body.prefix(while: { $0 != " " && $0 != "\t" })
        let rest = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        return (String(name), ReplArguments(text: rest))
    }
}
