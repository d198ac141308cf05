import GRDB

/// A person or household at a training (link table: removal deletes).
///
/// Collection `training_attendees`; field names, Chinese labels and rules come from
/// `Schema.core["training_attendees"]` (`TrainingAttendee.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// This collection keeps no valid flag: removal deletes the row (audited with its before).
///
/// Example: `var record = TrainingAttendee(trainingId: 1, memberId: 3); try workspace.insert(&record, context: ctx)`.
public struct TrainingAttendee: FupinRecord, Hashable {
    public static let collectionName = "training_attendees"

    public var id: Int64?
    public var trainingId: Int64
    public var memberId: Int64?
    public var householdId: Int64?

    public init(
        id: Int64? = nil,
        trainingId: Int64,
        memberId: Int64? = nil,
        householdId: Int64? = nil
    ) {
        self.id = id
        self.trainingId = trainingId
        self.memberId = memberId
        self.householdId = householdId
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case trainingId = "training_id"
        case memberId = "member_id"
        case householdId = "household_id"
    }
}
