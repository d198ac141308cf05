import GRDB
import Testing

@testable import FupinCore

@Suite("Queries run as SQL")
struct QueryTests {
    func workspace() throws -> Workspace {
        let ws = try fixture()
        try ws.insert(
            "households", ["number": "150602001002", "head_name": "杨来才", "village_id": 1, "standard": "省定"],
            context: testContext)
        let rows: [[String: FieldInput]] = [
            ["date": "2019-04-02", "household_id": 1, "item": "果树苗", "quantity": 35, "unit": "株", "value": "175.50"],
            ["date": "2019-04-02", "household_id": 2, "item": "果树苗", "quantity": 30, "unit": "株", "value": 150],
            ["date": "2019-06-01", "household_id": 1, "item": "雏鸡", "quantity": 30, "unit": "只", "value": 0.1],
            ["date": "2018-05-01", "household_id": 2, "item": "猪仔", "quantity": 2, "unit": "头", "value": 1200],
        ]
        try ws.insertAll("distributions", rows, context: testContext)
        let removed = try ws.insert(
            "distributions", ["date": "2019-05-05", "household_id": 2, "item": "果树苗", "quantity": 100],
            context: testContext)
        try ws.remove("distributions", id: removed, context: testContext)
        return ws
    }

    @Test func filtersAndAggregates() throws {
        let ws = try workspace()
        let all = try ws.query("distributions")
        try ws.read { (db: Database) throws in
            #expect(try ws.count(all, in: db) == 4)  // the removed one is not seen
            #expect(try ws.count(all.includingInvalid(), in: db) == 5)
            let trees = all.where(.year(2019)).where(.compare("item", .equal, "果树苗"))
            #expect(try ws.aggregate(.sum, "quantity", of: trees, in: db) == .number(65))
            #expect(try ws.aggregate(.sum, "value", of: all.where(.year(2019)), in: db) == .money(Money(fen: 32_560)))
            #expect(try ws.aggregate(.avg, "value", of: trees, in: db) == .money(Money(fen: 16_275)))
            #expect(try ws.aggregate(.max, "date", of: all, in: db) == .date("2019-06-01"))
            // Money filters are in yuan.
            #expect(try ws.count(all.where(.compare("value", .greaterOrEqual, 175.5)), in: db) == 2)
            #expect(try ws.count(all.where(.between("date", "2019/4/1", "2019-04-30")), in: db) == 2)
            #expect(try ws.count(all.where(.oneOf("unit", ["只", "头"])), in: db) == 2)
            #expect(try ws.count(all.where(.like("item", "%苗")), in: db) == 2)
            #expect(try ws.count(all.where(.compare("valid", .equal, false)), in: db) == 1)
            // Aliases work in filters: 国贫户 is 国家.
            let national = try ws.query("households").where(.compare("standard", .equal, "国贫户"))
            #expect(try ws.list(national, in: db).map(\.id) == [1])
        }
    }

