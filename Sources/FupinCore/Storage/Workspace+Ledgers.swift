/// Plugin ledgers: collections a plugin declares (e.g. `sales`), which become real tables,
/// validated, audited and queryable like core collections.
///
/// A ledger's declared fields are remembered in `ledger_fields`. A new field adds a column;
/// a field that disappears from the declaration or changes type is refused with a message
/// saying what to do, because obeying it would lose data silently.
///
/// Example:
/// ```swift
/// try ws.registerLedger(CollectionSchema(name: "sales", label: "销售记录", fields: [
///     FieldSpec("date", .date, "日期", required: true),
///     FieldSpec("amount", .money, "金额", min: 0)], keepsValidFlag: true), owner: "produce-sales")
/// ```
extension Workspace {
    /// Names no ledger may take: core collections and system tables.
    public static let reservedNames: Set<String> = Set(
        Schema.core.names + [
            AuditLog.table, "settings", "grdb_migrations", "sqlite_sequence", "ledger_fields", "audit",
        ])

    /// Adds `ledger` (declared by plugin `owner`) to this workspace's schema, creating its
    /// table if missing or adding the columns it lacks. Re-registering replaces the
    /// description (`:reload`). Throws `WorkspaceError.badLedger` when the declaration is
    /// inconsistent, the name is taken, or it drops or retypes a field that holds data.
    /// `open` is the connection of a transaction the caller has open (plugins loaded in the
    /// middle of a script's unit of work): the check and any migration run in a savepoint of it.
    public func registerLedger(_ ledger: CollectionSchema, owner: String = "", in open: (any StoreConnection)? = nil)
        throws
    {
        if Workspace.reservedNames.contains(ledger.name) || ledger.name.hasPrefix("sqlite_") {
            throw WorkspaceError.badLedger(
                "\(ledger.name): a ledger may not take the name of a core collection or system table")
        }
        var candidate = schema
        candidate.upsert(ledger)
        let problems = Schema(candidate.collections).problems().filter { $0.hasPrefix("\(ledger.name)") }
        if let first = problems.first { throw WorkspaceError.badLedger(first) }
        let migrate = { [dialect] (store: any StoreConnection) throws in
            try Workspace.checkDeclaration(ledger, owner: owner, store)
            if try store.tableExists(ledger.name) {
                let existing = Set(try store.columns(in: ledger.name).map(\.name))
                for field in ledger.fields where !existing.contains(field.name) {
                    try store.executeScript(dialect.addColumn(field, to: ledger.name))
                }
                // a table made before ledgers had it (or by hand) gains the index by household and date
                if let columns = ledger.householdDateIndex {
                    try store.executeScript(dialect.createIndex(on: ledger.name, columns, ifNotExists: true))
                }
            } else {
                for statement in dialect.createTable(ledger) { try store.executeScript(statement) }
            }
            try store.execute(
                dialect.numbered(#"DELETE FROM "ledger_fields" WHERE "ledger" = ?"#), [.text(ledger.name)])
            for field in ledger.fields {
                try store.execute(
                    dialect.numbered(
                        #"INSERT INTO "ledger_fields"("ledger", "field", "type", "plugin") VALUES (?, ?, ?, ?)"#),
                    [.text(ledger.name), .text(field.name), .text(Workspace.typeKey(field.type)), .text(owner)])
            }
        }
        // Every command loads the plugins: when the table and the remembered declaration are
        // already current, a read suffices (no write transaction, no lock taken). It is made on
        // the writer connection, which every command has open already, in a deferred (read)
        // transaction: a reader would be a second connection to open, with its own schema
        // parse. `migrate` checks again inside its write transaction.
        // A current table that lacks its index by household and date (made before ledgers had
        // one) gains it on its own, and only if it can: the index only speeds reads, and a role
        // that may not create it (a PostgreSQL clerk) still uses the ledger until its owner does.
        let addIndex = { [dialect] (store: any StoreConnection) throws in
            guard let columns = ledger.householdDateIndex else { return }
            try store.executeScript(dialect.createIndex(on: ledger.name, columns, ifNotExists: true))
        }
        if let open {
            try open.inSavepoint {
                try Workspace.checkDeclaration(ledger, owner: owner, open)
                if try !Workspace.isCurrent(ledger, owner: owner, open) && !isReadOnly { try migrate(open) }
            }
            if try !isReadOnly && Workspace.lacksHouseholdDateIndex(ledger, open) {
                _ = try? open.inSavepoint { try addIndex(open) }
            }
            replaceSchema(candidate)
            return
        }
        let (current, lacksIndex) = try store.readOnWriter { c -> (Bool, Bool) in
            try Workspace.checkDeclaration(ledger, owner: owner, c)
            return (try Workspace.isCurrent(ledger, owner: owner, c), try Workspace.lacksHouseholdDateIndex(ledger, c))
        }
        if !current && !isReadOnly {
            try store.transaction(rollback: false, migrate)
        } else if lacksIndex && !isReadOnly {
            _ = try? store.transaction(rollback: false, addIndex)
        }
        replaceSchema(candidate)
    }

    /// Whether the ledger's table exists without the index by household and date it should have.
    static func lacksHouseholdDateIndex(_ ledger: CollectionSchema, _ store: any StoreConnection) throws -> Bool {
        guard let columns = ledger.householdDateIndex, try store.tableExists(ledger.name) else { return false }
        return try !store.indexExists(CollectionSchema.indexName(ledger.name, columns))
    }

    /// Removes a ledger from the schema (its table and data stay in the database).
    public func unregisterLedger(_ name: String) {
        guard !Workspace.reservedNames.contains(name) else { return }
        let kept = schema.collections.filter { $0.name != name }
        replaceSchema(Schema(kept))
    }

    /// Whether the table has every declared column and `ledger_fields` holds exactly this
    /// declaration (fields, types, owner).
    static func isCurrent(_ ledger: CollectionSchema, owner: String, _ store: any StoreConnection) throws -> Bool {
        guard try store.tableExists(ledger.name) else { return false }
        let columns = Set(try store.columns(in: ledger.name).map(\.name))
        guard ledger.fields.allSatisfy({ columns.contains($0.name) }) else { return false }
        var remembered: [String: (String, String)] = [:]
        for row in try declaration(of: ledger.name, store) { remembered[row.field] = (row.type, row.plugin) }
        guard remembered.count == ledger.fields.count else { return false }
        return ledger.fields.allSatisfy { field in
            remembered[field.name].map { $0.0 == typeKey(field.type) && $0.1 == owner } ?? false
        }
    }

    /// The declaration `ledger_fields` remembers for ledger `name`.
    static func declaration(of name: String, _ store: any StoreConnection) throws -> [(
        field: String, type: String, plugin: String
    )] {
        try store.fetchAll(
            store.dialect.numbered(#"SELECT "field", "type", "plugin" FROM "ledger_fields" WHERE "ledger" = ?"#),
            [.text(name)]
        ) { row in (row.text(0) ?? "", row.text(1) ?? "", row.text(2) ?? "") }
    }

    /// How a field type is remembered: its name, with the target of a reference.
    static func typeKey(_ type: FieldType) -> String {
        if let target = type.referencedCollection { return "ref:\(target)" }
        return type.name
    }

    /// Whether a field recorded as `old` may be declared `new` without losing or reinterpreting
    /// data: both stored as text with no scaling (e.g. text → enum or credit_code). Values that
    /// do not fit the stricter type stay as they are until edited.
    static func compatible(_ old: String, _ new: FieldType) -> Bool {
        let textual: Set<String> = ["text", "date", "enum", "id_number", "phone", "credit_code"]
        return textual.contains(old) && textual.contains(typeKey(new))
    }

    /// Refuses a declaration that another plugin owns, or that drops or retypes a field
    /// the database holds (by the remembered declaration, or by the table's columns for a
    /// table made before declarations were remembered).
    static func checkDeclaration(_ ledger: CollectionSchema, owner: String, _ store: any StoreConnection) throws {
        let name = ledger.name
        let recorded = try declaration(of: name, store)
        if let other = recorded.first?.plugin, !other.isEmpty, !owner.isEmpty, other != owner {
            throw WorkspaceError.badLedger("\(name): this ledger belongs to plugin \(other); choose another name")
        }
        if !recorded.isEmpty {
            for row in recorded {
                let (field, type) = (row.field, row.type)
                guard let declared = ledger.field(field) else {
                    throw WorkspaceError.badLedger(
                        "\(name).\(field): the field is in the database but no longer declared; declare it again (it may stay unused) — Fupin never drops a column with its data. To remove it, export the ledger first (fupin export \(name)) and drop the column with sqlite3"
                    )
                }
                if typeKey(declared.type) != type && !compatible(type, declared.type) {
                    throw WorkspaceError.badLedger(
                        "\(name).\(field): the field was \(type) and is now declared \(typeKey(declared.type)); changing a type could lose data. Declare a new field with the new type and copy the values over in a script"
                    )
                }
            }
        } else if try store.tableExists(name) {
            for column in try store.columns(in: name) where column.name != CollectionSchema.idField {
                guard let declared = ledger.field(column.name) else {
                    throw WorkspaceError.badLedger(
                        "\(name).\(column.name): the table has this column but the ledger does not declare it; declare it (it may stay unused)"
                    )
                }
                if column.type.uppercased() != declared.type.storage.rawValue {
                    throw WorkspaceError.badLedger(
                        "\(name).\(column.name): the column holds \(column.type) but the field is declared \(declared.type.name)"
                    )
                }
            }
        }
    }
}
