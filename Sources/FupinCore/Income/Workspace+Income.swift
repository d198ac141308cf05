/// Derived income figures per household and year, and the poverty line of a year.
///
/// Example: `try ws.store.read { c in try ws.incomeFigures(householdID: 1, year: 2019, in: c) }.perCapitaNetIncome`.
extension Workspace {
    /// The poverty line of `year` from `poverty_lines`, or nil when the table has none.
    public func povertyLine(year: Int, in store: any StoreConnection) throws -> Money? {
        try store.fetchInt(
            dialect.numbered(#"SELECT "amount" FROM "poverty_lines" WHERE "year" = ?"#), [.integer(Int64(year))]
        )
        .map(Money.init(fen:))
    }

    /// The figures of one household for `year` (throws `notFound` for an unknown household).
    public func incomeFigures(householdID: Int64, year: Int, in store: any StoreConnection) throws -> IncomeFigures {
        guard
            let size = try store.fetchOne(
                dialect.numbered(#"SELECT "size" FROM "households" WHERE "id" = ?"#),
                [.integer(householdID)], { $0.integer(0) })
        else {
            throw WorkspaceError.notFound(collection: "households", id: householdID)
        }
        let lines = try incomeLines(year: year, householdID: householdID, in: store)[householdID] ?? []
        let members =
            try store.fetchInt(
                dialect.numbered(#"SELECT COUNT(*) FROM "members" WHERE "household_id" = ? AND "valid" = 1"#),
                [.integer(householdID)]) ?? 0
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
        try store.query(
            #"SELECT "household_id", COUNT(*) AS n FROM "members" WHERE "valid" = 1 GROUP BY "household_id""#
        ) { row in
            members[row.integer(0) ?? 0] = Int(row.integer(1) ?? 0)
            return true
        }
        let line = try povertyLine(year: year, in: store)
        let factor = try monitoringBandFactorHundredths(in: store)
        return try store.fetchAll(#"SELECT "id", "size" FROM "households" WHERE "valid" = 1 ORDER BY "id""#) { row in
            let id = row.integer(0) ?? 0
            return IncomeFigures(
                householdID: id, year: year, lines: lines[id] ?? [], validMembers: members[id] ?? 0,
                householdSize: row.integer(1).map(Int.init), povertyLine: line, bandFactorHundredths: factor)
        }
    }

    /// The figures of the households `ids` for `year`, in the order asked: three grouped
    /// queries per 500 households and the line and band once, instead of five queries per
    /// household (throws `notFound` for the first unknown id, as the one-household form does).
    public func incomeFigures(householdIDs ids: [Int64], year: Int, in store: any StoreConnection) throws
        -> [IncomeFigures]
    {
        let line = try povertyLine(year: year, in: store)
        let factor = try monitoringBandFactorHundredths(in: store)
        var result: [IncomeFigures] = []
        result.reserveCapacity(ids.count)
        var start = 0
        while start < ids.count {
            // chunks keep each statement's parameter list well under SQLite's and PostgreSQL's limits
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            start += chunk.count
            let list = "(" + Array(repeating: "?", count: chunk.count).joined(separator: ", ") + ")"
            let arguments = chunk.map { SQLValue.integer($0) }
            var sizes: [Int64: Int64?] = [:]
            try store.query(
                dialect.numbered(#"SELECT "id", "size" FROM "households" WHERE "id" IN "# + list), arguments
            ) { row in
                sizes[row.integer(0) ?? 0] = .some(row.integer(1))
                return true
            }
            var members: [Int64: Int] = [:]
            try store.query(
                dialect.numbered(
                    #"SELECT "household_id", COUNT(*) FROM "members" WHERE "valid" = 1 AND "household_id" IN "#
                        + list + #" GROUP BY "household_id""#), arguments
            ) { row in
                members[row.integer(0) ?? 0] = Int(row.integer(1) ?? 0)
                return true
            }
            let lines = try incomeLines(year: year, householdIDs: ("IN " + list, arguments), in: store)
            for id in chunk {
                guard let size = sizes[id] else { throw WorkspaceError.notFound(collection: "households", id: id) }
                result.append(
                    IncomeFigures(
                        householdID: id, year: year, lines: lines[id] ?? [], validMembers: members[id] ?? 0,
                        householdSize: size.map(Int.init), povertyLine: line, bandFactorHundredths: factor))
            }
        }
        return result
    }

    private func incomeLines(year: Int, householdID: Int64?, in store: any StoreConnection)
        throws -> [Int64: [(category: String, subcategory: String?, amount: Int64, cost: Int64)]]
    {
        try incomeLines(
            year: year, householdIDs: householdID.map { (condition: "= ?", arguments: [SQLValue.integer($0)]) },
            in: store)
    }

    /// Income lines of `year` summed by household, category and subcategory; `householdIDs`
    /// (a condition on the id such as `IN (?, ?)` and its arguments) limits them.
    private func incomeLines(
        year: Int, householdIDs: (condition: String, arguments: [SQLValue])?, in store: any StoreConnection
    )
        throws -> [Int64: [(category: String, subcategory: String?, amount: Int64, cost: Int64)]]
    {
        var sql = #"""
            SELECT "household_id", "category", "subcategory", SUM("amount"), SUM(COALESCE("cost", 0))
            FROM "incomes" WHERE "valid" = 1 AND "year" = ?
            """#
        var arguments: [SQLValue] = [.integer(Int64(year))]
        if let householdIDs {
            sql += #" AND "household_id" "# + householdIDs.condition
            arguments += householdIDs.arguments
        }
        sql += #" GROUP BY "household_id", "category", "subcategory""#
        var result: [Int64: [(category: String, subcategory: String?, amount: Int64, cost: Int64)]] = [:]
        try store.query(dialect.numbered(sql), arguments) { row in
            result[row.integer(0) ?? 0, default: []].append(
                (row.text(1) ?? "", row.text(2), row.integer(3) ?? 0, row.integer(4) ?? 0))
            return true
        }
        return result
    }
}
