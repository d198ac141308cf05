import Testing

@testable import FupinCore

/// Each rule with a good and a bad value, through the real write path.
@Suite("Validation rules")
struct ValidationRuleTests {
    func member(_ ws: Workspace, _ values: [String: FieldInput]) throws -> Int64 {
        var all: [String: FieldInput] = ["household_id": 1, "name": "杨来才"]
        for (key, value) in values { all[key] = value }
        return try ws.insert("members", all, context: testContext)
    }

    @Test func residentIDCheckDigit() throws {
        let ws = try fixture()
        let good = makeIDNumber(area: "152701", birth: "19800101", sequence: "123")
        #expect(try member(ws, ["id_number": .text(good)]) > 0)
        let bad = withWrongCheck(good)
        let error = validationError { _ = try member(ws, ["id_number": .text(bad)]) }
        #expect(error?.description == "members.id_number: \(bad) fails the ID check digit")
        // The design's sample message, on a number whose check character really is wrong.
        let householdError = validationError {
            try ws.update("households", id: 1, ["head_id_number": "152701198001011235"], context: testContext)
        }
        #expect(householdError?.description == "households.head_id_number: 152701198001011235 fails the ID check digit")
    }

    @Test func residentIDWithX() throws {
        // Find a sequence whose check character is X, and accept lower-case x as X.
        let withX = (100..<999).lazy.map { makeIDNumber(birth: "19750615", sequence: String($0)) }.first {
            $0.hasSuffix("X")
        }
        let id = try #require(withX)
        let ws = try fixture()
        let memberID = try member(ws, ["id_number": .text(id.lowercased())])
        #expect(try ws.get("members", id: memberID)?["id_number"] == id.sqlValue)
    }

    @Test func residentIDShapeAndBirthDate() throws {
        let ws = try fixture()
        let cases: [(String, String)] = [
            ("15270119800101123", "is not 18 characters long"),
            ("1527011980010112A4", "has a character other than a digit in its first 17"),
            (makeIDNumber(birth: "19800231"), "has an impossible birth date 1980-02-31"),
            (makeIDNumber(birth: "18991231"), "has a birth date before 1900"),
            (makeIDNumber(birth: "20991231"), "has a birth date in the future"),
        ]
        for (value, reason) in cases {
            let error = validationError { _ = try member(ws, ["id_number": .text(value)]) }
            #expect(error?.reason == reason, "\(value)")
            #expect(error?.field == "id_number")
        }
        #expect(try member(ws, ["id_number": .text(makeIDNumber(birth: "20000229"))]) > 0)  // leap day
    }

