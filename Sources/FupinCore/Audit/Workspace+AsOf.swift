import Foundation
import GRDB

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
            return try read { db in
                try Int64.fetchOne(db, sql: #"SELECT MAX("id") FROM "audit_log" WHERE "id" <= ?"#, arguments: [sequence])
            }
        }
        // Times are ISO text in UTC, so a prefix and "~" (after every digit, ':', '.', 'Z')
        // bound every entry of that day, minute or second.
        let dayText = String(text.prefix(10))
        guard CalendarDate(parsing: dayText) != nil,
              text.count == 10 || (text.count >= 13 && text[text.index(text.startIndex, offsetBy: 10)] == "T") else {
            throw StorageFailure("--as-of \(text): give a date (2020-01-15), a UTC time (2020-01-15T08:30) or an audit sequence number")
        }
        let bound = text + "~"
        return try read { db in
            try Int64.fetchOne(db, sql: #"SELECT MAX("id") FROM "audit_log" WHERE "time" <= ?"#, arguments: [bound])
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
        let time = try read { db in
            try String.fetchOne(db, sql: #"SELECT "time" FROM "audit_log" WHERE "id" = ?"#, arguments: [sequence])
        }
        return time.map { String($0.prefix(10)) }
    }

    /// Writes into `folder` a workspace database holding the ledgers as they stood at audit
    /// sequence `sequence`: a copy of this one with every later entry undone, newest first
    /// (an insert deleted, an update or removal put back from its before value), and those
    /// entries dropped from the copy's log. Returns the number of entries undone.
    ///
    /// Example: `try ws.snapshot(atSequence: 25, into: tmp)`; then `Workspace.open(at: tmp)`.
    @discardableResult
    public func snapshot(atSequence sequence: Int64, into folder: URL) throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = Workspace.databaseURL(in: folder).path
        try backup(to: path)
        let copy = try DatabaseQueue(path: path)
        defer { try? copy.close() }
        return try copy.write { db in
            let later = try AuditEntry.filter(AuditEntry.Columns.id > sequence)
                .order(AuditEntry.Columns.id.desc).fetchAll(db)
            for entry in later { try Workspace.undo(entry, in: db) }
            try db.execute(sql: #"DELETE FROM "audit_log" WHERE "id" > ?"#, arguments: [sequence])
            return later.count
        }
    }

    /// Undoes one audit entry in `db` (see `snapshot`).
    static func undo(_ entry: AuditEntry, in db: Database) throws {
        let table = entry.collection.replacingOccurrences(of: "\"", with: "\"\"")
        switch entry.action {
        case AuditLog.Action.insert.rawValue:
            try db.execute(sql: "DELETE FROM \"\(table)\" WHERE \"id\" BETWEEN ? AND ?",
                           arguments: [entry.recordID, entry.lastRecordID ?? entry.recordID])
        default:
            guard let before = entry.beforeObject else {
                throw StorageFailure("audit entry \(entry.id ?? 0) (\(entry.action) of \(entry.collection) #\(entry.recordID)) has no before value to restore")
            }
            let names = before.keys.filter { $0 != "id" }.sorted()
            let values = names.map { databaseValue(before[$0]) }
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \"\(table)\" WHERE \"id\" = ?)",
                                           arguments: [entry.recordID]) ?? false
            let quoted = names.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            if exists {
                let sets = quoted.map { "\($0) = ?" }.joined(separator: ", ")
                guard !sets.isEmpty else { return }
                try db.execute(sql: "UPDATE \"\(table)\" SET \(sets) WHERE \"id\" = ?",
                               arguments: StatementArguments(values + [entry.recordID.databaseValue]))
            } else {
                let columns = (["\"id\""] + quoted).joined(separator: ", ")
                let marks = Array(repeating: "?", count: names.count + 1).joined(separator: ", ")
                try db.execute(sql: "INSERT INTO \"\(table)\" (\(columns)) VALUES (\(marks))",
                               arguments: StatementArguments([entry.recordID.databaseValue] + values))
            }
        }
    }

    /// A JSON value of an audit record as SQLite stores it (numbers stay integers when whole).
    static func databaseValue(_ value: Any?) -> DatabaseValue {
        switch value {
        case let text as String: return text.databaseValue
        case let number as NSNumber:
            let double = number.doubleValue
            if double == double.rounded(), abs(double) < 9.0e15 { return number.int64Value.databaseValue }
            return double.databaseValue
        default: return .null
        }
    }
}
