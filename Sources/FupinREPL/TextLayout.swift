import FupinCore

/// Nested text that is laid out on one line when it fits, else one item per line.
///
/// ```swift
/// let node = LayoutNode.group(open: "{", close: "}", padded: true,
///                             items: [LayoutItem("", .atom("1")), LayoutItem("x = ", .atom("2"))])
/// node.layout(width: 80)   // "{ 1, x = 2 }"
/// ```
/// One entry of a group: a prefix (a key) and its value.
public struct LayoutItem {
    public var prefix: String
    public var node: LayoutNode
    public init(_ prefix: String, _ node: LayoutNode) {
        self.prefix = prefix
        self.node = node
    }
}

public indirect enum LayoutNode {
    case atom(String)
    /// Items each with a prefix (a key); `padded` puts spaces inside the brackets.
    case group(open: String, close: String, padded: Bool, items: [LayoutItem])

    /// The text, indented by `indent` columns when it breaks, fitting `width` if possible.
    /// `lead` is what its first line follows beyond the indent (a key such as `fields = `),
    /// so a group that would fit only without it breaks.
    public func layout(indent: Int = 0, lead: Int = 0, width: Int) -> String {
        switch self {
        case .atom(let text):
            return text
        case .group(let open, let close, let padded, let items):
            guard !items.isEmpty else { return open + close }
            let parts = items.map {
                $0.prefix + $0.node.layout(indent: indent + 2, lead: DisplayWidth.width($0.prefix), width: width)
            }
            let pad = padded ? " " : ""
            let inline = open + pad + parts.joined(separator: ", ") + pad + close
            if !inline.contains("\n") && indent + lead + DisplayWidth.width(inline) <= width {
                return inline
            }
            let inner = String(repeating: " ", count: indent + 2)
            let outer = String(repeating: " ", count: indent)
            let lines: [String]
            if items.allSatisfy({ $0.prefix.isEmpty }) && !parts.contains(where: { $0.contains("\n") }) {
                lines = LayoutNode.fill(parts, width: width - indent - 2)  // a long list: several per line
            } else {
                lines = parts
            }
            return open + "\n" + lines.map { inner + $0 }.joined(separator: ",\n") + "\n" + outer + close
        }
    }
}

extension LayoutNode {
    /// Packs `parts` into lines of at most `width` columns, joined by ", ".
    public static func fill(_ parts: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for part in parts {
            if current.isEmpty {
                current = part
            } else if DisplayWidth.width(current) + 2 + DisplayWidth.width(part) + 1 <= width {
                current += ", " + part
            } else {
                lines.append(current)
                current = part
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
