import GRDB

/// A problem (problem) or next step (next_step) of a unit's annual summary (removal deletes).
///
/// Collection `notes`; field names, Chinese labels and rules come from
/// `Schema.core["notes"]` (`Note.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// This collection keeps no valid flag: removal deletes the row (audited with its before).
///
/// Example: `var record = Note(year: 2019, unitId: 1, kind: "problem", position: 1, text: "村无集体土地，项目难落地"); try workspace.insert(&record, context: ctx)`.
public struct Note: FupinRecord, Hashable {
    public static let collectionName = "notes"

    public var id: Int64?
    public var year: Int64
    public var unitId: Int64
    public var kind: String
    public var position: Int64?
    public var text: String

    public init(
        id: Int64? = nil,
        year: Int64,
        unitId: Int64,
        kind: String,
        position: Int64? = nil,
        text: String
    ) {
        self.id = id
        self.year = year
        self.unitId = unitId
        self.kind = kind
        self.position = position
        self.text = text
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case year
        case unitId = "unit_id"
        case kind
        case position
        case text
    }
}
