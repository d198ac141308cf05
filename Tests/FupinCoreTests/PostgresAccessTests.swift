import Foundation
import Testing

@testable import FupinCore

/// Row-level security by administrative unit, through real roles on the private server: what a
/// town's or village's role can read, count, sum and change, by plain SQL as that role.
///
/// The register: 城郊镇 (前进村 h1, 东风村 h2) and 乌兰木伦镇 (红旗村 h3 h4, 巴图村 h5); one member
/// and one income per household (1000, 2000, 4000, 8000, 16000 fen); distributions to h1 (100),
/// to 红旗村 itself (200), and one of the unit with no place (400).
@Suite struct PostgresAccessTests {
    /// The store (as the superuser who owns it) and its URI.
    struct Store {
        let uri: String
        let admin: PostgresConnection
        let schema: Schema

        init(schema: Schema = .core, extraStatements: [String] = []) throws {
            uri = try PostgresTestServer.database()
            admin = try PostgresConnection(uri)
            self.schema = schema
            for statement in PostgresSchema.createStatements() + extraStatements { try admin.execute(statement) }
            try admin.execute(
                """
                INSERT INTO units(id, name) VALUES (1, '区林业局');
                INSERT INTO towns(id, name) VALUES (1, '城郊镇'), (2, '乌兰木伦镇');
                INSERT INTO villages(id, name, town_id, unit_id) VALUES (1, '前进村', 1, 1), (2, '东风村', 1, 1), (3, '红旗村', 2, 1), (4, '巴图村', 2, 1);
                INSERT INTO households(id, number, head_name, head_id_number, village_id, size)
                  VALUES (1, 'H1', '郝一', '152701198001010011', 1, 3), (2, 'H2', '郝二', '152701198001010022', 2, 3),
                         (3, 'H3', '郝三', '152701198001010033', 3, 3), (4, 'H4', '郝四', '152701198001010044', 3, 3),
                         (5, 'H5', '郝五', '152701198001010055', 4, 3);
                INSERT INTO members(id, household_id, name, id_number) SELECT id, id, head_name, head_id_number FROM households;
                INSERT INTO incomes(household_id, year, category, amount) VALUES (1, 2019, '工资性收入', 1000), (2, 2019, '工资性收入', 2000),
                  (3, 2019, '工资性收入', 4000), (4, 2019, '工资性收入', 8000), (5, 2019, '工资性收入', 16000);
                INSERT INTO distributions(date, household_id, village_id, item, quantity, value)
                  VALUES ('2019-05-01', 1, NULL, '鸡苗', 10, 100), ('2019-05-01', NULL, 3, '树苗', 20, 200), ('2019-05-01', NULL, NULL, '化肥', 1, 400);
                INSERT INTO audit_log("time", "operator", "source", "collection", "record_id", "action") VALUES ('2019-05-01T00:00:00Z', '管理员', 'test', 'households', 3, 'insert');
                SELECT setval(pg_get_serial_sequence('households', 'id'), 5);
                SELECT setval(pg_get_serial_sequence('members', 'id'), 5);
                """)
        }

        var access: AccessControl { AccessControl(connection: admin, schema: schema) }

        /// A new login role and a connection as it.
        func role(_ prefix: String) throws -> (name: String, connect: () throws -> PostgresConnection) {
            let name = PostgresTestServer.uniqueName(prefix)
            try admin.execute("CREATE ROLE \(name) LOGIN")
            let uri = try PostgresTestServer.replacing(self.uri, user: name)
            return (name, { try PostgresConnection(uri) })
        }

        func count(_ sql: String) throws -> Int64? { try admin.query(sql).value(0, 0).integer }
    }

    /// The SQLSTATE `body` fails with, or nil when it succeeds.
    func sqlState(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as PostgresError {
            return error.sqlState ?? "no-sqlstate"
        } catch {
            return "\(error)"
        }
    }

