import Foundation

/// What `StoreCopy.copy` moved: each table with its row count, in the order copied.
public struct StoreCopyReport: Sendable, Hashable {
    /// One copied table.
    public struct Table: Sendable, Hashable {
        public var name: String
        public var rows: Int
    }

    public var tables: [Table]
    /// Plugin ledgers among them (a ledger table and its registered declaration).
    public var ledgers: [String]
    /// Source columns with no place in the target, left behind (PostgreSQL's `audit_log.role`
    /// when copying into SQLite).
    public var droppedColumns: [String]

    /// Rows over every table.
    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
    /// Rows of the audit log.
    public var auditEntries: Int { tables.first { $0.name == AuditLog.table }?.rows ?? 0 }
}

/// A copy failure, saying which table (and what the store said).
public struct StoreCopyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Moves a workspace's whole store into another, empty store: core tables, plugin ledgers
/// (their tables and their declarations in `ledger_fields`), settings and the audit log, every
/// row with its id. Written through the `Store`/`StoreConnection` seam, so it runs between any
/// two engines; PostgreSQL targets take their rows through `COPY … FROM STDIN`.
///
/// The source is read in one read transaction (one state of it, streamed a row at a time); the
/// target is written in one transaction, schema included, so a failure leaves it as it was.
///
/// Example:
/// ```swift
/// let target = try PostgresStore(uri: "postgresql:///county?host=/run/postgresql")
/// let report = try StoreCopy.copy(from: ws.store, schema: ws.schema, to: target,
///                                 schemaStatements: PostgresSchema.createStatements())
/// ```
public enum StoreCopy {
    /// Tables outside the collections that every workspace has, copied after the collections.
    static let auxiliaryTables = ["settings", "ledger_fields", AuditLog.table]