    @Test func orderLimitOffsetAndStreaming() throws {
        let ws = try workspace()
        let query = try ws.query("distributions").orderBy("quantity", descending: true)
        try ws.read { (db: Database) throws in
            #expect(
                try ws.list(query, in: db).map { $0.value("quantity") } == [
                    .number(35), .number(30), .number(30), .number(2),
                ])
            #expect(try ws.list(query.limit(2).offset(1), in: db).map(\.id) == [2, 3])
            #expect(try ws.aggregate(.sum, "quantity", of: query.limit(2), in: db) == .number(65))
            #expect(try ws.first(query, in: db)?.id == 1)
            var seen: [Int64] = []
            try ws.forEach(query, in: db) { record in
                seen.append(record.id)
                return seen.count < 3
            }
            #expect(seen == [1, 2, 3])
        }
    }

    @Test func grouping() throws {
        let ws = try workspace()
        let all = try ws.query("distributions")
        try ws.read { (db: Database) throws in
            let byItem = try ws.grouped(all, by: "item", in: db)
            #expect(byItem.map(\.key) == [.text("果树苗"), .text("猪仔"), .text("雏鸡")])
            #expect(byItem.map(\.value) == [.integer(2), .integer(1), .integer(1)])
            let valueByYear = try ws.grouped(all, by: "year", .sum, "value", in: db)
            #expect(valueByYear.map(\.key) == [.integer(2018), .integer(2019)])
            #expect(valueByYear.map(\.value) == [.money(Money(fen: 120_000)), .money(Money(fen: 32_560))])
        }
    }

    /// A date field grouped by month or quarter (text keys), and distinct values counted alone,
    /// per group and among other figures.
    @Test func groupingByPeriodAndCountingDistinct() throws {
        let ws = try workspace()
        let all = try ws.query("distributions")
        try ws.read { (db: Database) throws in
            let byMonth = try ws.grouped(all, by: "month(date)", in: db)
            #expect(byMonth.map(\.key) == [.text("2018-05"), .text("2019-04"), .text("2019-06")])
            #expect(byMonth.map(\.value) == [.integer(1), .integer(2), .integer(1)])
            let byQuarter = try ws.grouped(all, by: "quarter", .countDistinct, "household_id", in: db)
            #expect(byQuarter.map(\.key) == [.text("2018-Q2"), .text("2019-Q2")])
            #expect(byQuarter.map(\.value) == [.integer(1), .integer(2)])
            #expect(try ws.aggregate(.countDistinct, "item", of: all, in: db) == .integer(3))
            #expect(try ws.aggregate(.countDistinct, "item", of: all.where(.year(2019)), in: db) == .integer(2))
            let figures = try ws.measures(
                all, [.count, Workspace.Measure(.countDistinct, "household_id")], groupedBy: "year(date)", in: db)
            #expect(figures.map(\.key) == [.integer(2018), .integer(2019)])
            #expect(figures.map(\.values) == [[.integer(1), .integer(1)], [.integer(3), .integer(2)]])
            #expect(throws: ValidationError.self) { try ws.grouped(all, by: "month(item)", in: db) }
            #expect(throws: ValidationError.self) { try ws.grouped(try ws.query("households"), by: "quarter", in: db) }
        }
    }

    @Test func badFiltersNameTheField() throws {
        let ws = try workspace()
        let all = try ws.query("distributions")
        try ws.read { (db: Database) throws in
            #expect(
                validationError { _ = try ws.count(all.where(.compare("colour", .equal, "red")), in: db) }?.field
                    == "colour")
            #expect(
                validationError { _ = try ws.count(all.where(.compare("value", .less, "1.234")), in: db) }?.reason
                    == "has more than 2 decimal places")
            #expect(
                validationError { _ = try ws.count(try ws.query("towns").where(.year(2019)), in: db) }?.field == "year")
        }
    }

    /// sum and avg of a field that holds no number are refused (SQL would read the text as 0);
    /// a yes/no field adds up to its count of yeses; min and max take any field.
    @Test func sumAndAvgNeedANumberField() throws {
        let ws = try workspace()
        try ws.read { (db: Database) throws in
            let all = try ws.query("distributions")
            for function in [Query.Aggregate.sum, .avg] {
                let refused = validationError { _ = try ws.aggregate(function, "item", of: all, in: db) }
                #expect(refused?.field == "item")
                #expect(
                    refused?.reason.contains("\(function.rawValue) needs a number") == true,
                    "\(String(describing: refused))")
                #expect(
                    validationError { _ = try ws.grouped(all, by: "unit", function, "date", in: db) }?.field == "date")
            }
            #expect(try ws.aggregate(.max, "item", of: all, in: db) == .text("雏鸡"))
            let households = try ws.query("households")
            _ = try ws.aggregate(.sum, "dangerous_housing", of: households, in: db)
        }
    }
}
