/// One analyst's access to a part of the register: a PostgreSQL role, a town (nil: every town)
/// or one village of it, whether the role may change records, and whether it may read
/// personal columns.
///
/// Example: `AccessGrant(role: "analyst_chengjiao", townID: 2, write: true)`.
public struct AccessGrant: Sendable, Hashable {
    public var role: String
    public var townID: Int64?
    public var villageID: Int64?
    public var write: Bool
    public var pii: Bool

    public init(role: String, townID: Int64?, villageID: Int64? = nil, write: Bool = false, pii: Bool = false) {
        self.role = role
        self.townID = townID
        self.villageID = villageID
        self.write = write
        self.pii = pii
    }
}

/// The SQL of row-level security by administrative unit: which tables it covers, the policies
/// the server enforces on them, and each role's table and column privileges.
///
/// - Rows: every table with a path to a village (villages themselves, households, and every
///   table that references a household, member, village, team, ... — plugin ledgers included,
///   found from the references in the `Schema`) has row-level security enabled and forced.
///   A role reads a row when each of its place references is empty or points at a row the role
///   can read; `villages` is the root, read through the role's rows in `fupin_access`. So a
///   `count(*)`, `sum` or plain `SELECT` by that role, whoever runs it (Fupin, `fp.sql`, psql),
///   sees only the towns granted. A role writes a row (insert, update, delete) only with a
///   `write` grant covering every place the row names, and a row that names no place (a fund
///   of a unit, not of a village) is left to the store's owner.
/// - Columns: personal fields (`pii` in the schema: ID numbers, phones, health) are readable
///   only by a role with a `pii` grant, through column privileges: without one, selecting the
///   column is refused by the server ("permission denied"), and the other columns are listed
///   one by one. Column privileges are per role, not per row: `pii` on any grant opens the
///   columns for every row the role may read.
/// - The audit log: a role reads the entries it wrote (its `role` column, filled by the server
///   with `current_user`); the owner's all-towns grant reads every entry. A role cannot set
///   `role` itself (no INSERT privilege on that column).
/// - Tables with no place (units, towns, cadres, poverty lines, settings, ...) are readable by
///   every granted role and written only by the owner.
///
/// Example: `AccessPolicy.installStatements(schema: .core, owner: "fupin_owner")`.
public enum AccessPolicy {
    /// The table of grants.
    public static let table = "fupin_access"
    /// The root of place references: rows of other tables reach a town through a village.
    static let root = "villages"

    /// A table under row-level security and the reference fields that lead to its place.
    public struct ScopedTable: Sendable, Hashable {
        public var name: String
        /// Reference fields whose target is itself scoped: (field, target table).
        public var placeReferences: [(field: String, target: String)]

