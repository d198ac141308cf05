/// What `fp.sql` must refuse beyond what SQLite calls read-only.
///
/// `sqlite3_stmt_readonly` is true for transaction control (BEGIN, COMMIT, END, ROLLBACK,
/// SAVEPOINT, RELEASE) and for ATTACH/DETACH: none of them changes a database file by itself,
/// but `fp.sql("COMMIT")` would end the unit of work early (its writes so far committed, the
/// rest not: half a unit) and ATTACH creates files anywhere. PRAGMA assignments change the
/// connection while counting as read-only. The first keyword is read past leading blanks and
/// comments, so `/* x */ COMMIT` is caught too.
///
/// Example: `ReadOnlySQL.refusal("/* x */ commit")` → "fp.sql cannot end or nest the unit's transaction (COMMIT)"
enum ReadOnlySQL {
    static let transactionControl: Set<String> = ["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"]

    /// Why `sql` may not run through fp.sql although SQLite calls it read-only, or nil.
    static func refusal(_ sql: String) -> String? {
        let keyword = firstKeyword(sql)
        if transactionControl.contains(keyword) {
            return "fp.sql cannot end or nest the unit's transaction (\(keyword)); use fp.transaction(fn)"
        }
        if keyword == "ATTACH" || keyword == "DETACH" { return "fp.sql cannot attach or detach databases (\(keyword))" }
        if keyword == "PRAGMA" && sql.contains("=") { return "fp.sql is read-only: this statement would write" }
        return nil
    }

    /// The first word of `sql`, upper-cased, after blanks and `--` / `/* */` comments.
    static func firstKeyword(_ sql: String) -> String {
        var bytes = Substring(sql).utf8[...]
        while let first = bytes.first {
            if first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D || first == 0x0C || first == 0x0B {
                bytes = bytes.dropFirst()
            } else if bytes.starts(with: "--".utf8) {
                bytes = bytes.drop { $0 != 0x0A }
            } else if bytes.starts(with: "/*".utf8) {
                bytes = bytes.dropFirst(2)
                while !bytes.isEmpty && !bytes.starts(with: "*/".utf8) { bytes = bytes.dropFirst() }
                bytes = bytes.dropFirst(2)
            } else {
                break
            }
        }
        let word = bytes.prefix { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        return String(decoding: word, as: UTF8.self).uppercased()
    }
}
