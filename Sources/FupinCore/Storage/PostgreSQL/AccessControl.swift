/// `fupin access grant/revoke/list` over a PostgreSQL store: resolves town and village names,
/// records the grants in `fupin_access`, and applies the policies and the role's privileges
/// in one transaction (all or nothing). Run it as the store's owner.
///
/// Example:
/// ```swift
/// let access = AccessControl(connection: pg, schema: .core)
/// try access.grant(role: "analyst_cj", town: "城郊镇", write: true)
/// ```
public struct AccessControl {
    public let connection: PostgresConnection
    public let schema: Schema
    let dialect = PostgresDialect()

    public init(connection: PostgresConnection, schema: Schema) {
        self.connection = connection
        self.schema = schema
    }

    /// One listed grant, with names for people.
    public struct Listed: Sendable, Hashable {
        public var role: String
        public var town: String?
        public var village: String?
        public var write: Bool
        public var pii: Bool
    }

    /// Grants `role` read access to `town` (or one `village` of it), with write and personal
    /// columns when asked. A grant of the same place replaces the earlier one.
    public func grant(role: String, town: String, village: String? = nil, write: Bool = false, pii: Bool = false) throws
    {
        try connection.transaction {
            try install()
            let place = try resolve(town: town, village: village)
            try deleteGrants(role: role, townID: place.town, villageID: place.village, exact: true)
            try connection.query(
                "INSERT INTO \(dialect.quote(AccessPolicy.table))(\"role\", \"town_id\", \"village_id\", \"can_write\", \"pii\") VALUES ($1, $2, $3, $4, $5)",
                [
                    .text(role), .integer(place.town), place.village.map(PostgresValue.integer) ?? .null,
                    .text(write ? "true" : "false"), .text(pii ? "true" : "false"),
                ])
            try applyPrivileges(role: role)
        }
    }

    /// Takes back `role`'s grant of `town` (or of one `village`), or all its grants when
    /// `town` is nil.
    public func revoke(role: String, town: String? = nil, village: String? = nil) throws {
        try connection.transaction {
            try install()
            if let town {
                let place = try resolve(town: town, village: village)
                try deleteGrants(role: role, townID: place.town, villageID: place.village, exact: true)
            } else {
                try deleteGrants(role: role, townID: nil, villageID: nil, exact: false)
            }
            try applyPrivileges(role: role)
        }
    }

    /// Every grant, by role then town and village name.
    public func list() throws -> [Listed] {
        try install()
        let result = try connection.query(
            """
            SELECT a."role", t."name", v."name", a."can_write", a."pii"
            FROM \(dialect.quote(AccessPolicy.table)) a
            LEFT JOIN "towns" t ON t."id" = a."town_id"
            LEFT JOIN "villages" v ON v."id" = a."village_id"
            ORDER BY a."role", t."name" NULLS FIRST, v."name" NULLS FIRST
            """)
        return result.rows.map { row in
            Listed(
                role: row[0].text ?? "", town: row[1].text, village: row[2].text,
                write: row[3] == .integer(1), pii: row[4] == .integer(1))
        }
    }

    /// Creates (or refreshes, for new plugin ledgers) the grants table and the policies.
    func install() throws {
        let owner = try connection.query("SELECT current_user::text").value(0, 0)
        guard case .text(let name) = owner else {
            throw PostgresError(.client, message: "the server did not say which role this connection uses")
        }
        for statement in AccessPolicy.installStatements(schema: schema, owner: name, dialect: dialect) {
            try connection.execute(statement)
        }
    }

    private func resolve(town: String, village: String?) throws -> (town: Int64, village: Int64?) {
        let towns = try connection.query(
            "SELECT \"id\" FROM \"towns\" WHERE \"name\" = $1 ORDER BY \"id\"", [.text(town)])
        guard towns.rowCount == 1, case .integer(let townID) = towns.value(0, 0) else {
            throw PostgresError(
                .client,
                message: towns.rowCount == 0
                    ? "--town \(town): no town of that name in the store"
                    : "--town \(town): \(towns.rowCount) towns have that name")
        }
        guard let village else { return (townID, nil) }
        let villages = try connection.query(
            "SELECT \"id\" FROM \"villages\" WHERE \"name\" = $1 AND \"town_id\" = $2 ORDER BY \"id\"",
            [.text(village), .integer(townID)])
        guard villages.rowCount == 1, case .integer(let villageID) = villages.value(0, 0) else {
            throw PostgresError(
                .client,
                message: villages.rowCount == 0
                    ? "--village \(village): no village of that name in \(town)"
                    : "--village \(village): \(villages.rowCount) villages of \(town) have that name")
        }
        return (townID, villageID)
    }

    private func deleteGrants(role: String, townID: Int64?, villageID: Int64?, exact: Bool) throws {
        let table = dialect.quote(AccessPolicy.table)
        if exact {
            try connection.query(
                "DELETE FROM \(table) WHERE \"role\" = $1 AND \"town_id\" IS NOT DISTINCT FROM $2 AND \"village_id\" IS NOT DISTINCT FROM $3",
                [
                    .text(role), townID.map(PostgresValue.integer) ?? .null,
                    villageID.map(PostgresValue.integer) ?? .null,
                ])
        } else {
            try connection.query("DELETE FROM \(table) WHERE \"role\" = $1", [.text(role)])
        }
    }

    private func applyPrivileges(role: String) throws {
        let rows = try connection.query(
            "SELECT \"town_id\", \"village_id\", \"can_write\", \"pii\" FROM \(dialect.quote(AccessPolicy.table)) WHERE \"role\" = $1",
            [.text(role)])
        let grants = rows.rows.map { row in
            AccessGrant(
                role: role, townID: row[0].integer, villageID: row[1].integer,
                write: row[2] == .integer(1), pii: row[3] == .integer(1))
        }
        for statement in AccessPolicy.privilegeStatements(role: role, grants: grants, schema: schema, dialect: dialect)
        {
            try connection.execute(statement)
        }
    }
}

extension AccessControl {
    /// The store's schema as far as access needs it: the core collections and the plugin
    /// ledgers remembered in `ledger_fields` (their references decide which are covered;
    /// fields typed `id_number` or `phone` count as personal). For `fupin access`, which runs
    /// without loading plugins.
    public static func storedSchema(_ connection: PostgresConnection) throws -> Schema {
        var schema = Schema.core
        let rows = try connection.query(#"SELECT "ledger", "field", "type" FROM "ledger_fields" ORDER BY "ledger""#)
            .rows
        var ledgers: [(name: String, fields: [FieldSpec])] = []
        for row in rows {
            guard let ledger = row[0].text, let field = row[1].text, let type = row[2].text else { continue }
            let fieldType: FieldType
            if type.hasPrefix("ref:") {
                fieldType = .ref(String(type.dropFirst(4)))
            } else {
                fieldType = ["id_number": .idNumber, "phone": .phone][type] ?? .text
            }
            let spec = FieldSpec(field, fieldType, field, pii: fieldType == .idNumber || fieldType == .phone)
            if ledgers.last?.name == ledger {
                ledgers[ledgers.count - 1].fields.append(spec)
            } else {
                ledgers.append((ledger, [spec]))
            }
        }
        for ledger in ledgers where schema[ledger.name] == nil && SQLIdentifier.isPlain(ledger.name) {
            let keepsValid = ledger.fields.contains { $0.name == CollectionSchema.validField }
            schema.upsert(
                CollectionSchema(
                    name: ledger.name, label: ledger.name, fields: ledger.fields, keepsValidFlag: keepsValid))
        }
        return schema
    }
}
