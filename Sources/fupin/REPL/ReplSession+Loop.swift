import CTerminal
import CText
import Foundation
import FupinREPL
import LuaKit

/// The interactive loop (lua.c's `doREPL`): read an input, run it, show it, go on.
extension ReplSession {
    /// Runs the prompt until Ctrl-D, `:quit` or the end of input. Returns the exit status.
    ///
    /// ```swift
    /// let status = session.runInteractive(history: .standard())
    /// ```
    func runInteractive(history: HistoryFile?) -> Int32 {
        fped_setup_locale()  // before libedit starts, or it drops Chinese input
        TerminalModes.remember()
        defer { TerminalModes.putBack() }
        let editor = LineEditor(history: history) { [unowned self] before in
            ReplCompleter(session: self).complete(before)
        }
        self.editor = editor
        defer { self.editor = nil }
        ReplInterrupts.install(for: lua)
        defer { ReplInterrupts.uninstall() }

        ReplOutput.line(ReplHelp.banner(style: style))
        for note in bannerNotes { ReplOutput.line(style.note(note)) }
        if let problem = editor.historyProblem {
            ReplOutput.error(style.note("history is not saved: \(problem)"))
        }
        while !isFinished {
            switch editor.read(prompt: style.prompt(primaryPrompt)) {
            case .end:
                ReplOutput.line("")
                return 0
            case .interrupted:
                ReplOutput.line("")  // Ctrl-C at the prompt: drop the line
            case .line(let line):
                handle(firstLine: line, editor: editor)
            }
        }
        return 0
    }

    /// Handles an input that starts with `line`: a meta-command, or Lua that may need more
    /// lines.
    private func handle(firstLine line: String, editor: LineEditor) {
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
        if MetaCommandRegistry.isMetaCommand(line) {
            editor.remember(line)
            timed { runMetaCommand(line) }
            return
        }
        let compiler = LuaChunkCompiler(environment: environment, chunkName: chunkName)
        var text = line
        while true {
            let outcome: LuaChunkCompiler.Outcome
            do {
                outcome = try compiler.compile(text)
            } catch {
                report(error)
                return
            }
            switch outcome {
            case .ready(let function, _):
                editor.remember(text)
                currentInput = text
                defer { currentInput = nil }
                timed { runInput(function) }
                return
            case .failed(let error):
                editor.remember(text)
                report(error)
                return
            case .incomplete(let error):
                switch editor.read(prompt: style.prompt(continuationPrompt)) {
                case .line(let more):
                    text += "\n" + more
                case .interrupted:
                    ReplOutput.line("")  // Ctrl-C cancels the whole unfinished input
                    return
                case .end:
                    editor.remember(text)
                    report(error)  // as lua.c: the chunk ended unfinished
                    quit()
                    return
                }
            }
        }
    }

    /// Runs `:name args`, reporting an unknown command or the command's error.
    func runMetaCommand(_ line: String) {
        let (name, arguments) = MetaCommandRegistry.parse(line)
        guard let command = metaCommands.lookup(name) else {
            report(ReplCommandError("unknown command :\(name) (:help lists them)"))
            return
        }
        do {
            try command.run(self, arguments)
        } catch {
            report(error)
        }
    }
}
