import GRDB

/// Derived income figures per household and year, and the poverty line of a year.
///
/// Example: `try ws.read { db in try ws.incomeFigures(householdID: 1, year: 2019, in: db) }.perCapitaNetIncome`.
extension Workspace {
    /// The poverty line of `year` from `poverty_lines`, or nil when the table has none.
    public func povertyLine(year: Int, in db: Database) throws -> Money? {
        try Int64.fetchOne(db, sql: #"SELECT "amount" FROM "poverty_lines" WHERE "year" = ?"#, arguments: [year])
            .map(Money.init(fen:))
    }

    /// The figures of one household for `year` (throws `notFound` for an unknown household).
    public func incomeFigures(householdID: Int64, year: Int, in db: Database) throws -> IncomeFigures {
        guard let size = try Row.fetchOne(db, sql: #"SELECT "size" FROM "households" WHERE "id" = ?"#, arguments: [householdID]) else {
            throw WorkspaceError.notFound(collection: "households", id: householdID)
        }
        let lines = try incomeLines(year: year, householdID: householdID, in: db)[householdID] ?? []
        let members = try Int.fetchOne(
            db, sql: #"SELECT COUNT(*) FROM "members" WHERE "household_id" = ? AND "valid" = 1"#, arguments: [householdID]) ?? 0
        return IncomeFigures(
            householdID: householdID, year: year, lines: lines, validMembers: members,
            householdSize: size["size"], povertyLine: try povertyLine(year: year, in: db),
            bandFactorHundredths: try monitoringBandFactorHundredths(in: db))
    }

    /// The figures of one household for `year`, in a read of its own.
    public func incomeFigures(householdID: Int64, year: Int) throws -> IncomeFigures {
        try read { db in try incomeFigures(householdID: householdID, year: year, in: db) }
    }

    /// The figures of every valid household for `year`, by household id (four queries in all).
    public func incomeFigures(year: Int, in db: Database) throws -> [IncomeFigures] {
        let lines = try incomeLines(year: year, householdID: nil, in: db)
        var members: [Int64: Int] = [:]
        for row in try Row.fetchAll(db, sql: #"SELECT "household_id", COUNT(*) AS n FROM "members" WHERE "valid" = 1 GROUP BY "household_id""#) {
            members[row[0]] = row[1]
        }
        let line = try povertyLine(year: year, in: db)
        let factor = try monitoringBandFactorHundredths(in: db)
        return try Row.fetchAll(db, sql: #"SELECT "id", "size" FROM "households" WHERE "valid" = 1 ORDER BY "id""#).map { row in
            let id: Int64 = row[0]
            return IncomeFigures(householdID: id, year: year, lines: lines[id] ?? [], validMembers: members[id] ?? 0,
                                 householdSize: row[1], povertyLine: line, bandFactorHundredths: factor)
        }
    }

    private func incomeLines(year: Int, householdID: Int64?, in db: Database)
        throws -> [Int64: [(category: String, subcategory: String?, amount: Int64, cost: Int64)]]
    {
        var sql = #"""
            SELECT "household_id", "category", "subcategory", SUM("amount"), SUM(COALESCE("cost", 0))
            FROM "incomes" WHERE "valid" = 1 AND "year" = ?
            """#
        var arguments: StatementArguments = [year]
        if let householdID {
            sql += #" AND "household_id" = ?"#
            arguments += [householdID]
        }
        sql += #" GROUP BY "household_id", "category", "subcategory""#
        var result: [Int64: [(category: String, subcategory: String?, amount: Int64, cost: Int64)]] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            result[row[0], default: []].append((row[1], row[2], row[3] ?? 0, row[4] ?? 0))
        }
        return result
    }
}
