import FupinCore
import FupinScripting
import LuaKit

/// Explains `fp.nosuch` at the prompt: `fp` is a plain table, so a name that is not a
/// collection is `nil` (scripts test `if fp.sales then`), and `fp.nosuch:count()` fails with
/// Lua's "attempt to index a nil value". The REPL adds what the person needs: that there is
/// no such collection, the closest name, and — when a disabled plugin declares that ledger —
/// why the plugin is disabled.
///
/// ```text
/// > fp.visit:count()
/// stdin:1: attempt to index a nil value (field 'visit')
/// fp has no collection 'visit' (did you mean 'visits'?)
/// ```
enum FpReplHints {
    /// The hint for `input` (and the error `message`, nil for a `nil` result), or nil.
    static func hint(input: String, message: String?, host: FupinHost) -> String? {
        guard let fp = host.fpTable else { return nil }
        for name in referencedNames(in: input) where fp.rawGet(.string(LuaString(name))).isNil {
            if let message {
                guard message.contains("a nil value (field '\(name)')") else { continue }
            } else {
                guard input.trimmingCharacters(in: .whitespacesAndNewlines) == "fp.\(name)" else { continue }
            }
            return explanation(name, host: host)
        }
        return nil
    }

    /// "fp has no collection 'X'" with a suggestion and the reason a plugin providing it is off.
    static func explanation(_ name: String, host: FupinHost) -> String {
        var text = "fp has no collection '\(name)'"
        let disabled = host.plugins?.plugins.filter { !$0.isEnabled } ?? []
        if let plugin = disabled.first(where: { $0.manifest?.ledgers.contains { $0.name == name } == true }) {
            return text + ": plugin \(plugin.name), which provides it, is disabled (\(plugin.problem ?? "not loaded"))"
        }
        var names = host.workspace.schema.names
        host.fpTable?.forEach { key, _ in
            if case .string(let s)? = key, let n = s.string, !n.hasPrefix("_") { names.append(n) }
        }
        if let close = NameSuggestion.closest(to: name, among: names) { text += " (did you mean '\(close)'?)" }
        if !disabled.isEmpty {
            text += "; disabled plugins: " + disabled.map(\.name).joined(separator: ", ") + " (:plugins says why)"
        }
        return text
    }

    /// The names written `fp.NAME`, `fp["NAME"]` or `fp['NAME']` in `text`.
    static func referencedNames(in text: String) -> [String] {
        let chars = Array(text.unicodeScalars)
        func isName(_ c: Unicode.Scalar) -> Bool {
            c == "_" || c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c)
        }
        var names: [String] = []
        var i = 0
        while i + 2 < chars.count {
            defer { i += 1 }
            guard chars[i] == "f", chars[i + 1] == "p", i == 0 || !(isName(chars[i - 1]) || chars[i - 1] == ".") else {
                continue
            }
            var j = i + 2
            var quote: Unicode.Scalar?
            if chars[j] == "." {
                j += 1
            } else if chars[j] == "[", j + 1 < chars.count, chars[j + 1] == "\"" || chars[j + 1] == "'" {
                quote = chars[j + 1]
                j += 2
            } else {
                continue
            }
            var name = ""
            while j < chars.count, quote != nil ? chars[j] != quote : isName(chars[j]) {
                name.unicodeScalars.append(chars[j])
                j += 1
            }
            if !name.isEmpty { names.append(name) }
        }
        return names
    }
}
