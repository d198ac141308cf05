import GRDBSQLite

/// What a read-only statement may do, decided per action as SQLite compiles it (see `SQLGuard`):
/// read tables, select, recurse, call functions of `functions`, and run the pragmas of
/// `readingPragmas` in their reading form. Everything else — writes, schema changes, ATTACH and
/// DETACH, transaction control, other pragmas and functions — is refused with a sentence naming it.
///
/// Example: `ReadOnlyPolicy.refusal(SQLITE_PRAGMA, "query_only", "1", label: "fp.sql")` →
/// "fp.sql is read-only: PRAGMA query_only(1) is not allowed (only reading pragmas such as table_info)".
enum ReadOnlyPolicy {
    /// Pragmas that only report, allowed with no argument or, for the table-describing ones, a
    /// table or index name. Flag pragmas (query_only, writable_schema, foreign_keys = ...) change
    /// the connection while the statement compiles, so their setting form never gets that far.
    static let readingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check", "user_version", "schema_version", "application_id",
        "page_count", "page_size", "freelist_count", "encoding", "data_version", "database_list", "collation_list",
        "function_list", "module_list", "pragma_list", "compile_options",
        // settings, read only in their no-argument form
        "query_only", "writable_schema", "locking_mode", "journal_mode", "foreign_keys", "synchronous", "cache_size",
        "busy_timeout", "trusted_schema", "recursive_triggers", "case_sensitive_like",
    ]

    /// Pragmas of `readingPragmas` whose argument names a table or index (not a new value).
    static let pragmasTakingAName: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check",
    ]

    /// SQL functions a read-only statement may call: SQLite's core scalar, aggregate, window,
    /// date, math and JSON functions that compute from their arguments. Left out on purpose:
    /// anything reaching outside the statement (load_extension, fts3_tokenizer, readfile,
    /// sqlite_offset, the connection-state functions) and the blob makers that allocate what
    /// they are told (zeroblob, randomblob).
    static let functions: Set<String> = [
        // scalar
        "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif", "instr",
        "length", "like", "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "octet_length", "printf",
        "quote", "random", "replace", "round", "rtrim", "sign", "soundex", "substr", "substring", "trim", "typeof",
        "unhex", "unicode", "unlikely", "upper", "sqlite_version",
        // aggregate
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // window
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",
        // date and time
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        // math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees",
        "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt",
        "tan", "tanh", "trunc",
        // JSON
        "json", "json_array", "json_array_length", "json_extract", "json_insert", "json_object", "json_patch",
        "json_quote", "json_remove", "json_replace", "json_set", "json_type", "json_valid", "json_group_array",
        "json_group_object", "json_each", "json_tree",
    ]

    /// Why `action` (with SQLite's two first authorizer arguments) is refused, or nil to allow it.
    static func refusal(_ action: Int32, _ first: String?, _ second: String?, label: String) -> String? {
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return nil
        case SQLITE_UPDATE where first == "sqlite_master" || first == "sqlite_schema":
            // SQLite asks this while it sets up a table-valued function (pragma_table_info(),
            // json_each()) for the statement; nothing is written. A real UPDATE of the schema
            // table is still refused: the statement would not be read-only (checked after
            // preparing), and defensive mode forbids writing the schema at all.
            return nil
        case SQLITE_FUNCTION:
            let name = (second ?? "").lowercased()
            if functions.contains(name) { return nil }
            return "\(label) does not allow the SQL function \(name)() (it may reach outside the query)"
        case SQLITE_PRAGMA:
            let name = (first ?? "").lowercased()
            let shown = "PRAGMA \(name)" + (second.map { "(\($0))" } ?? "")
            if readingPragmas.contains(name) && (second == nil || pragmasTakingAName.contains(name)) { return nil }
            return "\(label) is read-only: \(shown) is not allowed (only reading pragmas such as table_info)"
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            let keyword =
                action == SQLITE_SAVEPOINT
                ? (first == "BEGIN" ? "SAVEPOINT" : first ?? "SAVEPOINT") : (first ?? "BEGIN")
            return "\(label) cannot end or nest the unit's transaction (\(keyword)); use fp.transaction(fn)"
        case SQLITE_ATTACH:
            return "\(label) cannot attach or detach databases (ATTACH)"
        case SQLITE_DETACH:
            return "\(label) cannot attach or detach databases (DETACH)"
        default:
            let target = first.map { " (\($0))" } ?? ""
            return "\(label) is read-only: this statement would write or change the schema\(target)"
        }
    }
}
