import Foundation
import FupinREPL
import LuaKit

/// The meta-commands every session has: `:help`, `:load`, `:timing`, `:mode`, `:history`
/// and `:quit`.
///
/// ```text
/// > :mode json
/// > {a = 1}
/// {"a": 1}
/// ```
enum BuiltinMetaCommands {
    static func register(in session: ReplSession) {
        session.register(metaCommand: help)
        session.register(metaCommand: load)
        session.register(metaCommand: timing)
        session.register(metaCommand: mode)
        session.register(metaCommand: pager)
        session.register(metaCommand: history)
        session.register(metaCommand: quit)
    }

    static var help: ReplMetaCommand {
        ReplMetaCommand(
            name: "help", aliases: ["?"], arguments: "[TOPIC]",
            summary: "List the commands, or explain a command or topic.",
            help: "`:help load` explains :load; `:help keys` lists the editing keys.",
            completeArgument: { session, previous, _ in
                guard previous.isEmpty else { return [] }
                return session.metaCommands.commands.map(\.name) + session.helpTopics.map(\.name)
            },
            run: { session, args in
                ReplOutput.line(try ReplHelp.text(for: args.first, in: session))
            })
    }

    static var load: ReplMetaCommand {
        ReplMetaCommand(
            name: "load", arguments: "FILE",
            summary: "Run a Lua file in this session and show what it returns.",
            help: """
                The file runs as one unit of work in the REPL's environment: it sees the prompt's \
                locals, and its globals stay defined afterwards. Its own locals stay its own.
                """,
            completeArgument: { _, previous, partial in
                previous.isEmpty ? FileNameCompletion.files(matching: partial) : []
            },
            run: { session, args in
                guard args.words.count == 1, let path = args.first else { throw ReplCommandError("usage: :load FILE") }
                let expanded = path.hasPrefix("~/") ? NSHomeDirectory() + path.dropFirst() : path
                switch try session.environment.compile(file: expanded) {
                case .success(let function): session.runInput(function)
                case .failure(let error): session.report(error)
                }
            })
    }

    static var timing: ReplMetaCommand {
        ReplMetaCommand(
            name: "timing", arguments: "on|off",
            summary: "Show how long each input takes.",
            completeArgument: { _, previous, _ in previous.isEmpty ? ["on", "off"] : [] },
            run: { session, args in
                switch args.first {
                case nil: break
                case "on"?: session.showsTiming = true
                case "off"?: session.showsTiming = false
                default: throw ReplCommandError("usage: :timing on|off")
                }
                ReplOutput.line(session.style.note("timing is " + (session.showsTiming ? "on" : "off")))
            })
    }

    static var pager: ReplMetaCommand {
        ReplMetaCommand(
            name: "pager", arguments: "on|off",
            summary: "Page results taller than the terminal through $PAGER (default less -S).",
            help: "On by default; only when the output is a terminal. PAGER chooses the program.",
            completeArgument: { _, previous, _ in previous.isEmpty ? ["on", "off"] : [] },
            run: { session, args in
                switch args.first {
                case nil: break
                case "on"?: session.pagesOutput = true
                case "off"?: session.pagesOutput = false
                default: throw ReplCommandError("usage: :pager on|off")
                }
                ReplOutput.line(
                    session.style.note("pager is " + (session.pagesOutput ? "on (\(Pager.command))" : "off")))
            })
    }

    static var mode: ReplMetaCommand {
        ReplMetaCommand(
            name: "mode", arguments: ReplOutputMode.allCases.map(\.rawValue).joined(separator: "|"),
            summary: "Choose how results are shown.",
            help: """
                table: records and queries as aligned tables, other tables pretty-printed (default).
                csv:   lists of records as comma-separated values.
                json:  every result as JSON.
                """,
            completeArgument: { _, previous, _ in previous.isEmpty ? ReplOutputMode.allCases.map(\.rawValue) : [] },
            run: { session, args in
                if let name = args.first {
                    guard let mode = ReplOutputMode(rawValue: name) else {
                        throw ReplCommandError(
                            "usage: :mode " + ReplOutputMode.allCases.map(\.rawValue).joined(separator: "|"))
                    }
                    session.mode = mode
                }
                ReplOutput.line(session.style.note("mode is " + session.mode.rawValue))
            })
    }

    static var history: ReplMetaCommand {
        ReplMetaCommand(
            name: "history", arguments: "[N]",
            summary: "Show the last N inputs (default 20).",
            help: "History is kept in $XDG_STATE_HOME/fupin/history (mode 0600); Ctrl-R searches it.",
            run: { session, args in
                var count = 20
                if let text = args.first {
                    guard let n = Int(text), n > 0 else { throw ReplCommandError("usage: :history [N]") }
                    count = n
                }
                let entries = session.editor?.entries ?? []
                let first = max(0, entries.count - count)
                let width = String(entries.count).count
                for (i, entry) in entries.enumerated().dropFirst(first) {
                    let number = String(i + 1)
                    let lines = entry.split(separator: "\n", omittingEmptySubsequences: false)
                    let pad = String(repeating: " ", count: width - number.count)
                    ReplOutput.line(
                        session.style.note(pad + number) + "  "
                            + lines.joined(separator: "\n" + String(repeating: " ", count: width + 2)))
                }
            })
    }

    static var quit: ReplMetaCommand {
        ReplMetaCommand(
            name: "quit", aliases: ["q", "exit"],
            summary: "Leave the REPL (Ctrl-D on an empty line does too).",
            run: { session, _ in session.quit() })
    }
}
