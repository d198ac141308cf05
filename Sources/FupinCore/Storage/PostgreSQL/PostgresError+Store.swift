import Foundation

/// PostgreSQL's errors tell their kind to generic code by SQLSTATE (`StoreFailure`).
extension PostgresError: StoreError {
    public var storeFailure: StoreFailure? {
        switch sqlState {
        case "57014": return .interrupted
        // lock_not_available (a lock timeout): another writer held the rows too long.
        case "55P03": return .busy
        case "23505": return .constraint(.unique, table: table, column: column ?? keyColumn)
        case "23502": return .constraint(.notNull, table: table, column: column)
        case "23503": return .constraint(.foreignKey, table: table, column: column ?? keyColumn)
        case "23514": return .constraint(.check, table: table, column: column)
        default:
            if kind == .cancelled { return .interrupted }
            return sqlState?.hasPrefix("23") == true ? .constraint(.other, table: table, column: column) : nil
        }
    }

    /// The first column of the key a unique or foreign-key error's detail names
    /// ("Key (number)=(H1) already exists." → `number`).
    var keyColumn: String? {
        guard let detail, let open = detail.range(of: "Key (") else { return nil }
        let rest = detail[open.upperBound...]
        let name = rest.prefix { $0 != ")" && $0 != "," }
        return name.isEmpty ? nil : String(name).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}
