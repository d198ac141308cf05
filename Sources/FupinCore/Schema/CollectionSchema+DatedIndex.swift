/// The index by household and date of a ledger read a year at a time for some households.
///
/// The annual summary and the income figures read a year of a ledger for the households of
/// some villages (`household_id IN (…) AND date >= … AND date < …`). With an index on the
/// reference alone SQLite reads every year's rows of each household and drops the others; an
/// index on (household, the field a year filter applies to) reads only the year's.
///
/// Example: `Schema.core["visits"]?.householdDateIndex == ["household_id", "date"]`.
extension CollectionSchema {
    /// The columns of the index by household and date: the reference to households and the
    /// field `year = …` filters apply to (the year field, else the date field); nil when the
    /// collection lacks either.
    public var householdDateIndex: [String]? {
        guard let reference = fields.first(where: { $0.referencedCollection == "households" }),
            let dated = yearField ?? dateField, field(dated) != nil
        else { return nil }
        return [reference.name, dated]
    }

    /// The name Fupin gives an index on `columns` of `table`: `<table>_<column>_…`
    /// (`visits_household_id`, `visits_household_id_date`).
    public static func indexName(_ table: String, _ columns: [String]) -> String {
        ([table] + columns).joined(separator: "_")
    }
}