    /// Copies everything in `source` into `target`. `schema` names the collections the caller
    /// knows (core and the plugin ledgers its plugins declared); ledgers the source's
    /// `ledger_fields` remembers beyond it are described from that declaration. The target must
    /// hold none of the tables; `schemaStatements` create the core schema first (empty when the
    /// target already has it, as a new SQLite workspace does). `progress` hears each table as it
    /// is done.
    public static func copy(
        from source: any Store, schema: Schema, to target: any Store,
        schemaStatements: [String],
        progress: (StoreCopyReport.Table) -> Void = { _ in }
    ) throws -> StoreCopyReport {
        try target.transaction(rollback: false) { out in
            try source.read { input in
                guard try input.tableExists(AuditLog.table), try input.tableExists("households") else {
                    throw StoreCopyError(
                        "\(source.location): the source holds no Fupin store (no audit_log, no households); nothing was copied"
                    )
                }
                let collections = try ordered(try describeLedgers(input, known: schema))
                let ledgers = collections.filter { Schema.core[$0.name] == nil }
                try requireEmpty(
                    out, tables: collections.map(\.name) + auxiliaryTables, skipCore: schemaStatements.isEmpty)
                for statement in schemaStatements { try out.executeScript(statement) }
                for ledger in ledgers where try !out.tableExists(ledger.name) {
                    for statement in out.dialect.createTable(ledger) { try out.executeScript(statement) }
                }
                // The target's schema brought its own default settings: the source's replace them.
                try out.execute(#"DELETE FROM "settings""#)
                let restoring = try StoreCopyWriting.prepare(out)
                var report = StoreCopyReport(tables: [], ledgers: ledgers.map(\.name), droppedColumns: [])
                for table in collections.map(\.name) + auxiliaryTables {
                    let copied = try copyTable(table, from: input, to: out, dropped: &report.droppedColumns)
                    report.tables.append(copied)
                    progress(copied)
                }
                do {
                    try StoreCopyWriting.finish(
                        out, tables: collections.map(\.name) + [AuditLog.table], restoring: restoring)
                } catch {
                    throw StoreCopyError(
                        "after the rows, rebuilding the target's indexes and references: \(error); nothing was copied")
                }
                return report
            }
        }
    }

    /// Refuses a target that already holds any of `tables` (with `skipCore`, a new workspace's
    /// own core tables are expected and only the ledgers' are checked, and the core tables must
    /// be empty).
    static func requireEmpty(_ out: any StoreConnection, tables: [String], skipCore: Bool) throws {
        if skipCore {
            for table in Schema.core.names + [AuditLog.table] where try out.tableExists(table) {
                if try out.fetchInt("SELECT 1 FROM \(out.dialect.quote(table)) LIMIT 1") != nil {
                    throw StoreCopyError(
                        "the target store already holds records (\(table)); store copy writes only into an empty store")
                }
            }
            let ledgers = try tables.filter { name in
                Schema.core[name] == nil && !auxiliaryTables.contains(name) ? try out.tableExists(name) : false
            }
            if !ledgers.isEmpty {
                throw StoreCopyError(
                    "the target store already holds \(ledgers.joined(separator: ", ")); store copy writes only into an empty store"
                )
            }
            return
        }
        let present = try tables.filter { try out.tableExists($0) }
        if !present.isEmpty {
            let shown = present.prefix(5).joined(separator: ", ") + (present.count > 5 ? ", …" : "")
            throw StoreCopyError(
                "the target store is not empty: it already holds \(shown); store copy writes only into an empty database (create a new one)"
            )
        }
    }

    /// Copies one table's rows, id included, in id order; the columns are those of the source,
    /// each of which the target must have (but `audit_log.role`, which SQLite lacks).
    static func copyTable(
        _ table: String, from input: any StoreConnection, to out: any StoreConnection,
        dropped: inout [String]
    ) throws -> StoreCopyReport.Table {
        let described = try input.columns(in: table)
        let sourceColumns = described.map(\.name)
        let targetColumns = Set(try out.columns(in: table).map(\.name))
        var columns: [String] = []
        var asText: [Bool] = []
        for (column, type) in zip(sourceColumns, described.map { $0.type.uppercased() }) {
            if targetColumns.contains(column) {
                columns.append(column)
                asText.append(type == "TEXT" || type == "INTEGER")
            } else if table == AuditLog.table && column == "role" {
                dropped.append("\(table).\(column)")
            } else {
                throw StoreCopyError(
                    "\(table).\(column): the target store has no such column, so its values would be lost; nothing was copied"
                )
            }
        }
        guard !columns.isEmpty else { return .init(name: table, rows: 0) }
        let d = input.dialect
        let order =
            sourceColumns.contains(CollectionSchema.idField)
            ? " ORDER BY \(d.quote(CollectionSchema.idField))"
            : " ORDER BY " + columns.prefix(2).map(d.quote).joined(separator: ", ")
        let select = "SELECT " + columns.map(d.quote).joined(separator: ", ") + " FROM \(d.quote(table))" + order
        do {
            let cursor = try input.prepare(select, reuse: false).cursor([])
            defer { cursor.close() }
            let rows = try StoreCopyWriting.write(table: table, columns: columns, asText: asText, into: out) { emit in
                while try cursor.next() { try emit(cursor) }
            }
            return .init(name: table, rows: rows)
        } catch let error as StoreCopyError {
            throw error
        } catch {
            throw StoreCopyError("copying \(table): \(error); nothing was copied")
        }
    }

    /// `known` plus the ledgers `ledger_fields` remembers that it lacks, described from their
    /// remembered declaration and the table's columns.
    static func describeLedgers(_ input: any StoreConnection, known: Schema) throws -> Schema {
        var schema = known
        guard try input.tableExists("ledger_fields") else { return schema }
        let rows = try input.fetchAll(#"SELECT "ledger", "field", "type" FROM "ledger_fields" ORDER BY "ledger""#) {
            ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "")
        }
        var byLedger: [String: [String: String]] = [:]
        var order: [String] = []
        for (ledger, field, type) in rows where schema[ledger] == nil {
            if byLedger[ledger] == nil { order.append(ledger) }
            byLedger[ledger, default: [:]][field] = type
        }
        for ledger in order where try input.tableExists(ledger) {
            let declared = byLedger[ledger] ?? [:]
            var fields: [FieldSpec] = []
            for column in try input.columns(in: ledger) where column.name != CollectionSchema.idField {
                let type = declared[column.name].map(fieldType) ?? storedType(column.type)
                fields.append(
                    FieldSpec(
                        column.name, type, column.name, required: column.notNull,
                        defaultValue: column.name == CollectionSchema.validField ? .integer(1) : nil))
            }
            let keepsValid = fields.contains { $0.name == CollectionSchema.validField }
            schema.upsert(CollectionSchema(name: ledger, label: ledger, fields: fields, keepsValidFlag: keepsValid))
        }
        return schema
    }

    /// The field type a `ledger_fields` type key names (its storage is what matters here).
    static func fieldType(_ key: String) -> FieldType {
        if key.hasPrefix("ref:") { return .ref(String(key.dropFirst(4))) }
        switch key {
        case "integer": return .integer
        case "number": return .number
        case "money": return .money
        case "area": return .area
        case "bool": return .bool
        case "date": return .date
        case "enum": return .enum(Vocabulary(key, key, []))
        case "id_number": return .idNumber
        case "phone": return .phone
        case "credit_code": return .creditCode
        default: return .text
        }
    }

    /// A field type storing what a column of `type` (as `StoreColumn` spells it) holds.
    static func storedType(_ type: String) -> FieldType {
        switch type.uppercased() {
        case "INTEGER": return .integer
        case "REAL": return .number
        default: return .text
        }
    }

    /// The collections in an order where every reference points at a table copied before it
    /// (a server checks each reference as the row arrives); a cycle keeps the schema's order.
    static func ordered(_ schema: Schema) throws -> [CollectionSchema] {
        var done: Set<String> = []
        var result: [CollectionSchema] = []
        var remaining = schema.collections
        while !remaining.isEmpty {
            let ready = remaining.filter { collection in
                collection.referenceFields.allSatisfy { field in
                    guard let target = field.referencedCollection, target != collection.name else { return true }
                    return done.contains(target) || schema[target] == nil
                }
            }
            let next = ready.isEmpty ? [remaining[0]] : ready
            for collection in next {
                result.append(collection)
                done.insert(collection.name)
            }
            let taken = Set(next.map(\.name))
            remaining.removeAll { taken.contains($0.name) }
        }
        return result
    }
}
