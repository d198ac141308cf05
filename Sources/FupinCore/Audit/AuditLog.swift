import Foundation

/// One row of the audit log: who changed which record of which collection, when, from where,
/// and the record before and after. Written in the same transaction as the change.
///
/// A bulk import (`BulkWriter`) writes one entry per run of up to 1,000 consecutive inserts:
/// `recordID` is the first id, `lastRecordID` the last, and `after` the records in columnar
/// JSON, `{"columns":["id","name",...],"rows":[[1,"郝九为",...],...]}` (entries written before
/// that form hold a JSON array of objects; `afterRecords` reads both). Every other entry
/// concerns one record (`lastRecordID` nil).
///
/// `before`/`after` are JSON objects of the record as stored (`id` first, then every field;
/// money in integer fen, area in hundredths of a 亩, dates as text, bools as 0/1): `before` is
/// null for an insert, `after` is null for a deleting removal.
///
/// Example: `AuditEntry(time: "2019-05-01T08:00:00.000Z", operator: "王明刚", source: "repl",
/// collection: "households", recordID: 1, action: "insert", before: nil, after: "{\"id\":1,…}")`.
public struct AuditEntry: Codable, Sendable, Hashable {
    public var id: Int64?
    public var time: String
    public var `operator`: String
    public var source: String
    public var collection: String
    public var recordID: Int64
    /// The last id of a bulk-insert entry (nil for single-record entries).
    public var lastRecordID: Int64?
    public var action: String
    public var before: String?
    public var after: String?
    /// The PostgreSQL role that made the change (the server fills it); nil on SQLite.
    public var role: String? = nil

    public enum CodingKeys: String, CodingKey {
        case id, time, `operator`, source, collection, recordID = "record_id", action, before, after
        case lastRecordID = "last_record_id"
    }
    public typealias Columns = CodingKeys

    /// The ids this entry concerns.
    public var recordIDs: ClosedRange<Int64> { recordID...max(recordID, lastRecordID ?? recordID) }

