/// A count with its noun in the right number, for messages: "1 record", "2 records".
///
/// Example: `Plural.count(1, "row")` → "1 row"; `Plural.count(3, "bad row")` → "3 bad rows".
public enum Plural {
    /// `n` and `noun`, the noun with an "s" unless `n` is 1 (or `plural` when given).
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
    }
}
