import CEdit
import CTerminal
import Foundation
import FupinREPL

#if canImport(Glibc)
    import Glibc
#endif

/// Reads lines from the terminal with libedit: cursor keys, emacs editing keys, Ctrl-R
/// history search, tab completion, and history kept in a file between sessions.
///
/// Ctrl-C at the prompt comes back as `.interrupted` (libedit stops reading when the
/// REPL's SIGINT handler runs, see `ReplInterrupts`); Ctrl-D on an empty line as `.end`.
/// Call `fped_setup_locale()` first, or libedit drops Chinese input.
///
/// ```swift
/// let editor = LineEditor(history: .standard()) { before in completer.complete(before) }
/// if case .line(let text) = editor.read(prompt: "> ") { editor.remember(text) }
/// ```
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        case interrupted
        case end
    }

    /// Candidates for the text before the cursor (see `ReplCompletion`).
    let completer: (String) -> ReplCompletion?
    let history: HistoryFile?
    /// Why history is not being saved, if it is not.
    private(set) var historyProblem: String?
    private var lastEntry: String?

    init(
        programName: String = "fupin", history: HistoryFile?, maxHistory: Int = 1000,
        completer: @escaping (String) -> ReplCompletion?
    ) {
        self.completer = completer
        self.history = history
        _ = fped_edit_init(programName)
        fped_history_limit(Int32(maxHistory))
        if let history {
            do {
                try history.prepare()
                _ = read_history(history.path)
                let count = fped_history_length()
                if count > 0, let last = fped_history_entry(count - 1) { lastEntry = String(cString: last) }
            } catch {
                historyProblem = "\(error)"
            }
        }
        fped_set_completer(completeForLibedit, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        fped_set_completer(nil, nil)
    }

    /// Shows `prompt` and reads one line (without its newline).
    func read(prompt: String) -> Input {
        _ = fped_sigint_take()
        ReplOutput.flush()
        fped_leave_canonical_mode(STDIN_FILENO)
        let raw = readline(prompt)
        // libedit does not always put the cooked modes back (after Ctrl-D it leaves echo
        // off): the code that runs next, and the shell after us, get the terminal as it was.
        fped_terminal_restore()
        guard let raw else {
            return fped_sigint_take() != 0 ? .interrupted : .end
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    /// Adds an input to the history (not twice in a row) and saves the history file.
    func remember(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty, entry != lastEntry else { return }
        lastEntry = entry
        _ = add_history(entry)
        save()
    }

    /// Writes the history file (mode 0600). The whole file is rewritten after each input,
    /// so a session that ends abruptly still keeps its history.
    func save() {
        guard let history, historyProblem == nil else { return }
        if write_history(history.path) != 0 {
            historyProblem = "cannot write history file \(history.path)"
            return
        }
        try? history.restrict()
    }

    /// The terminal's width as libedit knows it.
    var columns: Int? {
        var rows: Int32 = 0
        var columns: Int32 = 0
        rl_get_screen_size(&rows, &columns)
        return columns > 0 ? Int(columns) : nil
    }

    /// The history, oldest first.
    var entries: [String] {
        (0..<fped_history_length()).compactMap { i in fped_history_entry(i).map { String(cString: $0) } }
    }
}

/// libedit's completion callback: asks the editor's completer and returns a readline-style
/// array (the common prefix of the candidates, then the candidates, then NULL) allocated
/// with malloc, which libedit frees.
private func completeForLibedit(
    _ context: UnsafeMutableRawPointer?, _ text: UnsafePointer<CChar>?,
    _ line: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
    guard let context, let text, let line else { return nil }
    let editor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
    let word = Array(String(cString: text).unicodeScalars)
    // libedit counts `start`/`end` in characters; the line is UTF-8.
    let scalars = Array(String(cString: line).unicodeScalars)
    var before = Int(end) <= scalars.count ? Array(scalars[0..<Int(max(0, end))]) : word
    if !before.ends(with: word) { before = word }
    guard let completion = editor.completer(String(String.UnicodeScalarView(before))),
        !completion.candidates.isEmpty
    else { return nil }
    let replacements = completion.replacements(forWord: word)
    guard !replacements.isEmpty else { return nil }
    let common = replacements.dropFirst().reduce(replacements[0]) { prefix, next in
        Array(zip(prefix, next).prefix(while: { $0 == $1 }).map(\.0))
    }
    let list = [common] + replacements
    guard let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (list.count + 2)) else { return nil }
    let result = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: list.count + 2)
    for (i, item) in list.enumerated() {
        result[i] = strdup(String(String.UnicodeScalarView(item)))
    }
    result[list.count] = nil
    result[list.count + 1] = nil
    return result
}
