import ArgumentParser
import Foundation
import FupinCore
import FupinScripting

/// `fupin audit [--since DATE] [--collection NAME]`: who changed what, when and from where.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: every insert, update and removal, with who, when and from where.",
        discussion: """
            Entries are shown oldest first (the last --limit of them). An update shows the fields it \
            changed, before → after; an insert or removal the record's number or name. ID numbers \
            and phone numbers are masked unless --unmask is given. Times are UTC.

            Examples:
              fupin audit
              fupin audit --since 2019-11-01 --collection households
              fupin audit --record 3 --collection households --limit 0
            """
    )

    @Option(help: ArgumentHelp("Only entries on or after this day (YYYY-MM-DD).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only entries of this collection (or plugin ledger).", valueName: "name"))
    var collection: String?

    @Option(help: ArgumentHelp("Only entries about this record id (with --collection).", valueName: "id"))
    var record: Int64?

    @Option(help: "Show at most this many entries, the latest (0: all).")
    var limit = 50

    @Flag(help: "Show ID numbers and phone numbers in full.")
    var unmask = false

    @OptionGroup var options: WorkspaceOptions

    func validate() throws {
        if let since, CalendarDate(parsing: since) == nil {
            throw ValidationError("--since \(since) is not a date (YYYY-MM-DD)")
        }
        if limit < 0 { throw ValidationError("--limit must be 0 (all) or more") }
        if record != nil && collection == nil { throw ValidationError("--record needs --collection") }
    }

    func run() throws {
        try reportingFailures {
            guard let host = try ScriptHost.makeHost(options, source: "audit") else { _ = try options.open(); return }
            let schema = host.workspace.schema
            if let collection, schema[collection] == nil {
                throw CommandFailure(
                    "--collection \(collection): no such collection (\(schema.names.joined(separator: ", ")))")
            }
            let entries = try host.workspace.store.read { store in
                try AuditLog.entries(
                    store, since: since, collection: collection, recordID: record,
                    unreadable: host.workspace.store.unreadableColumns[AuditLog.table] ?? [])
            }
            let shown = limit == 0 ? entries[...] : entries.suffix(limit)
            if shown.isEmpty { print("no entries"); return }
            // A PostgreSQL store records the role that made each change beside the operator.
            let roles = shown.contains { $0.role != nil }
            var rows = [["TIME", "OPERATOR"] + (roles ? ["ROLE"] : []) + ["SOURCE", "ACTION", "RECORD", "CHANGE"]]
            for entry in shown {
                let fields = schema[entry.collection]
                rows.append(
                    [String(entry.time.prefix(19)).replacingOccurrences(of: "T", with: " "), entry.operator]
                        + (roles ? [entry.role ?? ""] : [])
                        + [
                            entry.source, entry.action,
                            record.map { "\(entry.collection) #\($0)" } ?? recordText(entry), change(entry, fields),
                        ])
            }
            print(TextColumns.render(rows))
            if shown.count < entries.count {
                print(
                    "(the last \(shown.count) of \(Plural.count(entries.count, "entry", plural: "entries")); --limit 0 shows all)"
                )
            }
        }
    }

    func recordText(_ entry: AuditEntry) -> String {
        if let last = entry.lastRecordID, last != entry.recordID {
            return "\(entry.collection) #\(entry.recordID)–\(last)"
        }
        return "\(entry.collection) #\(entry.recordID)"
    }

    /// What changed: the fields of an update, a label of an inserted or removed record.
    func change(_ entry: AuditEntry, _ collection: CollectionSchema?) -> String {
        func text(_ value: Any?, _ field: String) -> String {
            AuditDisplay.text(value, field: collection?.field(field), unmask: unmask) ?? "∅"
        }
        switch entry.action {
        case "update":
            let before = entry.beforeObject ?? [:]
            let after = entry.afterObject ?? [:]
            let names = (collection?.fields.map(\.name) ?? after.keys.sorted()).filter { name in
                "\(before[name] ?? NSNull())" != "\(after[name] ?? NSNull())"
            }
            return names.map { "\($0): \(text(before[$0], $0)) → \(text(after[$0], $0))" }.joined(separator: "; ")
        case "insert":
            // Asked about one record (--record), an insert shows the values it was given.
            if let record {
                return values(
                    entry.lastRecordID != nil ? entry.after(recordID: record) : entry.afterObject, collection, text)
            }
            if entry.lastRecordID != nil { return Plural.count(entry.afterRecords.count, "record") }
            return label(entry.afterObject, text)
        default:
            return entry.afterObject?["valid"] != nil
                ? "marked invalid: " + label(entry.beforeObject, text) : "deleted: " + label(entry.beforeObject, text)
        }
    }

    /// Every field of `record` that has a value, in the collection's order: `name: value; ...`.
    func values(_ record: [String: Any]?, _ collection: CollectionSchema?, _ text: (Any?, String) -> String) -> String {
        guard let record else { return "" }
        let names = collection?.fields.map(\.name) ?? record.keys.sorted()
        return names.compactMap { name -> String? in
            guard let value = record[name], !(value is NSNull), "\(value)" != "" else { return nil }
            return "\(name): \(text(value, name))"
        }.joined(separator: "; ")
    }

    func label(_ record: [String: Any]?, _ text: (Any?, String) -> String) -> String {
        guard let record else { return "" }
        for key in ["name", "head_name", "number", "title", "product", "item", "date"] where record[key] != nil {
            return "\(key) \(text(record[key], key))"
        }
        return ""
    }
}
