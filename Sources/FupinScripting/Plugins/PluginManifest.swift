import FupinCore

/// What `Plugins/<name>/plugin.lua` declares (docs/plugins.md "The manifest"), checked.
///
/// Example: `manifest.permissions.contains(.write)`; `manifest.command("record")?.arguments`.
public struct PluginManifest: Sendable {
    /// The plugin API versions this host runs.
    public static let supportedAPIs = [1]

    public var name: String
    public var version: SemanticVersion
    public var api: Int
    public var title: String
    public var description: String
    public var requires: [PluginRequirement]
    public var permissions: Set<PluginPermission>
    public var limits: PluginLimits
    /// Ledgers in declaration order (sorted by name: Lua tables have no order).
    public var ledgers: [CollectionSchema]
    public var commands: [PluginCommandSpec]
    /// Whether the manifest has an `exports` table for plugins that require this one.
    public var hasExports: Bool
    /// Names of the exports (for stubs and `plugins info`).
    public var exportNames: [String]

    /// Whether the plugin may write at all (`write`, or `write:own` for its own ledgers).
    public var mayWrite: Bool { permissions.contains(.write) || permissions.contains(.writeOwn) }

    /// The collections it may write: nil for any (`write`), else its own ledgers.
    public var writableCollections: Set<String>? {
        permissions.contains(.write) ? nil : Set(ledgers.map(\.name))
    }

    public func command(_ name: String) -> PluginCommandSpec? {
        commands.first { $0.name == name || $0.name == name.replacingOccurrences(of: "-", with: "_") }
    }

    /// Plugin names: lower-case ASCII letters, digits and `-`, starting with a letter.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (97...122).contains(first), name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
    }
}

/// A permission a plugin asks for; the host enforces each (docs/plugins.md "The sandbox").
public enum PluginPermission: String, Sendable, CaseIterable, DeclarationOrdered {
    /// `write` changes any collection; `write:own` only the plugin's own ledgers.
    case read, write, writeOwn = "write:own", export, pii
}

/// Cases that sort in the order they are declared.
public protocol DeclarationOrdered: CaseIterable, Comparable where AllCases: RandomAccessCollection {}

extension DeclarationOrdered {
    public static func < (a: Self, b: Self) -> Bool {
        let all = Array(allCases)
        return (all.firstIndex(of: a) ?? 0) < (all.firstIndex(of: b) ?? 0)
    }
}

/// Memory and time a command may use.
public struct PluginLimits: Sendable, Equatable {
    public var memoryBytes: Int
    public var seconds: Double

    /// What a command gets when its manifest asks for nothing.
    public static let hostDefault = PluginLimits(memoryBytes: 256 << 20, seconds: 60)
    /// The most a manifest may ask for.
    public static let hostMaximum = PluginLimits(memoryBytes: 2048 << 20, seconds: 1800)

    public init(memoryBytes: Int, seconds: Double) {
        self.memoryBytes = memoryBytes
        self.seconds = seconds
    }
}

/// One command a plugin offers: `fupin PLUGIN COMMAND --arg value ...`.
public struct PluginCommandSpec: Sendable {
    public var name: String
    public var summary: String
    public var arguments: [PluginArgument]
    /// Extra lines for `--help` (examples).
    public var help: String?

    public func argument(_ name: String) -> PluginArgument? {
        let key = name.replacingOccurrences(of: "-", with: "_")
        return arguments.first { $0.name == key }
    }
}

/// One argument of a command: typed like a ledger field, plus `path`.
public struct PluginArgument: Sendable {
    public enum Kind: Sendable, Equatable {
        case field(FieldType)
        case path
        case list

        public var name: String {
            switch self {
            case .field(let type): return type.name
            case .path: return "path"
            case .list: return "list"
            }
        }
    }
    /// As Lua sees it (`unit_price`); on the command line with `-` (`--unit-price`).
    public var name: String
    public var kind: Kind
    public var required: Bool
    public var short: Character?
    public var help: String
    /// Shown in help and used when the argument is not given (already converted).
    public var defaultText: String?
    /// Given without `--name` (in order).
    public var positional: Bool

    public var flag: String { "--" + name.replacingOccurrences(of: "_", with: "-") }
    public var isBool: Bool { if case .field(.bool) = kind { return true } else { return false } }
}

/// A manifest that cannot be used, with one line per wrong field.
public struct PluginManifestError: Error, Sendable, CustomStringConvertible {
    public var plugin: String
    public var problems: [String]
    public var description: String {
        "plugin \(plugin): " + (problems.count == 1 ? problems[0] : problems.map { "\n  " + $0 }.joined())
    }
}
