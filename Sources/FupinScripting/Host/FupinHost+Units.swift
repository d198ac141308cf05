import Foundation
import FupinCore
import GRDB
import LuaKit

/// What a unit of work changed, per collection (from the audit log it wrote).
///
/// ```swift
/// let (_, changes) = try host.runUnit(dryRun: true) { ... }
/// print(changes.description)   // "households: 1 added, 0 updated, 0 removed ..."
/// ```
public struct ChangeSummary: Sendable, CustomStringConvertible {
    public struct Entry: Sendable {
        public var collection: String
        public var action: String
        public var recordID: Int64
        public var after: String?
    }
    public var entries: [Entry] = []

    public var isEmpty: Bool { entries.isEmpty }

    /// Counts per collection and action, then the records.
    public var description: String {
        if entries.isEmpty { return "no changes" }
        var lines: [String] = []
        let collections = entries.map(\.collection).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for c in collections {
            let mine = entries.filter { $0.collection == c }
            let n = { (a: String) in mine.filter { $0.action == a }.count }
            lines.append("\(c): \(n("insert")) added, \(n("update")) updated, \(n("remove")) removed")
            for e in mine {
                lines.append("  \(e.action) #\(e.recordID)\(e.after.map { " " + $0 } ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension FupinHost {
    /// Runs `body` as one unit of work: one transaction, committed if `body` returns, rolled
    /// back if it throws or when `dryRun` is set. Returns the result and, for a dry run, what
    /// would have changed. Units do not nest: inside one, use `fp.transaction` (a savepoint).
    public func runUnit<T>(dryRun: Bool = false, _ body: () throws -> T) throws -> (T, ChangeSummary?) {
        if db != nil { return (try body(), nil) }
        return try workspace.database.writeWithoutTransaction { db in
            var result: T?
            var summary: ChangeSummary?
            try db.inTransaction {
                self.db = db
                self.unitGeneration += 1
                // SQL of this unit stops where Lua code would: at the time limit or on Ctrl-C.
                let sqlGuard = self.workspace.sqlGuard
                sqlGuard.shouldStop = { [unowned self] in self.lua.limitReached() || self.hostMemoryStops() }
                defer {
                    sqlGuard.shouldStop = nil
                    for cursor in self.openCursors { cursor.cursor = nil; cursor.finished = true }
                    self.openCursors.removeAll()
                    self.db = nil
                    self.unitGeneration += 1
                }
                let auditStart = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM audit_log") ?? 0
                result = try body()
                if dryRun {
                    summary = try self.changes(since: auditStart, in: db)
                    return .rollback
                }
                return .commit
            }
            guard let result else { throw LuaScriptError("unit of work produced no result") }
            return (result, summary)
        }
    }

    /// The audit entries written after `auditID`, as a change summary.
    func changes(since auditID: Int64, in db: Database) throws -> ChangeSummary {
        var summary = ChangeSummary()
        let rows = try Row.fetchAll(db, sql: "SELECT collection, action, record_id, after FROM audit_log WHERE id > ? ORDER BY id",
                                    arguments: [auditID])
        for row in rows {
            let collection: String = row["collection"]
            let after: String? = row["after"]
            summary.entries.append(.init(collection: collection, action: row["action"],
                                         recordID: row["record_id"], after: after.map { readable($0, collection) }))
        }
        return summary
    }

    /// A record's audit JSON (fen, hundredths, 0/1) as `field=value` text the way users see
    /// values (`AuditDisplay`: yuan, 亩, 是/否, personal data masked).
    func readable(_ json: String, _ collection: String) -> String {
        guard let schema = workspace.schema[collection], let data = json.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return json }
        var parts: [String] = []
        for field in schema.fields {
            guard let text = AuditDisplay.text(object[field.name], field: field) else { continue }
            parts.append("\(field.name)=\(text)")
        }
        return parts.joined(separator: " ")
    }
}
