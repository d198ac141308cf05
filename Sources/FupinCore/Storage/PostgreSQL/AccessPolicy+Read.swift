/// The read policies, written for the planner: a policy is evaluated on every row of a scan,
/// so each test is one the server computes once per statement and then looks rows up in,
/// rather than a lookup of the grants (or of a household, and through it a village) for
/// every row.
///
/// A town's role counting the 3 M members of a province store took 15.6 s when each member's
/// policy probed its household by primary key (the planner estimated half the households
/// readable, too many to hash); written as below it reads the town's households once and
/// looks each member's household up in that set: 0.6 s (docs/postgresql.md, "Access").
extension AccessPolicy {
    /// The condition a readable row meets: villages through the grants, every other table
    /// through its references. The referenced tables' own policies apply inside each
    /// subquery, so a member is readable when its household is, and a household when its
    /// village is; an all-towns grant reads every row.
    ///
    /// - A reference to a village is tested against the array of the role's villages
    ///   (`ARRAY(SELECT …)`, computed once). The server estimates such a test as matching a
    ///   few villages' rows, so a table whose only places are villages (households, teams,
    ///   trainings) is estimated small under its policy, and may be read by its village index.
    /// - A reference to such a table is `IN (SELECT id …)`: a hashed set of the readable ids,
    ///   built once (planned as hashed because the set is estimated small; the all-towns test
    ///   comes first, so such a role builds nothing).
    /// - A reference to any other table (members, whose readable share the server cannot
    ///   estimate) stays a probe by primary key (`EXISTS … r.id = column`), which the planner
    ///   may still turn into a hashed set when that fits; `IN` there could be planned as a
    ///   list rescanned for every row.
    static func readCondition(_ table: ScopedTable, scoped: [String: ScopedTable], _ dialect: PostgresDialect)
        -> String
    {
        let name = dialect.quote(table.name)
        if table.name == root { return villageReadCondition(name, dialect) }
        return table.placeReferences.map { reference in
            let column = "\(name).\(dialect.quote(reference.field))"
            let target = dialect.quote(reference.target)
            if reference.target == root {
                return "(\(column) IS NULL OR \(column) = ANY (ARRAY(SELECT r.\"id\" FROM \(target) r)))"
            }
            let hangsFromVillages = scoped[reference.target]?.placeReferences.allSatisfy { $0.target == root } ?? false
            let lookup =
                hangsFromVillages
                ? "\(column) IN (SELECT r.\"id\" FROM \(target) r)"
                : "EXISTS (SELECT 1 FROM \(target) r WHERE r.\"id\" = \(column))"
            return "(\(column) IS NULL OR \(everyTown(dialect)) OR \(lookup))"
        }.joined(separator: " AND ")
    }

    /// A village is readable with a grant of every town, of its town, of it alone, or of it
    /// in its town: four sets of the role's grants, each computed once per statement, instead
    /// of a search of the grants for each village. (The same test as `grantCondition`.)
    static func villageReadCondition(_ name: String, _ dialect: PostgresDialect) -> String {
        let access = dialect.quote(table)
        let mine = "a.\"role\" = current_user::text"
        let village = "\(name).\"id\""
        let town = "\(name).\"town_id\""
        return "("
            + [
                everyTown(dialect),
                "\(town) IN (SELECT a.\"town_id\" FROM \(access) a WHERE \(mine) AND a.\"village_id\" IS NULL)",
                "\(village) IN (SELECT a.\"village_id\" FROM \(access) a WHERE \(mine) AND a.\"town_id\" IS NULL)",
                "(\(town), \(village)) IN (SELECT a.\"town_id\", a.\"village_id\" FROM \(access) a WHERE \(mine))",
            ].joined(separator: " OR ") + ")"
    }

    /// Whether the current role holds a grant of every town (uncorrelated: the server computes
    /// it once per statement).
    static func everyTown(_ dialect: PostgresDialect) -> String {
        "EXISTS (SELECT 1 FROM \(dialect.quote(table)) a WHERE a.\"role\" = current_user::text AND a.\"town_id\" IS NULL AND a.\"village_id\" IS NULL)"
    }
}
