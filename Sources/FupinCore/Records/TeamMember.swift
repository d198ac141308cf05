import GRDB

/// A cadre's place in a work team: 队长, 第一书记 or 队员 (link table: removal deletes).
///
/// Collection `team_members`; field names, Chinese labels and rules come from
/// `Schema.core["team_members"]` (`TeamMember.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// This collection keeps no valid flag: removal deletes the row (audited with its before).
///
/// Example: `var record = TeamMember(teamId: 1, cadreId: 2, role: "第一书记"); try workspace.insert(&record, context: ctx)`.
public struct TeamMember: FupinRecord, Hashable {
    public static let collectionName = "team_members"

    public var id: Int64?
    public var teamId: Int64
    public var cadreId: Int64
    public var role: String

    public init(
        id: Int64? = nil,
        teamId: Int64,
        cadreId: Int64,
        role: String
    ) {
        self.id = id
        self.teamId = teamId
        self.cadreId = cadreId
        self.role = role
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case teamId = "team_id"
        case cadreId = "cadre_id"
        case role
    }
}