    @Test func phoneNumbers() throws {
        let ws = try fixture()
        for good in ["13800138000", "138 0013 8000", "0477-8888888", "010-62345678", "(0477)8888888"] {
            #expect(
                try ws.insert("cadres", ["name": "王明刚", "unit_id": 1, "phone": .text(good)], context: testContext) > 0)
        }
        let stored = try ws.read { db in try String.fetchAll(db, sql: "SELECT phone FROM cadres ORDER BY id") }
        #expect(stored == ["13800138000", "13800138000", "0477-8888888", "010-62345678", "0477-8888888"])
        for bad in ["12800138000", "1380013800", "138001380001", "477-8888888", "0477-888", "phone", "0477-0888888"] {
            let error = validationError {
                try ws.insert("cadres", ["name": "王明刚", "unit_id": 1, "phone": .text(bad)], context: testContext)
            }
            #expect(error?.field == "phone", "\(bad)")
            #expect(error?.value == bad)
        }
    }

    @Test func nonNegativeQuantities() throws {
        let ws = try fixture()
        let base: [String: FieldInput] = ["date": "2019-04-02", "household_id": 1, "item": "雏鸡", "unit": "只"]
        #expect(try ws.insert("distributions", base.merging(["quantity": 30]) { $1 }, context: testContext) > 0)
        let error = validationError {
            try ws.insert("distributions", base.merging(["quantity": -1]) { $1 }, context: testContext)
        }
        #expect(error?.description == "distributions.quantity: -1 is negative")
    }

    @Test func minAndMax() throws {
        let ws = try fixture()
        #expect(try member(ws, ["migrant_months": 12]) > 0)
        #expect(validationError { _ = try member(ws, ["migrant_months": 13]) }?.reason == "is more than the maximum 12")
        #expect(
            validationError {
                try ws.update("households", id: 1, ["size": 0], context: testContext)
            }?.reason == "is less than the minimum 1")
        #expect(validationError { _ = try member(ws, ["migrant_months": 2.5]) }?.reason == "is not a whole number")
    }

    @Test func closedVocabularies() throws {
        let ws = try fixture()
        try ws.update(
            "households", id: 1, ["cause": "因病", "standard": "国贫户", "status": "已脱贫(享受政策)"], context: testContext)
        let record = try #require(try ws.get("households", id: 1))
        #expect(record["standard"] == "国家".sqlValue)  // alias from the seed
        #expect(record["status"] == "已脱贫（享受政策）".sqlValue)
        let error = validationError { try ws.update("households", id: 1, ["standard": "县定"], context: testContext) }
        #expect(error?.description == "households.standard: 县定 is not one of 国家/省定/市定")
        #expect(
            validationError { try ws.update("households", id: 1, ["cause": "懒"], context: testContext) }?.field
                == "cause")
        // Coded values accept their Chinese label.
        let fund = try ws.insert(
            "funds", ["date": "2019-03-01", "unit_id": 1, "direction": "收入", "amount": 50000],
            context: testContext)
        #expect(try ws.get("funds", id: fund)?["direction"] == "in".sqlValue)
    }

    @Test func referencesExistAndAreValid() throws {
        let ws = try fixture()
        #expect(try member(ws, ["household_id": 1]) > 0)
        let missing = validationError { _ = try member(ws, ["household_id": 99]) }
        #expect(missing?.description == "members.household_id: 99 is not the id of a record of households")
        let other = try ws.insert(
            "households", ["number": "150602001002", "head_name": "刘三", "village_id": 1],
            context: testContext)
        try ws.remove("households", id: other, context: testContext)
        let removed = validationError { _ = try member(ws, ["household_id": .integer(other)]) }
        #expect(removed?.reason == "refers to a removed (invalid) record of households")
    }

    @Test func realDates() throws {
        let ws = try fixture()
        let base: [String: FieldInput] = ["household_id": 1, "item": "收音机", "quantity": 1]
        let id = try ws.insert("distributions", base.merging(["date": "2019/3/5"]) { $1 }, context: testContext)
        #expect(try ws.get("distributions", id: id)?["date"] == "2019-03-05".sqlValue)
        #expect(try ws.insert("distributions", base.merging(["date": "2020-02-29"]) { $1 }, context: testContext) > 0)
        let error = validationError {
            try ws.insert("distributions", base.merging(["date": "2019-02-30"]) { $1 }, context: testContext)
        }
        #expect(error?.description == "distributions.date: 2019-02-30 is not a real date")
        #expect(
            validationError {
                try ws.insert("distributions", base.merging(["date": "2019-13-01"]) { $1 }, context: testContext)
            }?.reason == "is not a real date")
        #expect(
            validationError {
                try ws.insert("distributions", base.merging(["date": "last spring"]) { $1 }, context: testContext)
            }?.reason == "is not a date (YYYY-MM-DD)")
    }

    @Test func requiredFields() throws {
        let ws = try fixture()
        #expect(try ws.insert("towns", ["name": "新街镇"], context: testContext) > 0)
        #expect(
            validationError { try ws.insert("towns", ["district": "康巴什区"], context: testContext) }?.description
                == "towns.name: is required")
        #expect(validationError { try ws.insert("towns", ["name": "  "], context: testContext) }?.field == "name")
        #expect(
            validationError { try ws.update("towns", id: 1, ["name": .null], context: testContext) }?.field == "name")
    }

    @Test func unknownFieldsAreNamed() throws {
        let ws = try fixture()
        let error = validationError { try ws.insert("towns", ["name": "新街镇", "mayor": "张三"], context: testContext) }
        #expect(error?.field == "mayor")
        #expect(error?.description == "towns.mayor: is not a field of towns (乡镇)")
    }

    @Test func uniqueFields() throws {
        let ws = try fixture()
        let error = validationError {
            try ws.insert(
                "households", ["number": "150602001001", "head_name": "某某", "village_id": 1], context: testContext)
        }
        #expect(error?.description == "households.number: 150602001001 is already used by record 1")
    }

    @Test func crossFieldRules() throws {
        let ws = try fixture()
        let cadre = try ws.insert("cadres", ["name": "王明刚", "unit_id": 1], context: testContext)
        #expect(
            try ws.insert(
                "pairings",
                [
                    "cadre_id": .integer(cadre), "household_id": 1, "start_date": "2019-01-01",
                    "end_date": "2020-12-31",
                ], context: testContext) > 0)
        let error = validationError {
            try ws.insert(
                "pairings",
                [
                    "cadre_id": .integer(cadre), "household_id": 1, "start_date": "2019-05-01",
                    "end_date": "2019-01-01",
                ], context: testContext)
        }
        #expect(error?.description == "pairings.end_date: 2019-01-01 is before start_date 2019-05-01")
        let neither = validationError {
            try ws.insert("distributions", ["date": "2019-04-02", "item": "果树苗", "quantity": 30], context: testContext)
        }
        #expect(neither?.reason == "is missing: give household_id or village_id")
    }

    @Test func booleans() throws {
        let ws = try fixture()
        try ws.update("villages", id: 1, ["in_planning_zone": "是", "has_collective_land": false], context: testContext)
        let village = try #require(try ws.get("villages", id: 1))
        #expect(village.value("in_planning_zone") == .bool(true))
        #expect(village.value("has_collective_land") == .bool(false))
        #expect(
            validationError { try ws.update("villages", id: 1, ["in_planning_zone": "maybe"], context: testContext) }?
                .reason == "is not a yes/no value")
    }
}
