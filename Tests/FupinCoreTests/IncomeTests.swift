import Testing

@testable import FupinCore

@Suite("Derived income figures")
struct IncomeTests {
    /// Household 1 has 4 valid members (and one removed), `size` 3.
    func workspaceWithIncomes() throws -> Workspace {
        let ws = try fixture()
        for name in ["郝九为", "妻", "子", "女"] {
            try ws.insert("members", ["household_id": 1, "name": .text(name)], context: testContext)
        }
        let gone = try ws.insert("members", ["household_id": 1, "name": "已故"], context: testContext)
        try ws.remove("members", id: gone, context: testContext)
        let lines: [[String: FieldInput]] = [
            ["category": "工资性", "subcategory": "护林员工资", "amount": 13800],
            ["category": "生产经营性", "subcategory": "畜牧业", "amount": "3000.50", "cost": "1000.25"],
            ["category": "转移性", "subcategory": "低保金", "amount": 2400],
            ["category": "转移性", "subcategory": "教育补助", "amount": 1000],  // not counted
            ["category": "转移性", "subcategory": "医疗救助", "amount": 500],  // alias of 医疗补助, not counted
            ["category": "财产性", "amount": 99.99, "year": 2018],  // another year
        ]
        for line in lines {
            var values = line
            values["household_id"] = 1
            if values["year"] == nil { values["year"] = 2019 }
            try ws.insert("incomes", values, context: testContext)
        }
        let removed = try ws.insert(
            "incomes", ["household_id": 1, "year": 2019, "category": "工资性", "amount": 100000],
            context: testContext)
        try ws.remove("incomes", id: removed, context: testContext)
        try ws.insert("poverty_lines", ["year": 2019, "amount": 3747], context: testContext)
        return ws
    }

    @Test func perCapitaNetIncomeByHand() throws {
        let ws = try workspaceWithIncomes()
        let figures = try ws.incomeFigures(householdID: 1, year: 2019)
        // Counted: 13,800 + 3,000.50 + 2,400 = 19,200.50; costs 1,000.25; net 18,200.25.
        #expect(figures.totalIncome == Money(fen: 1_920_050))
        #expect(figures.excludedSubsidies == Money(fen: 150_000))
        #expect(figures.productionCosts == Money(fen: 100_025))
        #expect(figures.netIncome == Money(fen: 1_820_025))
        // 4 valid members (the removed one does not count; size 3 is not used).
        #expect(figures.people == 4)
        #expect(figures.peopleSource == .validMembers)
        // 1,820,025 fen / 4 = 455,006.25 fen → 455,006 fen = 4,550.06 yuan.
        #expect(figures.perCapitaNetIncome == Money(fen: 455_006))
        #expect(figures.povertyLine == Money(fen: 374_700))
        #expect(figures.isAbovePovertyLine == true)
        // Band 1.5 × 3,747 = 5,620.50 yuan; 4,550.06 is within it.
        #expect(figures.monitoringBand == Money(fen: 562_050))
        #expect(figures.isWithinMonitoringBand == true)
        #expect(figures.byCategory["转移性"] == Money(fen: 240_000))
    }

    @Test func fallsBackToSizeAndFollowsTheFactorSetting() throws {
        let ws = try fixture()  // household 1: size 3, no members
        try ws.insert(
            "incomes", ["household_id": 1, "year": 2019, "category": "工资性", "amount": 10000], context: testContext)
        try ws.insert("poverty_lines", ["year": 2019, "amount": 3747], context: testContext)
        try ws.setMonitoringBandFactor("1.2", context: testContext)
        let figures = try ws.incomeFigures(householdID: 1, year: 2019)
        #expect(figures.peopleSource == .householdSize)
        #expect(figures.people == 3)
        // 1,000,000 fen / 3 = 333,333.33 → 333,333 fen.
        #expect(figures.perCapitaNetIncome == Money(fen: 333_333))
        #expect(figures.isAbovePovertyLine == false)
        #expect(figures.monitoringBand == Money(fen: 449_640))  // 1.2 × 3,747 = 4,496.40
    }

    @Test func lineIsDataNotACconstant() throws {
        let ws = try workspaceWithIncomes()
        #expect(try ws.incomeFigures(householdID: 1, year: 2018).povertyLine == nil)
        #expect(try ws.incomeFigures(householdID: 1, year: 2018).isAbovePovertyLine == nil)
        try ws.insert("poverty_lines", ["year": 2018, "amount": 3535], context: testContext)
        let figures = try ws.incomeFigures(householdID: 1, year: 2018)
        #expect(figures.povertyLine == Money(fen: 353_500))
        #expect(figures.perCapitaNetIncome == Money(fen: 2500))  // 99.99 / 4 = 24.9975 → 25.00
        #expect(figures.isAbovePovertyLine == false)
    }

    @Test func allHouseholdsOfAYear() throws {
        let ws = try workspaceWithIncomes()
        try ws.insert(
            "households", ["number": "150602001002", "head_name": "杨来才", "village_id": 1], context: testContext)
        let all = try ws.store.read { c in try ws.incomeFigures(year: 2019, in: c) }
        #expect(all.map(\.householdID) == [1, 2])
        #expect(all[0].perCapitaNetIncome == Money(fen: 455_006))
        #expect(all[1].peopleSource == .unknown)
        #expect(all[1].perCapitaNetIncome == nil)
    }

    @Test func manyHouseholdsAtOnceAgreeWithOneAtATime() throws {
        let ws = try workspaceWithIncomes()
        try ws.insert(
            "households", ["number": "150602001002", "head_name": "杨来才", "village_id": 1, "size": 2],
            context: testContext)
        try ws.insert(
            "incomes", ["household_id": 2, "year": 2019, "category": "工资性", "amount": 5000], context: testContext)
        let many = try ws.store.read { c in try ws.incomeFigures(householdIDs: [2, 1], year: 2019, in: c) }
        #expect(many.map(\.householdID) == [2, 1])
        for figures in many {
            let one = try ws.incomeFigures(householdID: figures.householdID, year: 2019)
            #expect(figures.perCapitaNetIncome == one.perCapitaNetIncome)
            #expect(figures.totalIncome == one.totalIncome)
            #expect(figures.people == one.people)
            #expect(figures.byCategory == one.byCategory)
            #expect(figures.monitoringBand == one.monitoringBand)
        }
        #expect(many[0].perCapitaNetIncome == Money(fen: 250_000))
        #expect(many[1].perCapitaNetIncome == Money(fen: 455_006))
        #expect(throws: WorkspaceError.self) {
            try ws.store.read { c in try ws.incomeFigures(householdIDs: [1, 99], year: 2019, in: c) }
        }
    }
}
