import Foundation

/// What a unit of work changed, per collection (from the audit log it wrote).
///
/// ```swift
/// let mark = try AuditLog.mark(in: unit.store)
/// ... writes ...
/// print(try ws.changes(since: mark, in: unit.store).description)   // "households: 1 added, 0 updated, 0 removed ..."
/// ```
public struct ChangeSummary: Sendable, CustomStringConvertible {
    public struct Entry: Sendable {
        public var collection: String
        public var action: String
        public var recordID: Int64
        public var after: String?
    }
    public var entries: [Entry] = []

    public init() {}

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

extension AuditLog {
    /// The id of the newest entry: taken before a unit of work runs, so `changes(since:)` can
    /// tell what the unit wrote.
    public static func mark(in store: any StoreConnection) throws -> Int64 {
        try store.fetchInt("SELECT COALESCE(MAX(id), 0) FROM \(table)") ?? 0
    }
}

extension Workspace {
    /// The audit entries written after `mark` (from `AuditLog.mark`), as a change summary
    /// whose records read the way users see values (yuan, 亩, 是/否, personal data masked).
    public func changes(since mark: Int64, in store: any StoreConnection) throws -> ChangeSummary {
        var summary = ChangeSummary()
        try store.query(
            dialect.numbered(
                "SELECT collection, action, record_id, after FROM \(AuditLog.table) WHERE id > ? ORDER BY id"),
            [.integer(mark)]
        ) { row in
            let collection = row.text(0) ?? ""
            summary.entries.append(
                .init(
                    collection: collection, action: row.text(1) ?? "",
                    recordID: row.integer(2) ?? 0, after: row.text(3).map { readable($0, collection) }))
            return true
        }
        return summary
    }

    /// A record's audit JSON (fen, hundredths, 0/1) as `field=value` text (`AuditDisplay`).
    func readable(_ json: String, _ collection: String) -> String {
        guard let schema = schema[collection], let data = json.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return json }
        var parts: [String] = []
        for field in schema.fields {
            guard let text = AuditDisplay.text(object[field.name], field: field) else { continue }
            parts.append("\(field.name)=\(text)")
        }
        return parts.joined(separator: " ")
    }
}
