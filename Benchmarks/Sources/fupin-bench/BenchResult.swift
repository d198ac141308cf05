import Foundation

/// One benchmark line: `name: ours=<value> peer=<value> ratio=<ours/peer> target=<target>`.
struct BenchResult: Codable {
    var name: String
    var ours: Double
    var peer: Double
    var target: Double?
    var note: String?

    var ratio: Double { peer > 0 ? ours / peer : .infinity }

    var line: String {
        var s = "\(name): ours=\(String(format2: ours)) peer=\(String(format2: peer)) ratio=\(String(format2: ratio))"
        s += " target=" + (target.map { String(format2: $0) } ?? "report")
        if let note { s += "  (\(note))" }
        return s
    }
}

extension String {
    /// A number with up to 3 significant decimals, for benchmark lines.
    init(format2 value: Double) {
        self = String(format: value >= 100 ? "%.1f" : "%.3f", value)
    }
}

extension Array where Element == Double {
    var median: Double {
        guard !isEmpty else { return .nan }
        let s = sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

extension Duration {
    var nanoseconds: Double {
        let (s, atto) = components
        return Double(s) * 1e9 + Double(atto) / 1e9
    }
}
