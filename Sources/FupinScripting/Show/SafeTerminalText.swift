import Foundation

/// Text from plugins made safe to show on a terminal: control characters (ESC, BEL, backspace,
/// carriage return, C1 controls, DEL) are written as visible escapes (`\x1b`, `\u{9b}`) instead of
/// reaching the terminal, where they could move the cursor, rewrite what was shown, set the
/// window title or answer back. Line feeds and tabs stay. Output that is not a terminal (a pipe,
/// a file) is left as it is: there the bytes are the data.
///
/// Example: `SafeTerminalText.escapingControls("a\u{1b}[2Jb") == "a\\x1b[2Jb"`.
public enum SafeTerminalText {
    /// `text` with its control characters escaped.
    public static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if !isControl(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x80 {
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x0A && v != 0x09) || v == 0x7F || (v >= 0x80 && v < 0xA0)
    }

    /// Whether standard output / standard error is a terminal (asked once).
    public static let standardOutputIsTerminal = isatty(STDOUT_FILENO) == 1
    public static let standardErrorIsTerminal = isatty(STDERR_FILENO) == 1

    /// `text` as it should be written to standard output.
    public static func forStandardOutput(_ text: String) -> String {
        standardOutputIsTerminal ? escapingControls(text) : text
    }

    /// `text` as it should be written to standard error.
    public static func forStandardError(_ text: String) -> String {
        standardErrorIsTerminal ? escapingControls(text) : text
    }
}