    @Test func scopedTablesAreThoseHangingFromAVillage() {
        let names = Set(AccessPolicy.scopedTables(.core).map(\.name))
        #expect(
            names == [
                "villages", "households", "members", "pairings", "teams", "team_members", "measures",
                "distributions", "funds", "incomes", "trainings", "training_attendees", "visits",
                "ranger_posts", "monitoring", "documents", "status_changes",
            ])
    }

    @Test func aTownsRoleReadsCountsAndSumsOnlyItsTown() throws {
        let store = try Store()
        let analyst = try store.role("cj_read")
        try store.access.grant(role: analyst.name, town: "城郊镇")
        let pg = try analyst.connect()
        #expect(try pg.query("SELECT count(*) FROM households").value(0, 0) == .integer(2))
        #expect(
            try pg.query("SELECT array_agg(number ORDER BY id)::text FROM households").value(0, 0) == .text("{H1,H2}"))
        #expect(try pg.query("SELECT sum(amount) FROM incomes").value(0, 0) == .integer(3000))
        #expect(try pg.query("SELECT count(*) FROM members").value(0, 0) == .integer(2))
        #expect(try pg.query("SELECT count(*) FROM villages").value(0, 0) == .integer(2))
        // The unit's own distribution (no place) is shared; 红旗村's is not.
        #expect(try pg.query("SELECT count(*), sum(value) FROM distributions").row(0) == [.integer(2), .integer(500)])
        // Asking for another town's rows by id, join or subquery finds nothing.
        #expect(try pg.query("SELECT count(*) FROM households WHERE id IN (3, 4, 5)").value(0, 0) == .integer(0))
        #expect(
            try pg.query(
                "SELECT count(*) FROM incomes i JOIN households h ON h.id = i.household_id WHERE h.village_id = 3"
            ).value(0, 0) == .integer(0))
        #expect(try pg.query("SELECT count(*) FROM incomes WHERE household_id = 5").value(0, 0) == .integer(0))
        // No personal columns without --pii; the others column by column.
        #expect(sqlState { try pg.query("SELECT head_id_number FROM households") } == "42501")
        #expect(sqlState { try pg.query("SELECT * FROM members") } == "42501")
        #expect(try pg.query("SELECT head_name FROM households WHERE id = 1").value(0, 0) == .text("郝一"))
        // Read-only: no change by any statement.
        #expect(sqlState { try pg.query("UPDATE households SET size = 9") } == "42501")
        #expect(sqlState { try pg.query("DELETE FROM incomes") } == "42501")
        #expect(
            sqlState {
                try pg.query("INSERT INTO incomes(household_id, year, category, amount) VALUES (1, 2020, 'x', 1)")
            } == "42501")
        #expect(sqlState { try pg.query("TRUNCATE incomes") } == "42501")
        #expect(sqlState { try pg.query("DELETE FROM fupin_access") } == "42501")
        // The audit log: only this role's entries, so none yet.
        #expect(try pg.query("SELECT count(*) FROM audit_log").value(0, 0) == .integer(0))
        // Its own grants only.
        #expect(try pg.query("SELECT count(*) FROM fupin_access").value(0, 0) == .integer(1))
        #expect(try store.count("SELECT sum(size) FROM households") == 15)
    }

    @Test func aTownsWriterChangesOnlyItsTown() throws {
        let store = try Store()
        let analyst = try store.role("cj_write")
        try store.access.grant(role: analyst.name, town: "城郊镇", write: true, pii: true)
        let pg = try analyst.connect()
        #expect(
            try pg.query("SELECT head_id_number FROM households ORDER BY id").rows == [
                [.text("152701198001010011")], [.text("152701198001010022")],
            ])
        #expect(try pg.query("UPDATE households SET size = 9").affectedRows == 2)
        #expect(try pg.query("UPDATE households SET size = 9 WHERE id = 3").affectedRows == 0)
        #expect(try pg.query("UPDATE incomes SET amount = 0 WHERE household_id > 2").affectedRows == 0)
        #expect(
            try store.admin.query("SELECT array_agg(size ORDER BY id)::text FROM households").value(0, 0)
                == .text("{9,9,3,3,3}"))
        // Into another town, or moved out to one: refused by the policy's check.
        #expect(
            sqlState { try pg.query("INSERT INTO households(number, head_name, village_id) VALUES ('X', '某', 3)") }
                == "42501")
        #expect(sqlState { try pg.query("UPDATE households SET village_id = 3 WHERE id = 1") } == "42501")
        #expect(sqlState { try pg.query("INSERT INTO members(household_id, name) VALUES (4, '某')") } == "42501")
        #expect(
            sqlState {
                try pg.query(
                    "INSERT INTO distributions(date, village_id, item, quantity) VALUES ('2019-06-01', 3, 'x', 1)")
            } == "42501")
        // A row naming no place belongs to the owner.
        #expect(
            sqlState { try pg.query("INSERT INTO distributions(date, item, quantity) VALUES ('2019-06-01', 'x', 1)") }
                == "42501")
        #expect(
            try pg.query("UPDATE distributions SET value = 0 WHERE household_id IS NULL AND village_id IS NULL")
                .affectedRows == 0)
        // In its own town it inserts, the server numbering the record (past 5; refused inserts
        // used up numbers too).
        let inserted = try pg.query(
            "INSERT INTO households(number, head_name, village_id) VALUES ('H6', '郝六', 2) RETURNING id"
        ).value(0, 0)
        #expect((inserted.integer ?? 0) > 5)
        try pg.query("INSERT INTO members(household_id, name) VALUES ($1, '郝六')", [inserted])
        // Records that matter are never deleted.
        #expect(sqlState { try pg.query("DELETE FROM households WHERE id = $1", [inserted]) } == "42501")
        // The audit log takes its entries under this role only.
        try pg.query(
            #"INSERT INTO audit_log("time", "operator", "source", "collection", "record_id", "action") VALUES ('t', '张', 'test', 'households', 6, 'insert')"#
        )
        #expect(
            sqlState {
                try pg.query(
                    #"INSERT INTO audit_log("time", "operator", "source", "collection", "record_id", "action", "role") VALUES ('t', '张', 'test', 'households', 6, 'insert', 'postgres')"#
                )
            } == "42501")
        #expect(try pg.query(#"SELECT "operator", "role" FROM audit_log"#).rows == [[.text("张"), .text(analyst.name)]])
        #expect(try store.count("SELECT count(*) FROM households") == 6)
        #expect(try store.count("SELECT count(*) FROM audit_log") == 2)
    }

    @Test func aVillageGrantSeesThatVillageOnly() throws {
        let store = try Store()
        let analyst = try store.role("hq")
        try store.access.grant(role: analyst.name, town: "乌兰木伦镇", village: "红旗村")
        let pg = try analyst.connect()
        #expect(
            try pg.query("SELECT array_agg(number ORDER BY id)::text FROM households").value(0, 0) == .text("{H3,H4}"))
        #expect(try pg.query("SELECT sum(amount) FROM incomes").value(0, 0) == .integer(12000))
        // The village's own distribution and the unit's.
        #expect(try pg.query("SELECT sum(value) FROM distributions").value(0, 0) == .integer(600))
        // A second grant widens it to the town.
        try store.access.grant(role: analyst.name, town: "乌兰木伦镇")
        #expect(try pg.query("SELECT sum(amount) FROM incomes").value(0, 0) == .integer(28000))
        #expect(throws: PostgresError.self) { try store.access.grant(role: analyst.name, town: "没有镇") }
        #expect(throws: PostgresError.self) { try store.access.grant(role: analyst.name, town: "城郊镇", village: "红旗村") }
    }

    @Test func revokeTakesEverythingBackAndListNamesThePlaces() throws {
        let store = try Store()
        let one = try store.role("one")
        let two = try store.role("two")
        try store.access.grant(role: one.name, town: "城郊镇", write: true)
        try store.access.grant(role: two.name, town: "乌兰木伦镇", village: "巴图村", pii: true)
        let listed = try store.access.list().filter { $0.role != "postgres" }
        #expect(
            Set(listed) == [
                AccessControl.Listed(role: one.name, town: "城郊镇", village: nil, write: true, pii: false),
                AccessControl.Listed(role: two.name, town: "乌兰木伦镇", village: "巴图村", write: false, pii: true),
            ])
        let pg = try one.connect()
        #expect(try pg.query("SELECT count(*) FROM households").value(0, 0) == .integer(2))
        try store.access.revoke(role: one.name)
        #expect(sqlState { try pg.query("SELECT count(*) FROM households") } == "42501")
        #expect(sqlState { try pg.query("UPDATE households SET size = 1") } == "42501")
        #expect(try store.access.list().contains { $0.role == one.name } == false)
        // Dropping the only pii grant closes the personal columns again.
        let other = try two.connect()
        #expect(try other.query("SELECT head_id_number FROM households").rows == [[.text("152701198001010055")]])
        try store.access.grant(role: two.name, town: "乌兰木伦镇", village: "巴图村")
        #expect(sqlState { try other.query("SELECT head_id_number FROM households") } == "42501")
    }

    /// The register with a plugin's sales ledger whose rows reference households.
    static func storeWithSales() throws -> Store {
        let sales = CollectionSchema(
            name: "sales", label: "销售",
            fields: [
                FieldSpec("household_id", .ref("households"), "供货户", required: true),
                FieldSpec("amount", .money, "金额", required: true),
            ], keepsValidFlag: true)
        var schema = Schema.core
        schema.upsert(sales)
        return try Store(schema: schema, extraStatements: PostgresDialect().createTable(sales))
    }

    @Test func aPluginLedgerThatReferencesAHouseholdIsCovered() throws {
        let store = try Self.storeWithSales()
        try store.admin.execute("INSERT INTO sales(household_id, amount) VALUES (1, 10), (3, 20), (5, 40)")
        let analyst = try store.role("sales")
        try store.access.grant(role: analyst.name, town: "城郊镇", write: true)
        let pg = try analyst.connect()
        #expect(try pg.query("SELECT count(*), sum(amount) FROM sales").row(0) == [.integer(1), .integer(10)])
        #expect(sqlState { try pg.query("INSERT INTO sales(household_id, amount) VALUES (4, 1)") } == "42501")
        try pg.query("INSERT INTO sales(household_id, amount) VALUES (2, 1)")
        #expect(try store.count("SELECT sum(amount) FROM sales") == 71)
    }

    /// Counts and sums by a town's role equal the owner's over that town's rows, on a register
    /// large enough (and analysed) that the server plans the policies as it would on a real
    /// store: the members and a plugin ledger hanging from households, a village grant, an
    /// all-towns role, and single rows asked for by id.
    @Test func aTownsCountsAndSumsEqualTheOwnersOverThatTown() throws {
        let store = try Self.storeWithSales()
        try store.admin.execute(
            """
            INSERT INTO villages(id, name, town_id, unit_id) SELECT 100 + g, '村' || g, 1 + g % 2, 1 FROM generate_series(1, 40) g;
            INSERT INTO households(id, number, head_name, village_id, size)
              SELECT 100 + g, 'G' || g, '户' || g, 101 + g % 40, 1 + g % 5 FROM generate_series(1, 20000) g;
            INSERT INTO members(household_id, name) SELECT 101 + g % 20000, '人' || g FROM generate_series(1, 60000) g;
            INSERT INTO sales(household_id, amount) SELECT 101 + g % 20000, g % 1000 FROM generate_series(1, 30000) g;
            ANALYZE;
            """)
        func figures(_ pg: PostgresConnection, where filter: String = "") throws -> [PostgresValue] {
            let join =
                filter.isEmpty
                ? ""
                : " JOIN households h ON h.id = x.household_id JOIN villages v ON v.id = h.village_id WHERE \(filter)"
            return try pg.query(
                """
                SELECT (SELECT count(*) FROM members x\(join)), (SELECT count(*) FROM sales x\(join)),
                       (SELECT sum(amount) FROM sales x\(join)), (SELECT sum(size) FROM households x\(filter.isEmpty ? "" : " JOIN villages v ON v.id = x.village_id WHERE \(filter)"))
                """
            ).row(0)
        }
        let town = try store.role("cj_count")
        try store.access.grant(role: town.name, town: "城郊镇")
        let owners = try figures(store.admin, where: "v.town_id = 1")
        #expect(owners[0] != .integer(0) && owners[1] != .integer(0))
        #expect(try figures(town.connect()) == owners)
        // By id: a member of the town is found, one of the other town is not.
        let pg = try town.connect()
        let mine = try store.count(
            "SELECT min(m.id) FROM members m JOIN households h ON h.id = m.household_id JOIN villages v ON v.id = h.village_id WHERE v.town_id = 1"
        )
        let theirs = try store.count(
            "SELECT min(m.id) FROM members m JOIN households h ON h.id = m.household_id JOIN villages v ON v.id = h.village_id WHERE v.town_id = 2"
        )
        #expect(
            try pg.query("SELECT count(*) FROM members WHERE id = $1", [.integer(mine ?? 0)]).value(0, 0) == .integer(1)
        )
        #expect(
            try pg.query("SELECT count(*) FROM members WHERE id = $1", [.integer(theirs ?? 0)]).value(0, 0)
                == .integer(0))
        // One village.
        let village = try store.role("v_count")
        try store.access.grant(role: village.name, town: "乌兰木伦镇", village: "红旗村")
        try store.admin.execute("UPDATE households SET village_id = 3 WHERE id BETWEEN 101 AND 150")
        #expect(try figures(village.connect()) == figures(store.admin, where: "v.id = 3"))
        // Every town (the owner's kind of grant, for a role that is not a superuser).
        let everyone = try store.role("all_count")
        try store.access.grant(role: everyone.name, town: "城郊镇")
        try store.admin.execute("UPDATE fupin_access SET town_id = NULL WHERE role = '\(everyone.name)'")
        #expect(try figures(everyone.connect()) == figures(store.admin))
    }
}
