import Foundation
import GRDB
import Testing

@testable import FupinCore

/// The index by household and date (migration v7, `CollectionSchema.householdDateIndex`): a
/// year of a ledger for some villages' households is read through it, old workspaces and old
/// ledger tables gain it.
@Suite struct HouseholdDateIndexTests {
    func indexNames(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
    }

    /// v7's frozen list is the rule applied to today's core schema.
    @Test func v7IndexesEveryCoreLedgerReadByHouseholdAndYear() {
        var expected: [String: [String]] = [:]
        for collection in Schema.core.collections {
            if let columns = collection.householdDateIndex { expected[collection.name] = columns }
        }
        var frozen: [String: [String]] = [:]
        for index in Migrations.v7Indexes { frozen[index.table] = index.columns }
        #expect(frozen == expected)
        #expect(expected["visits"] == ["household_id", "date"])
        #expect(expected["measures"] == ["household_id", "year"])
        #expect(Schema.core["members"]?.householdDateIndex == nil)
    }

    @Test func aV6WorkspaceGainsTheIndexesWithItsDataKept() throws {
        let folder = try MigrationTests.oldWorkspace(
            migratedUpTo: 6,
            more: """
                INSERT INTO units(id, name) VALUES (1, '区林业局');
                INSERT INTO cadres(id, name, unit_id) VALUES (1, '王明刚', 1);
                INSERT INTO visits(date, cadre_id, household_id, mode) VALUES ('2019-03-01', 1, 1, '入户');
                """
        ) { (db: Database) throws in #expect(try !indexNames(db).contains("visits_household_id_date")) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let ws = try Workspace.open(at: folder)
        try ws.read { (db: Database) throws in
            let names = try indexNames(db)
            for index in Migrations.v7Indexes {
                #expect(names.contains(CollectionSchema.indexName(index.table, index.columns)), "\(index.table)")
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visits WHERE household_id = 1") == 1)
        }
    }

    /// The report's shape of query (a year, the households of some villages) reads the year's
    /// rows by the index, not every row of each household.
    @Test func aYearForSomeVillagesIsReadThroughTheIndex() throws {
        let ws = try Workspace.inMemory()
        let plans = try ws.read { (db: Database) throws -> [String] in
            try ["visits", "distributions", "status_changes"].map { table in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        EXPLAIN QUERY PLAN SELECT COUNT(*) FROM "\(table)" WHERE "valid" = 1
                        AND "household_id" IN (SELECT "id" FROM "households" WHERE "village_id" IN (1, 2))
                        AND "date" >= '2019-01-01' AND "date" < '2020-01-01'
                        """)
                return rows.map { $0["detail"] as String? ?? "" }.joined(separator: "\n")
            }
        }
        #expect(plans[0].contains("visits_household_id_date (household_id=? AND date>? AND date<?)"), "\(plans[0])")
        #expect(plans[1].contains("distributions_household_id_date"), "\(plans[1])")
        #expect(plans[2].contains("status_changes_household_id_date"), "\(plans[2])")
    }

    /// A plugin ledger: a new table has the index; a table made without it (by an older Fupin,
    /// or by hand) gains it when the ledger is registered, whether or not its declaration is
    /// current.
    @Test func aLedgerTableGainsTheIndexWhenRegistered() throws {
        let sales = CollectionSchema(
            name: "sales", label: "销售记录",
            fields: [
                FieldSpec("date", .date, "日期", required: true),
                FieldSpec("household_id", .ref("households"), "供货户"),
                FieldSpec("amount", .money, "金额", min: 0),
            ],
            keepsValidFlag: true, dateField: "date")
        #expect(sales.householdDateIndex == ["household_id", "date"])
        #expect(
            SQLiteDialect().createTable(sales).last
                == #"CREATE INDEX "sales_household_id_date" ON "sales"("household_id", "date")"#)

        let ws = try Workspace.inMemory()
        try ws.write { (db: Database) throws in
            try db.execute(
                sql: """
                    CREATE TABLE "sales" ("id" INTEGER PRIMARY KEY, "date" TEXT NOT NULL,
                      "household_id" INTEGER REFERENCES "households"("id"), "amount" INTEGER,
                      "valid" INTEGER NOT NULL DEFAULT 1);
                    CREATE INDEX "sales_household_id" ON "sales"("household_id");
                    """)
        }
        let lacks = { try ws.store.readOnWriter { try Workspace.lacksHouseholdDateIndex(sales, $0) } }
        #expect(try lacks())
        try ws.registerLedger(sales, owner: "produce-sales")
        try ws.read { (db: Database) throws in
            #expect(try indexNames(db).isSuperset(of: ["sales_household_id", "sales_household_id_date"]))
        }
        #expect(try !lacks())
        // the declaration is current now: the index alone is added
        try ws.write { (db: Database) throws in try db.execute(sql: #"DROP INDEX "sales_household_id_date""#) }
        #expect(try ws.store.readOnWriter { try Workspace.isCurrent(sales, owner: "produce-sales", $0) })
        try ws.registerLedger(sales, owner: "produce-sales")
        #expect(try !lacks())
    }
}
