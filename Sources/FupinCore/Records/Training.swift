import GRDB

/// A training session (培训): date, topic, trainer, mode.
///
/// Collection `trainings`; field names, Chinese labels and rules come from
/// `Schema.core["trainings"]` (`Training.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Training(date: "2019-05-10", unitId: 1, topic: "果树种植", trainer: "林业站技术员", mode: "一对一"); try workspace.insert(&record, context: ctx)`.
public struct Training: FupinRecord, Hashable {
    public static let collectionName = "trainings"

    public var id: Int64?
    public var date: String
    public var unitId: Int64?
    public var topic: String
    public var trainer: String?
    public var mode: String?
    public var villageId: Int64?
    public var hours: Double?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        date: String,
        unitId: Int64? = nil,
        topic: String,
        trainer: String? = nil,
        mode: String? = nil,
        villageId: Int64? = nil,
        hours: Double? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.date = date
        self.unitId = unitId
        self.topic = topic
        self.trainer = trainer
        self.mode = mode
        self.villageId = villageId
        self.hours = hours
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case date
        case unitId = "unit_id"
        case topic
        case trainer
        case mode
        case villageId = "village_id"
        case hours
        case valid
    }
}
