import ArgumentParser
import Foundation

/// `fupin eval CODE` and `fupin run FILE [ARGS...]`, the commands scripts start most, read
/// without ArgumentParser when their words are plain: the shared options, `--dry-run` for run,
/// and the code or the script. ArgumentParser's reflection — the Swift runtime's first
/// protocol-conformance lookups, each a scan of every conformance record of the static binary —
/// was 14 of the 38 M instructions `fupin eval 'return 1'` took to start (BENCHMARKS.md).
/// Anything else (help, a misspelt option, `--`, a missing value) goes to ArgumentParser,
/// which parses it as before and says what is wrong.
///
/// Example: `["eval", "--workspace", "w", "return 1"]` runs; `["eval", "--hlep"]` returns.
enum PlainCommandLine {
    /// Runs a plain `eval` or `run` and exits with its status; returns for any other words.
    static func runIfPlain(_ words: [String]) {
        guard let command = words.first, command == "eval" || command == "run" else { return }
        var options = WorkspaceOptions()
        // Every property wrapper is given a value: ArgumentParser refuses to read unset ones.
        options.workspace = nil
        options.operatorName = nil
        var dryRun = false
        var positional: [String] = []
        var i = 1
        while i < words.count {
            let word = words[i]
            // After run's script every word is the script's own.
            if command == "run", !positional.isEmpty {
                positional.append(word)
                i += 1
                continue
            }
            if !word.hasPrefix("-") || word == "-" {
                positional.append(word)
                i += 1
            } else if command == "run", word == "--dry-run" {
                dryRun = true
                i += 1
            } else if let (name, value, used) = optionValue(words, at: i) {
                if name == "--workspace" { options.workspace = value } else { options.operatorName = value }
                i += used
            } else {
                return
            }
        }
        guard command == "run" ? !positional.isEmpty : positional.count == 1,
            (try? options.validate()) != nil
        else { return }
        do {
            if command == "eval" {
                try EvalCommand.evaluate(positional[0], options)
            } else {
                try RunCommand.execute(positional[0], arguments: Array(positional.dropFirst()), dryRun: dryRun, options)
            }
        } catch {
            Fupin.exit(withError: error)
        }
        Fupin.exit()
    }

    /// Opens the REPL and exits with its status when `words` are plain for it: none, or `repl`,
    /// with only the shared options and `--no-history`; returns for any other words. The REPL
    /// is the command a person starts most, and ArgumentParser's reflection was 15 M of the
    /// instructions before its first prompt.
    ///
    /// Example: `[]`, `["--workspace", "w"]` and `["repl", "--no-history"]` run; `["repl", "-x"]`
    /// returns.
    static func runReplIfPlain(_ words: [String]) {
        let rest = words.first == "repl" ? Array(words.dropFirst()) : words
        var options = WorkspaceOptions()
        options.workspace = nil
        options.operatorName = nil
        var noHistory = false
        var i = 0
        while i < rest.count {
            if rest[i] == "--no-history" {
                noHistory = true
                i += 1
            } else if let (name, value, used) = optionValue(rest, at: i) {
                if name == "--workspace" { options.workspace = value } else { options.operatorName = value }
                i += used
            } else {
                return
            }
        }
        guard (try? options.validate()) != nil else { return }
        var command = ReplCommand()
        command.options = options
        command.noHistory = noHistory
        do {
            try command.run()
        } catch {
            Fupin.exit(withError: error)
        }
        Fupin.exit()
    }

    /// `--workspace DIR`, `--workspace=DIR` (and `--operator`) at `i`: the option, its value and
    /// how many words it took; nil for anything else.
    static func optionValue(_ words: [String], at i: Int) -> (String, String, Int)? {
        let word = words[i]
        for name in GlobalOptions.names {
            if word == name, i + 1 < words.count, !words[i + 1].hasPrefix("-") { return (name, words[i + 1], 2) }
            if word.hasPrefix(name + "=") { return (name, String(word.dropFirst(name.count + 1)), 1) }
        }
        return nil
    }
}
