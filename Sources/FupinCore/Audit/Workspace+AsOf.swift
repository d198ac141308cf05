import Foundation

/// The workspace as it stood at an earlier point of its audit log: every change recorded after
/// that point is undone from the entries' before values, in a copy, never in the workspace.
///
/// A published figure can so be re-derived after later corrections: `fupin report annual
/// --year 2019 --as-of 2020-01-15` reads the ledgers as they were on 15 January 2020.
extension Workspace {
    /// The audit sequence (the id of the last entry) at `moment`: a number is a sequence itself;
    /// an ISO date (`2020-01-15`) means the end of that day and an ISO date-time
    /// (`2020-01-15T08:30`) that instant, both in UTC as the log records time. Nil when the log
    /// holds nothing that early (the workspace was then empty).
    ///
    /// Example: `try ws.auditSequence(asOf: "2019-12-31")` → `25`.
    public func auditSequence(asOf moment: String) throws -> Int64? {
        let text = moment.trimmingCharacters(in: .whitespaces)
        if let sequence = Int64(text) {
            guard sequence >= 0 else { throw StorageFailure("--as-of \(text): a sequence is 0 or more") }
            return try store.read { c in
                try c.fetchInt(
                    c.dialect.numbered(#"SELECT MAX("id") FROM "audit_log" WHERE "id" <= ?"#), [.integer(sequence)])
            }
        }
        // Times are ISO text in UTC, so a prefix and "~" (after every digit, ':', '.', 'Z')
        // bound every entry of that day, minute or second.
        let dayText = String(text.prefix(10))
        guard CalendarDate(parsing: dayText) != nil,
            text.count == 10 || (text.count >= 13 && text[text.index(text.startIndex, offsetBy: 10)] == "T")
        else {
            throw StorageFailure(
                "--as-of \(text): give a date (2020-01-15), a UTC time (2020-01-15T08:30) or an audit sequence number")
        }
        let bound = text + "~"
        return try store.read { c in
            try c.fetchInt(c.dialect.numbered(#"SELECT MAX("id") FROM "audit_log" WHERE "time" <= ?"#), [.text(bound)])
        }
    }

    /// The day (`YYYY-MM-DD`, UTC as the log records time) that `moment`, as `auditSequence`
    /// reads it, stands on: a date itself, a time's date, or for a sequence number the date of
    /// that entry (nil when the log holds none that early). A command run `--as-of` takes it as
    /// its today (`ctx.today`).
    ///
    /// Example: `try ws.auditDay(asOf: "2020-01-15T08:30")` → `"2020-01-15"`.
    public func auditDay(asOf moment: String) throws -> String? {
        let text = moment.trimmingCharacters(in: .whitespaces)
        guard Int64(text) != nil else { return String(text.prefix(10)) }
        guard let sequence = try auditSequence(asOf: text) else { return nil }
        let time = try store.read { c in
            try c.fetchValue(
                c.dialect.numbered(#"SELECT "time" FROM "audit_log" WHERE "id" = ?"#), [.integer(sequence)])
        }
        guard case .text(let stamp)? = time else { return nil }
        return String(stamp.prefix(10))
    }

    /// Undoes, in `store` (a copy of the workspace's data), every audit entry after `sequence`,
    /// newest first (an insert deleted, an update or removal put back from its before value),
    /// and drops those entries from its log. Returns the number of entries undone.
    static func undoEntries(after sequence: Int64, in store: any StoreConnection) throws -> Int {
        let later = try AuditLog.entries(store, after: sequence).reversed()
        for entry in later { try Workspace.undo(entry, in: store) }
        try store.execute(store.dialect.numbered(#"DELETE FROM "audit_log" WHERE "id" > ?"#), [.integer(sequence)])
        return later.count
    }

    /// Undoes one audit entry in `store` (see `undoEntries`).
    static func undo(_ entry: AuditEntry, in store: any StoreConnection) throws {
        let d = store.dialect
        let table = d.quote(entry.collection)
        switch entry.action {
        case AuditLog.Action.insert.rawValue:
            try store.execute(
                d.numbered("DELETE FROM \(table) WHERE \"id\" BETWEEN ? AND ?"),
                [.integer(entry.recordID), .integer(entry.lastRecordID ?? entry.recordID)])
        default:
            guard let before = entry.beforeObject else {
                throw StorageFailure(
                    "audit entry \(entry.id ?? 0) (\(entry.action) of \(entry.collection) #\(entry.recordID)) has no before value to restore"
                )
            }
            let names = before.keys.filter { $0 != "id" }.sorted()
            let values = names.map { databaseValue(before[$0]) }
            let exists =
                try store.fetchInt(d.numbered("SELECT 1 FROM \(table) WHERE \"id\" = ?"), [.integer(entry.recordID)])
                != nil
            let quoted = names.map(d.quote)
            if exists {
                let sets = quoted.map { "\($0) = ?" }.joined(separator: ", ")
                guard !sets.isEmpty else { return }
                try store.execute(
                    d.numbered("UPDATE \(table) SET \(sets) WHERE \"id\" = ?"), values + [.integer(entry.recordID)])
            } else {
                let columns = ([d.quote("id")] + quoted).joined(separator: ", ")
                let marks = Array(repeating: "?", count: names.count + 1).joined(separator: ", ")
                try store.execute(
                    d.numbered("INSERT INTO \(table) (\(columns)) VALUES (\(marks))"),
                    [.integer(entry.recordID)] + values)
            }
        }
    }

    /// A JSON value of an audit record as the store holds it (numbers stay integers when whole).
    static func databaseValue(_ value: Any?) -> SQLValue {
        switch value {
        case let text as String: return text.sqlValue
        case let number as NSNumber:
            let double = number.doubleValue
            if double == double.rounded(), abs(double) < 9.0e15 { return number.int64Value.sqlValue }
            return double.sqlValue
        default: return .null
        }
    }
}
