/// What to tell the user when the server refuses a raw read (`fp.sql`) for want of privilege
/// (SQLSTATE 42501): the server's words, and when the statement names a column the role may not
/// read (a personal column of a role granted without `pii`), which one and the grant it needs.
/// The server's own message names only the table ("permission denied for table households").
///
/// Example: `PostgresPrivilegeRefusal.message(label: "fp.sql", serverMessage: m, sql: s, unreadable: u)` →
/// "fp.sql: the server refused: permission denied for table households — households.head_id_number
/// is personal; your role has no --pii grant (fupin access grant ROLE --town TOWN --pii)".
enum PostgresPrivilegeRefusal {
    static func message(label: String, serverMessage: String, sql: String, unreadable: [String: Set<String>])
        -> String
    {
        let text = "\(label): the server refused: \(serverMessage)"
        let words = identifiers(sql)
        var named: [String] = []
        var starred: [String] = []
        for (table, columns) in unreadable.sorted(by: { $0.key < $1.key }) where words.contains(table) {
            let hit = columns.filter(words.contains).sorted()
            named += hit.map { "\(table).\($0)" }
            if hit.isEmpty && sql.contains("*") { starred.append(table) }
        }
        let grant = "your role has no --pii grant (fupin access grant ROLE --town TOWN --pii)"
        if !named.isEmpty {
            let verb = named.count == 1 ? "is" : "are"
            return "\(text) — \(named.joined(separator: ", ")) \(verb) personal; \(grant)"
        }
        if !starred.isEmpty {
            let list = starred.map { table in
                "\(table) (\((unreadable[table] ?? []).sorted().joined(separator: ", ")))"
            }
            return
                "\(text) — * takes the personal columns of \(list.joined(separator: ", ")); name the other columns, or ask for a --pii grant: \(grant)"
        }
        return text
    }

    /// The lowercased words of `sql` that could be identifiers (quoted or not); string literals
    /// and comments are not told apart, which at worst names a column the statement did not.
    static func identifiers(_ sql: String) -> Set<String> {
        var words = Set<String>()
        var current = ""
        for character in sql.lowercased() {
            if character == "_" || character.isLetter || character.isNumber {
                current.append(character)
            } else {
                if !current.isEmpty { words.insert(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.insert(current) }
        return words
    }
}
