/// A closed list of values a field may take, e.g. 致贫原因. Values are stored as the text of the
/// canonical value; `aliases` map other spellings met in files (e.g. "国贫户" → "国家") to it,
/// and `labels` give the Chinese label of a coded value (e.g. "in" → "收入").
///
/// Example: `Vocabularies.householdStandard.contains("国家") == true`.
public struct Vocabulary: Sendable, Hashable {
    /// Code name, e.g. "household_standard".
    public let name: String
    /// Chinese label, e.g. "识别标准".
    public let label: String
    /// Canonical values in display order.
    public let values: [String]
    /// Other spellings accepted on input, mapped to a canonical value.
    public let aliases: [String: String]
    /// Chinese labels for coded values (only where values are codes such as "in"/"out").
    public let labels: [String: String]
    private let valueSet: Set<String>

    public init(
        _ name: String, _ label: String, _ values: [String],
        aliases: [String: String] = [:], labels: [String: String] = [:]
    ) {
        self.name = name
        self.label = label
        self.values = values
        self.aliases = aliases
        self.labels = labels
        self.valueSet = Set(values)
    }

    /// Whether `value` is a canonical value.
    public func contains(_ value: String) -> Bool { valueSet.contains(value) }

    /// The canonical value for `input`: itself, its alias target, or the value whose label it is;
    /// nil when none matches. Surrounding spaces are ignored.
    public func canonical(_ input: String) -> String? {
        if valueSet.contains(input) { return input }
        let trimmed = input.trimmingSpaces()
        if valueSet.contains(trimmed) { return trimmed }
        if let target = aliases[trimmed] { return target }
        for (value, label) in labels where label == trimmed { return value }
        return nil
    }

    /// The Chinese label of a value (the value itself when it is already Chinese).
    public func label(of value: String) -> String { labels[value] ?? value }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.name == rhs.name && lhs.values == rhs.values && lhs.aliases == rhs.aliases
            && lhs.labels == rhs.labels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(values)
    }
}

extension String {
    /// The string without leading/trailing ASCII spaces, tabs, full-width spaces and newlines.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