    /// The records after the change: one for single entries, all of a bulk-insert entry.
    public var afterRecords: [[String: Any]] {
        guard let data = after?.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data) else {
            return []
        }
        if let array = value as? [[String: Any]] { return array }
        if let object = value as? [String: Any], let columns = object["columns"] as? [String],
            let rows = object["rows"] as? [[Any]]
        {
            return rows.map { row in
                var record: [String: Any] = [:]
                for (column, value) in zip(columns, row) { record[column] = value }
                return record
            }
        }
        if let object = value as? [String: Any] { return [object] }
        return []
    }

    /// The record `id` after the change (looked up inside a bulk-insert entry).
    public func after(recordID id: Int64) -> [String: Any]? {
        afterRecords.first { ($0["id"] as? NSNumber)?.int64Value == id }
    }

    /// The record before the change, decoded from JSON (nil for inserts).
    public var beforeObject: [String: Any]? { AuditEntry.decode(before) }
    /// The record after the change, decoded from JSON (nil for deleting removals; for a
    /// bulk-insert entry use `afterRecords`).
    public var afterObject: [String: Any]? { AuditEntry.decode(after) }

    private static func decode(_ json: String?) -> [String: Any]? {
        guard let data = json?.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

/// Writing and reading the audit log (table `audit_log`).
public enum AuditLog {
    public static let table = "audit_log"

    /// The kinds of change recorded.
    public enum Action: String, Sendable, CaseIterable {
        case insert, update, remove
    }

    /// The single-row insert of an entry, spelled for `dialect`.
    static func insertSQL(_ dialect: any SQLDialect) -> String {
        dialect.singleRowInsert
            + #" INTO "audit_log"("time", "operator", "source", "collection", "record_id", "action", "before", "after")"#
            + " VALUES (\(dialect.placeholders(8)))"
    }
    /// The insert of a bulk entry, spelled for `dialect` (`bulkInsertSQL` is SQLite's).
    static func bulkInsertSQL(_ dialect: any SQLDialect) -> String {
        dialect.numbered(
            dialect.singleRowInsert
                + #" INTO "audit_log"("time", "operator", "source", "collection", "record_id", "last_record_id", "action", "after") VALUES (?, ?, ?, ?, ?, ?, 'insert', ?)"#
        )
    }
    static let bulkInsertSQL =
        #"INSERT OR FAIL INTO "audit_log"("time", "operator", "source", "collection", "record_id", "last_record_id", "action", "after") VALUES (?, ?, ?, ?, ?, ?, 'insert', ?)"#

    /// Appends one entry in the current transaction of `db` (cached statement).
    static func record(
        _ store: any StoreConnection, time: String, context: WriteContext, collection: String, recordID: Int64,
        action: Action, before: String?, after: String?
    ) throws {
        try store.execute(
            insertSQL(store.dialect),
            [
                .text(time), .text(context.operator), .text(context.source), .text(collection), .integer(recordID),
                .text(action.rawValue), SQLValue(before), SQLValue(after),
            ], reuse: true)
    }

    /// `unreadable`: columns the user may not select (`Store.unreadableColumns` of the audit
    /// log: a PostgreSQL role without `--pii` may not read the before/after copies), read as nil.
    public static func entries(
        _ store: any StoreConnection, since: String? = nil, collection: String? = nil, recordID: Int64? = nil,
        limit: Int? = nil,
        unreadable: Set<String> = []
    ) throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if let since {
            conditions.append(#""time" >= ?"#)
            arguments.append(.text(since))
        }
        if let collection {
            conditions.append(#""collection" = ?"#)
            arguments.append(.text(collection))
        }
        if let recordID {
            conditions.append(#"("record_id" = ? OR ("record_id" <= ? AND "last_record_id" >= ?))"#)
            arguments += [.integer(recordID), .integer(recordID), .integer(recordID)]
        }
        return try select(store, conditions, arguments, limit: limit, unreadable: unreadable)
    }

    /// The entries after sequence `id`, oldest first (`--as-of` undoes them newest first).
    static func entries(_ store: any StoreConnection, after id: Int64) throws -> [AuditEntry] {
        try select(store, [#""id" > ?"#], [.integer(id)], limit: nil)
    }

    /// The entries meeting every condition (SQL with `?`), by id.
    private static func select(
        _ store: any StoreConnection, _ conditions: [String], _ arguments: [SQLValue], limit: Int?,
        unreadable: Set<String> = []
    ) throws -> [AuditEntry] {
        let copies = ["before", "after"].map { unreadable.contains($0) ? "NULL AS \"\($0)\"" : "\"\($0)\"" }.joined(
            separator: ", ")
        // PostgreSQL's log also records the role (PostgresSchema); SQLite's has no such column.
        let role =
            !(store.dialect is PostgresDialect) ? "" : unreadable.contains("role") ? #", NULL AS "role""# : #", "role""#
        var sql =
            #"SELECT "id", "time", "operator", "source", "collection", "record_id", "last_record_id", "action", "#
            + copies + role + #" FROM "audit_log""#
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += #" ORDER BY "id""#
        if let limit { sql += " LIMIT \(limit)" }
        return try store.fetchAll(store.dialect.numbered(sql), arguments) { row in
            AuditEntry(
                id: row.integer(0), time: row.text(1) ?? "", operator: row.text(2) ?? "", source: row.text(3) ?? "",
                collection: row.text(4) ?? "", recordID: row.integer(5) ?? 0, lastRecordID: row.integer(6),
                action: row.text(7) ?? "", before: row.text(8), after: row.text(9),
                role: role.isEmpty ? nil : row.text(10))
        }
    }

    public static func count(_ store: any StoreConnection) throws -> Int {
        Int(try store.fetchInt("SELECT COUNT(*) FROM \(store.dialect.quote(table))") ?? 0)
    }
}

extension Schema {
    /// The audit log described as a read-only collection (for `fp.audit`, export and stubs).
    /// It is not part of `Schema.core`: nothing writes it but the workspace itself.
    public static let auditLog = CollectionSchema(
        name: AuditLog.table, label: "操作日志", summary: "Every insert, update and removal (read-only)",
        fields: [
            FieldSpec("time", .text, "时间", required: true, help: "ISO-8601 UTC, e.g. 2019-05-01T08:00:00.000Z"),
            FieldSpec("operator", .text, "操作人", required: true),
            FieldSpec(
                "source", .text, "来源", required: true, help: "repl, a script path, plugin:NAME:COMMAND, import:FILE"),
            FieldSpec("collection", .text, "数据集", required: true),
            FieldSpec("record_id", .integer, "记录编号", required: true),
            FieldSpec(
                "last_record_id", .integer, "末记录编号",
                help: "bulk-insert entries: the last id of the run; after is a JSON array"),
            FieldSpec("action", .enum(Vocabularies.auditAction), "操作", required: true),
            // Personal: copies of records, masked per key (`AuditMasking`) and never filtered
            // on by a view that masks personal data.
            FieldSpec("before", .text, "修改前", pii: true),
            FieldSpec("after", .text, "修改后", pii: true),
        ],
        keepsValidFlag: false, dateField: nil)
}
