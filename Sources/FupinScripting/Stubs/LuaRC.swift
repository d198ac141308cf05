import Foundation

/// The `.luarc.json` that points the Lua language server (LuaLS) at the stub folder: Lua 5.4,
/// the stubs as a library, and `fp` as a known global. An existing file is merged: its other
/// settings are kept, the stub folder is added to `workspace.library` once, and `fp` to
/// `diagnostics.globals` once (both the flat `"workspace.library"` and the nested
/// `{"workspace": {"library": ...}}` spellings are understood). A file that already has
/// these settings comes back unchanged.
///
/// ```swift
/// let text = try LuaRC.render(libraryPath: ".fupin/stubs", merging: nil)
/// // {
/// //   "$schema": "https://raw.githubusercontent.com/LuaLS/vscode-lua/master/setting/schema.json",
/// //   "runtime.version": "Lua 5.4",
/// //   "workspace.library": [".fupin/stubs"],
/// //   "diagnostics.globals": ["fp"]
/// // }
/// ```
public enum LuaRC {
    /// The file name LuaLS looks for at the root of the folder an editor opens.
    public static let fileName = ".luarc.json"

    /// An existing `.luarc.json` that is not a JSON object (LuaLS also reads comments; this
    /// merge does not, so such a file is left alone and the settings are printed instead).
    public struct MergeError: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The text of `.luarc.json` for stubs in `libraryPath` (relative to the file's folder, or
    /// absolute), merged into `existing` when given.
    public static func render(libraryPath: String, merging existing: String?) throws(MergeError) -> String {
        guard let existing, !existing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return fresh(libraryPath: libraryPath)
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(existing.utf8))
        } catch {
            throw MergeError(
                reason: "not plain JSON (comments cannot be merged); add these settings by hand:\n"
                    + fresh(libraryPath: libraryPath))
        }
        guard var object = parsed as? [String: Any] else {
            throw MergeError(
                reason: "does not hold a JSON object; add these settings by hand:\n" + fresh(libraryPath: libraryPath))
        }
        let original = NSDictionary(dictionary: object)
        set(&object, "runtime", "version", to: "Lua 5.4", append: false)
        set(&object, "workspace", "library", to: libraryPath, append: true)
        set(&object, "diagnostics", "globals", to: "fp", append: true)
        if original.isEqual(to: object) { return existing }  // already set up: leave the file as it is
        do {
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw MergeError(reason: "cannot be written back: \(error.localizedDescription)")
        }
    }

    /// A new file's text.
    static func fresh(libraryPath: String) -> String {
        """
        {
          "$schema": "https://raw.githubusercontent.com/LuaLS/vscode-lua/master/setting/schema.json",
          "runtime.version": "Lua 5.4",
          "workspace.library": [\(quote(libraryPath))],
          "diagnostics.globals": ["fp"]
        }

        """
    }

    /// Sets `section.key` (nested when the file nests that section, else flat) to `value`, or
    /// appends `value` to its list once when `append`.
    private static func set(
        _ object: inout [String: Any], _ section: String, _ key: String, to value: String, append: Bool
    ) {
        func updated(_ current: Any?) -> Any {
            guard append else { return value }
            var list = (current as? [Any]) ?? (current.map { [$0] } ?? [])
            if !list.contains(where: { ($0 as? String) == value }) { list.append(value) }
            return list
        }
        if var nested = object[section] as? [String: Any] {
            nested[key] = updated(nested[key])
            object[section] = nested
        } else {
            object[section + "." + key] = updated(object[section + "." + key])
        }
    }

    /// A JSON string literal (the quoting fp.format's JSON mode uses).
    static func quote(_ text: String) -> String { TableRenderer.jsonString(text) }
}
