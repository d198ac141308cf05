import Foundation
import Testing

@testable import FupinCore

/// `RecordRows.visit` over PostgreSQL (iter's column visitor, reading libpq's text-format
/// cells in place): the same cells as on SQLite and as the generic path, for every kind of
/// field, NULL and edge values included, masked alike.
@Suite struct PostgresRecordRowsTests {
    /// The same records in `ws`: a few through the validated writer, the edge values (which
    /// validation would refuse, or which only a raw write makes) through plain SQL.
    static func fill(_ ws: Workspace) throws {
        try ws.insert("units", ["name": "区林业局", "kind": "党政机关", "group_head": "局长"], context: testContext)
        try ws.insert("towns", ["name": "乌兰木伦镇"], context: testContext)
        try ws.insert("villages", ["name": "前进村", "town_id": 1, "unit_id": 1], context: testContext)
        try ws.insert(
            "households",
            [
                "number": "150602001001", "head_name": "郝九为", "village_id": 1, "size": 3, "standard": "国家",
                "head_id_number": .text(makeIDNumber()), "phone": "13800000000", "dangerous_housing": true,
                "reported_income_per_capita": "4321.05", "special_needs": "",
            ], context: testContext)
        let households = """
            INSERT INTO "households"("id", "number", "head_name", "village_id", "size", "year_identified",
              "reported_income_per_capita", "dangerous_housing", "special_needs", "goal", "phone", "valid")
            VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 1)
            """
        let distributions = """
            INSERT INTO "distributions"("id", "date", "village_id", "item", "quantity", "value", "valid")
            VALUES (?, '2019-05-01', 1, ?, ?, ?, 1)
            """
        let rows: [(String, [SQLValue])] = [
            (
                households,
                [
                    10, "150602001010", "郝九为·𠀀龘", .integer(.max), -2019, -12345, 0, "", .null,
                    "13900000000",
                ]
            ),
            (households, [11, "n-11", "Ünïcode 😀 \"q\" \\ \t", .integer(.min), 0, 1200, 1, "多行\n文本", "目标", .null]),
            (households, [12, "n-12", "空", .null, .null, .null, .null, .null, .null, .null]),
            (distributions, [1, "羊", 2.5, 150_050]),
            (distributions, [2, "牛", 3.0, -1]),
            (distributions, [3, "种子", .real(0.1 + 0.2), .null]),
            (distributions, [4, "化肥", -1.5e300, 0]),
            (distributions, [5, "树苗", 1e-7, 99]),
        ]
        try ws.store.transaction(rollback: false) { c in
            for (sql, arguments) in rows { try c.prepare(sql, reuse: false).execute(arguments) }
        }
    }

    func visitAll(_ ws: Workspace, _ collection: String, masking: Bool, generic: Bool = false) throws -> [String] {
        try ws.store.read { c in
            let rows = try ws.rows(try ws.query(collection), in: generic ? ForwardingConnection(c) : c)
            var collector = CellCollector()
            while try rows.next() { rows.visit(masking: masking, &collector) }
            return rows.columns.map(\.name) + collector.cells
        }
    }

    @Test func rowsVisitTheSameCellsOnPostgreSQLAsOnSQLite() throws {
        let lite = try Workspace.inMemory()
        try Self.fill(lite)
        let pg = try Workspace.open(.postgresql(uri: try PostgresTestServer.database()), folder: nil)
        try Self.fill(pg)
        for collection in ["households", "distributions"] {
            for masking in [false, true] {
                let expected = try visitAll(lite, collection, masking: masking)
                let fast = try visitAll(pg, collection, masking: masking)
                #expect(fast == expected, "\(collection), masking \(masking)")
                #expect(try visitAll(pg, collection, masking: masking, generic: true) == expected)
            }
        }
        let household = try visitAll(pg, "households", masking: false)
        #expect(
            household.contains { $0.hasSuffix(":i\(Int64.max)") }
                && household.contains { $0.hasSuffix(":i\(Int64.min)") })
        #expect(household.contains { $0.hasSuffix(":t郝九为·𠀀龘") })
        #expect(household.contains { $0.hasSuffix(":i-12345") })
        #expect(try visitAll(pg, "distributions", masking: false).contains { $0.hasSuffix(":d0.30000000000000004") })
        // The PostgreSQL cursor is recognised, so the cells above came through its visitor.
        let recognised = try pg.store.read { c in try pg.rows(try pg.query("households"), in: c).postgres != nil }
        #expect(recognised)
    }

    @Test func rowsVisitEveryBatchOfALongQuery() throws {
        let pg = try Workspace.open(.postgresql(uri: try PostgresTestServer.database()), folder: nil)
        try pg.insert("towns", ["name": "乌兰木伦镇"], context: testContext)
        try pg.insert("villages", ["name": "前进村", "town_id": 1], context: testContext)
        let count = PostgresStoreCursor.batchSize * 2 + 7
        try pg.store.transaction(rollback: false) { c in
            try c.prepare(
                """
                INSERT INTO "distributions"("date", "village_id", "item", "quantity", "value", "valid")
                SELECT '2019-06-01', 1, 'n' || g, g * 0.5, g, 1 FROM generate_series(1, ?) AS g
                """, reuse: false
            ).execute([.integer(Int64(count))])
        }
        var sum: Int64 = 0
        var rows = 0
        try pg.store.read { c in
            let records = try pg.rows(try pg.query("distributions"), in: c)
            let value = try #require(records.columns.firstIndex { $0.name == "value" })
            struct Sum: RecordColumnVisitor {
                let column: Int
                var total: Int64 = 0
                mutating func integer(_ column: Int, _ value: Int64) { if column == self.column { total += value } }
                mutating func double(_ column: Int, _ value: Double) {}
                mutating func text(_ column: Int, _ bytes: UnsafeRawBufferPointer) {}
                mutating func null(_ column: Int) {}
                mutating func personal(_ column: Int, _ value: FieldValue) {}
            }
            var visitor = Sum(column: value)
            while try records.next() {
                records.visit(masking: false, &visitor)
                rows += 1
            }
            sum = visitor.total
        }
        #expect(rows == count)
        #expect(sum == Int64(count) * Int64(count + 1) / 2)
    }
}
