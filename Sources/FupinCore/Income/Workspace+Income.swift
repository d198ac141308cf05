/// Derived income figures per household and year, and the poverty line of a year.
///
/// Example: `try ws.store.read { c in try ws.incomeFigures(householdID: 1, year: 2019, in: c) }.perCapitaNetIncome`.
extension Workspace {
    /// The poverty line of `year` from `poverty_lines`, or nil when the table has none.
    public func povertyLine(year: Int, in store: any StoreConnection) throws -> Money? {
        try store.fetchInt(dialect.numbered(#"SELECT "amount" FROM "poverty_lines" WHERE "year" = ?"#), [.integer(Int64(year))])
            .map(Money.init(fen:))
    }

    /// The figures of one household for `year` (throws `notFound` for an unknown household).
    public func incomeFigures(householdID: Int64, year: Int, in store: any StoreConnection) throws -> IncomeFigures {
        guard let size = try store.fetchOne(dialect.numbered(#"SELECT "size" FROM "households" WHERE "id" = ?"#),
                                            [.integer(householdID)], { $0.integer(0) }) else {
            throw WorkspaceError.notFound(collection: "households", id: householdID)
        }
        let lines = try incomeLines(year: year, householdID: householdID, in: store)[householdID] ?? []
        let members = try store.fetchInt(
            dialect.numbered(#"SELECT COUNT(*) FROM "members" WHERE "household_id" = ? AND "valid" = 1"#), [.integer(householdID)]) ?? 0
        return IncomeFigures(
            householdID: householdID, year: year, lines: lines, validMembers: Int(members),
            householdSize: size.map(Int.init), povertyLine: try povertyLine(year: year, in: store),
            bandFactorHundredths: try monitoringBandFactorHundredths(in: store))
    }

    /// The figures of one household for `year`, in a read of its own.
    public func incomeFigures(householdID: Int64, year: Int) throws -> IncomeFigures {
        try store.read { c in try incomeFigures(householdID: householdID, year: year, in: c) }
    }

    /// The figures of every valid household for `year`, by household id (four queries in all).
    public func incomeFigures(year: Int, in store: any StoreConnection) throws -> [IncomeFigures] {
        let lines = try incomeLines(year: year, householdID: nil, in: store)
        var members: [Int64: Int] = [:]
        try store.query(#"SELECT "household_id", COUNT(*) AS n FROM "members" WHERE "valid" = 1 GROUP BY "household_id""#) { row in
            members[row.integer(0) ?? 0] = Int(row.integer(1) ?? 0)
            return true
        }
        let line = try povertyLine(year: year, in: store)
        let factor = try monitoringBandFactorHundredths(in: store)
        return try store.fetchAll(#"SELECT "id", "size" FROM "households" WHERE "valid" = 1 ORDER BY "id""#) { row in
            let id = row.integer(0) ?? 0
            return IncomeFigures(householdID: id, year: year, lines: lines[id] ?? [], validMembers: members[id] ?? 0,
                                 householdSize: row.integer(1).map(Int.init), povertyLine: line, bandFactorHundredths: factor)
        }
    }

    private func incomeLines(year: Int, householdID: Int64?, in store: any StoreConnection)
        throws -> [Int64: [(category: String, subcategory: String?, amount: Int64, cost: Int64)]]
    {
        var sql = #"""
            SELECT "household_id", "category", "subcategory", SUM("amount"), SUM(COALESCE("cost", 0))
            FROM "incomes" WHERE "valid" = 1 AND "year" = ?
            """#
        var arguments: [SQLValue] = [.integer(Int64(year))]
        if let householdID {
            sql += #" AND "household_id" = ?"#
            arguments.append(.integer(householdID))
        }
        sql += #" GROUP BY "household_id", "category", "subcategory""#
        var result: [Int64: [(category: String, subcategory: String?, amount: Int64, cost: Int64)]] = [:]
        try store.query(dialect.numbered(sql), arguments) { row in
            result[row.integer(0) ?? 0, default: []].append((row.text(1) ?? "", row.text(2), row.integer(3) ?? 0, row.integer(4) ?? 0))
            return true
        }
        return result
    }
}
