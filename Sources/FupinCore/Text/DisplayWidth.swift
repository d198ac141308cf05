import CText

/// Display width of text in terminal columns, from the C library's `wcwidth` under a UTF-8
/// locale: CJK characters take 2 columns, combining marks 0, ASCII 1. Control characters are
/// never sent to the terminal as they are: `visible(_:)` shows them escaped (`\n`, `\t`,
/// `\u{1B}`) and `width(_:)` counts them as their escape, so `width(s) == width(visible(s))`.
///
/// ```swift
/// DisplayWidth.width("郝九为")              // 6
/// DisplayWidth.truncate("东梁村散养鸡", to: 7) // "东梁村…" (6 + 1 columns; never half a character)
/// DisplayWidth.pad("刘三", to: 6)           // "刘三  "
/// ```
public enum DisplayWidth {
    /// The ellipsis that marks truncated text (one column).
    public static let ellipsis = "…"

    /// Horizontal alignment inside a padded cell.
    public enum Alignment: String, Sendable, Hashable {
        case left, right
    }

    /// Columns taken by `text` once shown with `visible(_:)`.
    public static func width(_ text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += width(of: scalar) }
        return total
    }

    /// Columns taken by one Unicode scalar as shown: 0 for combining marks and other
    /// zero-width scalars, 2 for wide (CJK, most emoji), 1 otherwise; control characters count
    /// as the length of their escape (`\n` is 2, `\u{1B}` is 6).
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value >= 0x20 && value < 0x7F { return 1 }
        if isControl(scalar) { return escape(scalar).utf8.count }
        _ = localeReady
        let columns = Int(fped_wcwidth(value))
        // wcwidth is -1 for unassigned or non-printing scalars; terminals show those as one cell.
        return columns < 0 ? 1 : columns
    }

    /// Columns taken by one character (a grapheme cluster): the sum of its scalars.
    public static func width(of character: Character) -> Int {
        var total = 0
        for scalar in character.unicodeScalars { total += width(of: scalar) }
        return total
    }

    /// `text` with control characters replaced by visible escapes: `\n`, `\r`, `\t`, and
    /// `\u{XX}` for the rest (C0, DEL, C1). Returns `text` itself when there is nothing to escape.
    ///
    /// Example: `DisplayWidth.visible("a\tb") == "a\\tb"`.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` (made visible) cut to at most `columns` columns, ending with "…" when cut. A wide
    /// character that would cross the limit is left out whole, so the result may be one column
    /// narrower than asked; `pad` fills it.
    ///
    /// Example: `DisplayWidth.truncate("郝九为", to: 4) == "郝…"` (3 columns: 九 would not fit).
    public static func truncate(_ text: String, to columns: Int) -> String {
        let shown = visible(text)
        guard columns > 0 else { return "" }
        if width(shown) <= columns { return shown }
        let ellipsisWidth = width(ellipsis)
        if columns < ellipsisWidth { return "" }
        let budget = columns - ellipsisWidth
        var kept = ""
        var used = 0
        for character in shown {
            let w = width(of: character)
            if used + w > budget { break }
            kept.append(character)
            used += w
        }
        return kept + ellipsis
    }

    /// `text` padded with spaces to `columns` columns (left or right aligned). Text already
    /// wider is returned as it is; truncate it first.
    public static func pad(_ text: String, to columns: Int, alignment: Alignment = .left) -> String {
        let missing = columns - width(text)
        guard missing > 0 else { return text }
        let spaces = String(repeating: " ", count: missing)
        return alignment == .left ? text + spaces : spaces + text
    }

    /// `text` made visible, cut to `columns` and padded to exactly `columns` columns.
    public static func fit(_ text: String, to columns: Int, alignment: Alignment = .left) -> String {
        pad(truncate(text, to: columns), to: columns, alignment: alignment)
    }

    // MARK: - Internals

    /// Set up once, the first time a width is needed: a UTF-8 LC_CTYPE (LC_NUMERIC stays "C").
    /// Loads the locale `wcwidth` needs now rather than on the first wide character: a
    /// process that will forbid itself to open files (a plugin worker) calls it beforehand.
    public static func prepare() { _ = localeReady }

    private static let localeReady: Bool = {
        fped_setup_locale()
        return true
    }()

    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (value >= 0x7F && value < 0xA0)
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "\\u{" + (hex.count < 2 ? "0" + hex : hex) + "}"
        }
    }
}
