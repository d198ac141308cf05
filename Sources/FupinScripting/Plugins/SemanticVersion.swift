/// A semantic version `MAJOR.MINOR.PATCH` (a missing minor or patch counts as 0; a
/// pre-release or build suffix after `-` or `+` is kept for display and ignored in order).
///
/// Example: `SemanticVersion("1.2")! < SemanticVersion("1.10.0")!`.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    public var text: String

    public init?(_ text: String) {
        let core = text.split(whereSeparator: { $0 == "-" || $0 == "+" }).first.map(String.init) ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), part.count <= 9, let n = Int(part)
            else { return nil }
            numbers.append(n)
        }
        while numbers.count < 3 { numbers.append(0) }
        (major, minor, patch) = (numbers[0], numbers[1], numbers[2])
        self.text = text
    }

    public var description: String { text }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
    }
}

/// A requirement on another plugin: `"ledgers"`, `"ledgers >= 1.0"`, `"report ^1.2"`,
/// `"x >= 1.0, < 2.0"` (all comparisons must hold). Operators: `=`, `>`, `>=`, `<`, `<=`,
/// `^` (same major, at least this), `~` (same major and minor, at least this).
///
/// Example: `PluginRequirement(parsing: "ledgers >= 1.0")?.isSatisfied(by: SemanticVersion("1.2.0")!) == true`.
public struct PluginRequirement: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case atLeast = ">=", atMost = "<=", greater = ">", less = "<", equal = "=", caret = "^", tilde = "~"
    }
    public var plugin: String
    public var constraints: [(Operator, SemanticVersion)]
    public var text: String

    /// Parses a requirement; nil with `error` set when it is malformed.
    public init(parsing text: String) throws(PluginRequirementError) {
        self.text = text
        let trimmed = text.trimmingSpacesAndTabs()
        let name = String(trimmed.prefix { !" \t<>=^~".contains($0) })
        guard PluginManifest.isValidName(name) else {
            throw PluginRequirementError(text: text, reason: "does not start with a plugin name")
        }
        plugin = name
        constraints = []
        let rest = trimmed.dropFirst(name.count)
        for piece in rest.split(separator: ",") {
            var spec = Substring(piece.description.trimmingSpacesAndTabs())
            if spec.isEmpty { throw PluginRequirementError(text: text, reason: "has an empty version range") }
            // Longest operator first so ">=" is not read as ">".
            guard
                let op = Operator.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
                    .first(where: { spec.hasPrefix($0.rawValue) })
            else {
                throw PluginRequirementError(
                    text: text, reason: "needs an operator (>=, >, <=, <, =, ^, ~) before the version")
            }
            spec = spec.dropFirst(op.rawValue.count)
            guard let version = SemanticVersion(spec.description.trimmingSpacesAndTabs()) else {
                throw PluginRequirementError(text: text, reason: "has a version that is not MAJOR.MINOR.PATCH")
            }
            constraints.append((op, version))
        }
    }

    /// Whether `version` meets every constraint.
    public func isSatisfied(by version: SemanticVersion) -> Bool {
        constraints.allSatisfy { op, bound in
            switch op {
            case .atLeast: return version >= bound
            case .atMost: return version <= bound
            case .greater: return version > bound
            case .less: return version < bound
            case .equal: return version == bound
            case .caret: return version >= bound && version.major == bound.major
            case .tilde: return version >= bound && version.major == bound.major && version.minor == bound.minor
            }
        }
    }

    public var description: String { text }

    public static func == (a: PluginRequirement, b: PluginRequirement) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// A malformed requirement string.
public struct PluginRequirementError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "requirement \"\(text)\" \(reason)" }
}

extension StringProtocol {
    func trimmingSpacesAndTabs() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}
