import Testing

@testable import FupinCore

@Suite("Money and area are exact")
struct MoneyTests {
    @Test func textYuanToFen() throws {
        #expect(try Money(yuan: "6.40").fen == 640)
        #expect(try Money(yuan: "6.4").fen == 640)
        #expect(try Money(yuan: "12").fen == 1200)
        #expect(try Money(yuan: "0.01").fen == 1)
        #expect(try Money(yuan: "1,234.50").fen == 123_450)
        #expect(try Money(yuan: " 13800 ").fen == 1_380_000)
        #expect(try Money(yuan: "6.400").fen == 640)
    }

    @Test func doubleUsesShortestDecimal() throws {
        // 6.4 * 100 == 640.0000000000001 in binary floating point; we must get exactly 640.
        let yuan: [Double] = [6.4, 0.29, 1.15]
        #expect(yuan.map { $0 * 100 } != [640, 29, 115])  // what a naive conversion would get wrong
        #expect(try Money(yuan: 6.4).fen == 640)
        #expect(try Money(yuan: 0.29).fen == 29)  // 0.29 * 100 == 28.999999999999996
        #expect(try Money(yuan: 1.15).fen == 115)
        #expect(try Money(yuan: 13800.0).fen == 1_380_000)
    }

    @Test func floatingSumIsRejectedNotRounded() {
        // 0.1 + 0.2 == 0.30000000000000004: more than two decimals, so an error, not 30 fen.
        #expect(throws: MoneyError.self) { try Money(yuan: 0.1 + 0.2) }
    }

    @Test func tooManyDecimalsRejected() {
        #expect(throws: MoneyError.self) { try Money(yuan: "12.345") }
        #expect(throws: MoneyError.self) { try Money(yuan: 12.345) }
        #expect(throws: MoneyError.self) { try Money(yuan: "abc") }
        #expect(throws: MoneyError.self) { try Money(yuan: "1.2.3") }
        #expect(throws: MoneyError.self) { try Money(yuan: "") }
    }

    @Test func negativeMoneyRejectedByFields() throws {
        let ws = try fixture()
        let error = validationError {
            try ws.insert(
                "incomes", ["household_id": 1, "year": 2019, "category": "工资性", "amount": -5], context: testContext)
        }
        #expect(error?.field == "amount")
        #expect(error?.reason == "is negative")
        #expect(error?.description == "incomes.amount: -5 is negative")
    }

    @Test func formatting() throws {
        #expect(Money(fen: 123_450).formatted == "1,234.50")
        #expect(Money(fen: 123_450).yuanText == "1234.50")
        #expect(Money(fen: 5).yuanText == "0.05")
        #expect(Money(fen: -150).yuanText == "-1.50")
        #expect(Money(fen: 1_380_000).wanYuan == "1.38")
        #expect(Money(fen: 1_234_567_89).formatted == "1,234,567.89")
        #expect(Money(fen: 50_000).wanYuan == "0.05")  // 500 yuan
        #expect(Money(fen: 4_999).wanYuan == "0.00")
        #expect(Money.wanYuan(fen: 1_385_000, decimals: 2) == "1.39")  // half away from zero
    }

    @Test func moneyThroughAField() throws {
        let ws = try fixture()
        let id = try ws.insert(
            "distributions",
            [
                "date": "2019-04-02", "household_id": 1, "item": "果树苗",
                "quantity": 35, "unit": "株", "value": 6.4,
            ], context: testContext)
        #expect(try ws.get("distributions", id: id)?["value"] == 640.sqlValue)
        #expect(try ws.get("distributions", id: id)?.value("value").plainText == "6.40")
        let error = validationError {
            try ws.insert(
                "distributions",
                [
                    "date": "2019-04-02", "household_id": 1, "item": "x", "quantity": 1,
                    "value": "12.345",
                ], context: testContext)
        }
        #expect(error?.description == "distributions.value: 12.345 has more than 2 decimal places")
    }

    @Test func areaIsExactHundredths() throws {
        #expect(try Area(mu: "10050").hundredths == 1_005_000)
        #expect(try Area(mu: 12.5).hundredths == 1250)
        #expect(Area(hundredths: 1250).muText == "12.50")
        #expect(throws: MoneyError.self) { try Area(mu: "0.125") }
        let ws = try fixture()
        let id = try ws.insert(
            "eco_projects", ["name": "森林植被恢复", "year": 2019, "completed_area": 10050.0],
            context: testContext)
        #expect(try ws.get("eco_projects", id: id)?.value("completed_area") == .area(Area(hundredths: 1_005_000)))
        #expect(
            validationError {
                try ws.insert(
                    "eco_projects", ["name": "x", "year": 2019, "planned_area": "1.234"], context: testContext)
            }?.field == "planned_area")
    }
}
