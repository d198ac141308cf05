/// The name a person most likely meant when they typed one that does not exist: a field,
/// a collection, a command.
///
/// Distance is Damerau–Levenshtein over characters (a swap of two neighbours counts one),
/// measured against the whole candidate and against each `_`-separated part of it, so
/// `nmae` finds `head_name` and `vilage_id` finds `village_id`. A candidate is offered only
/// when it is close for its length (at most one edit for short words, two from six
/// characters, three from ten); a whole name beats a part at the same distance, and ties go
/// to the earlier candidate.
///
/// ```swift
/// NameSuggestion.closest(to: "nmae", among: ["id", "head_name", "phone"])   // "head_name"
/// NameSuggestion.closest(to: "zzz", among: ["id", "head_name"])            // nil
/// ```
public enum NameSuggestion {
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let typed = Array(name.lowercased())
        guard !typed.isEmpty else { return nil }
        let allowed = typed.count >= 10 ? 3 : typed.count >= 6 ? 2 : 1
        // Score: twice the distance, plus one when only a part matched, so that a whole
        // name wins over a part at the same distance.
        var best: (name: String, score: Int)?
        for candidate in candidates where candidate != name {
            let whole = Array(candidate.lowercased())
            var distance = self.distance(typed, whole)
            var score = distance * 2
            for part in candidate.lowercased().split(separator: "_") where part.count > 1 && part.count < whole.count {
                let partDistance = self.distance(typed, Array(part))
                if partDistance * 2 + 1 < score { (distance, score) = (partDistance, partDistance * 2 + 1) }
            }
            if distance <= allowed, score < (best?.score ?? Int.max) { best = (candidate, score) }
        }
        return best?.name
    }

    /// Edits (insert, delete, substitute, swap neighbours) turning `a` into `b`.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}