        public static func == (lhs: ScopedTable, rhs: ScopedTable) -> Bool {
            lhs.name == rhs.name && lhs.placeReferences.map(\.field) == rhs.placeReferences.map(\.field)
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    /// The tables row-level security covers in `schema`, in the schema's order: `villages` and
    /// every collection with a reference (other than to itself) to one already covered.
    public static func scopedTables(_ schema: Schema) -> [ScopedTable] {
        var scoped: Set<String> = schema[root] == nil ? [] : [root]
        var changed = true
        while changed {
            changed = false
            for collection in schema.collections where !scoped.contains(collection.name) {
                if collection.referenceFields.contains(where: { field in
                    field.referencedCollection.map { $0 != collection.name && scoped.contains($0) } ?? false
                }) {
                    scoped.insert(collection.name)
                    changed = true
                }
            }
        }
        return schema.collections.filter { scoped.contains($0.name) }.map { collection in
            let references = collection.referenceFields.compactMap { field -> (field: String, target: String)? in
                guard let target = field.referencedCollection, target != collection.name, scoped.contains(target),
                    collection.name != root
                else { return nil }
                return (field.name, target)
            }
            return ScopedTable(name: collection.name, placeReferences: references)
        }
    }

    /// The statements creating the grants table and the policies, safe to run again (after a
    /// plugin ledger is added, its table gets its policies). `owner` gets a grant of every town
    /// with write and personal columns, since forced row-level security binds the owner too.
    public static func installStatements(schema: Schema, owner: String, dialect: PostgresDialect = PostgresDialect())
        -> [String]
    {
        let access = dialect.quote(table)
        var statements = [
            """
            CREATE TABLE IF NOT EXISTS \(access) (
              "role" text NOT NULL,
              "town_id" bigint REFERENCES "towns"("id"),
              "village_id" bigint REFERENCES "villages"("id"),
              "can_write" boolean NOT NULL DEFAULT false,
              "pii" boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE UNIQUE INDEX IF NOT EXISTS \"fupin_access_place\" ON \(access)(\"role\", coalesce(\"town_id\", 0), coalesce(\"village_id\", 0))",
            // Each role reads its own grants (the policies look them up as that role); not forced,
            // so the owner, who administers them, reads all.
            "ALTER TABLE \(access) ENABLE ROW LEVEL SECURITY",
            "DROP POLICY IF EXISTS \"fupin_own_grants\" ON \(access)",
            "CREATE POLICY \"fupin_own_grants\" ON \(access) FOR SELECT USING (\"role\" = current_user::text)",
            "DELETE FROM \(access) WHERE \"role\" = \(dialect.literal(owner)) AND \"town_id\" IS NULL AND \"village_id\" IS NULL",
            "INSERT INTO \(access)(\"role\", \"town_id\", \"village_id\", \"can_write\", \"pii\") VALUES (\(dialect.literal(owner)), NULL, NULL, true, true)",
        ]
        let scoped = scopedTables(schema)
        let byName = Dictionary(uniqueKeysWithValues: scoped.map { ($0.name, $0) })
        for scopedTable in scoped {
            let name = dialect.quote(scopedTable.name)
            let read = readCondition(scopedTable, scoped: byName, dialect)
            let write = writeCondition(scopedTable, alias: name, schema: schema, depth: 0, dialect)
            statements += [
                "ALTER TABLE \(name) ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE \(name) FORCE ROW LEVEL SECURITY",
            ]
            for policy in ["fupin_read", "fupin_insert", "fupin_update", "fupin_delete"] {
                statements.append("DROP POLICY IF EXISTS \"\(policy)\" ON \(name)")
            }
            statements += [
                "CREATE POLICY \"fupin_read\" ON \(name) FOR SELECT USING (\(read))",
                "CREATE POLICY \"fupin_insert\" ON \(name) FOR INSERT WITH CHECK (\(write))",
                "CREATE POLICY \"fupin_update\" ON \(name) FOR UPDATE USING (\(write)) WITH CHECK (\(write))",
                "CREATE POLICY \"fupin_delete\" ON \(name) FOR DELETE USING (\(write))",
            ]
        }
        statements += auditStatements(dialect)
        return statements
    }

    /// The audit log's policies: a role reads its own entries (all of them with an all-towns
    /// grant) and writes entries only under its own name.
    static func auditStatements(_ dialect: PostgresDialect) -> [String] {
        let audit = dialect.quote(AuditLog.table)
        let all = everyTown(dialect)
        return [
            "ALTER TABLE \(audit) ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE \(audit) FORCE ROW LEVEL SECURITY",
            "DROP POLICY IF EXISTS \"fupin_read\" ON \(audit)",
            "DROP POLICY IF EXISTS \"fupin_insert\" ON \(audit)",
            "CREATE POLICY \"fupin_read\" ON \(audit) FOR SELECT USING (\"role\" = current_user::text OR \(all))",
            "CREATE POLICY \"fupin_insert\" ON \(audit) FOR INSERT WITH CHECK (\"role\" = current_user::text)",
        ]
    }

    /// The condition a writable row meets: it names at least one place, and the role holds a
    /// write grant on each place it names (followed through the references to the village).
    static func writeCondition(
        _ scoped: ScopedTable, alias: String, schema: Schema, depth: Int, _ dialect: PostgresDialect
    ) -> String {
        if scoped.name == root {
            return grantCondition(village: "\(alias).\"id\"", town: "\(alias).\"town_id\"", write: true, dialect)
        }
        let targets = Dictionary(uniqueKeysWithValues: scopedTables(schema).map { ($0.name, $0) })
        let columns = scoped.placeReferences.map { "\(alias).\(dialect.quote($0.field))" }
        let named = "(" + columns.map { "\($0) IS NOT NULL" }.joined(separator: " OR ") + ")"
        let each = scoped.placeReferences.enumerated().map { offset, reference -> String in
            let column = columns[offset]
            let inner = "w\(depth)_\(offset)"
            guard let target = targets[reference.target] else { return "false" }
            let condition = writeCondition(target, alias: inner, schema: schema, depth: depth + 1, dialect)
            return
                "(\(column) IS NULL OR EXISTS (SELECT 1 FROM \(dialect.quote(reference.target)) \(inner) WHERE \(inner).\"id\" = \(column) AND \(condition)))"
        }
        return ([named] + each).joined(separator: " AND ")
    }

    /// A grant of the current role covering a village (and its town).
    static func grantCondition(village: String, town: String, write: Bool, _ dialect: PostgresDialect) -> String {
        "EXISTS (SELECT 1 FROM \(dialect.quote(table)) a WHERE a.\"role\" = current_user::text"
            + " AND (a.\"town_id\" IS NULL OR a.\"town_id\" = \(town))"
            + " AND (a.\"village_id\" IS NULL OR a.\"village_id\" = \(village))"
            + (write ? " AND a.\"can_write\"" : "") + ")"
    }
}
