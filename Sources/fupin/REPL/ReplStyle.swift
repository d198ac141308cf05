import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Colours for the prompt, errors and notes — only on a terminal, and never when the
/// `NO_COLOR` environment variable is set (https://no-color.org).
///
/// ```swift
/// let style = ReplStyle.detect()
/// print(style.error("stdin:1: boom"))
/// ```
struct ReplStyle {
    var enabled: Bool

    static let plain = ReplStyle(enabled: false)

    /// Colour when standard output is a terminal and `NO_COLOR` is unset.
    static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> ReplStyle {
        ReplStyle(enabled: isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil)
    }

    private func paint(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }

    /// A prompt for libedit: the escape codes sit between \u{1} markers so line editing
    /// does not count them as columns. libedit drops a marked sequence at the very end of
    /// a prompt, so the colour ends before the prompt's trailing blanks (and a prompt
    /// without one gets none).
    func prompt(_ text: String) -> String {
        guard enabled else { return text }
        // Trimmed by hand: a regular expression here was the first use of ICU's regex engine,
        // 10 M instructions before the first prompt (BENCHMARKS.md, start-up).
        var body = Substring(text)
        while body.last == " " { body = body.dropLast() }
        let blanks = String(text.dropFirst(body.count))
        return "\u{1}\u{1B}[1;32m\u{2}" + body + "\u{1}\u{1B}[0m\u{2}" + (blanks.isEmpty ? " " : blanks)
    }

    func error(_ text: String) -> String { paint(text, "31") }
    func note(_ text: String) -> String { paint(text, "2") }
    func emphasis(_ text: String) -> String { paint(text, "1") }
}

/// Where the REPL writes. Standard output goes through C stdio, which libedit shares, so the
/// prompt and results never interleave out of order; standard error is flushed after it.
enum ReplOutput {
    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        print(text)
    }

    /// Writes `text` to standard output without a newline.
    static func write(_ text: String) {
        print(text, terminator: "")
    }

    /// Writes `text` and a newline to standard error, after flushing standard output.
    static func error(_ text: String) {
        fflush(nil)
        var message = text
        if !message.hasSuffix("\n") { message += "\n" }
        FileHandle.standardError.write(Data(message.utf8))
    }

    static func flush() { fflush(nil) }
}
