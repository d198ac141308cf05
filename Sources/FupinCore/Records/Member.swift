import GRDB

/// A person of a registered household (人), with the national system's person fields.
///
/// Collection `members`; field names, Chinese labels and rules come from
/// `Schema.core["members"]` (`Member.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Member(householdId: 1, number: "15060200100101", name: "郝九为", sex: "男", relation: "户主"); try workspace.insert(&record, context: ctx)`.
public struct Member: FupinRecord, Hashable {
    public static let collectionName = "members"

    public var id: Int64?
    public var householdId: Int64
    public var number: String?
    public var name: String
    public var sex: String?
    public var idNumber: String?
    public var birthDate: String?
    public var relation: String?
    public var ethnicity: String?
    public var education: String?
    public var schooling: String?
    public var health: String?
    public var labour: String?
    public var migrantStatus: String?
    public var migrantMonths: Int64?
    public var medicalInsurance: Bool?
    public var pensionInsurance: Bool?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        householdId: Int64,
        number: String? = nil,
        name: String,
        sex: String? = nil,
        idNumber: String? = nil,
        birthDate: String? = nil,
        relation: String? = nil,
        ethnicity: String? = nil,
        education: String? = nil,
        schooling: String? = nil,
        health: String? = nil,
        labour: String? = nil,
        migrantStatus: String? = nil,
        migrantMonths: Int64? = nil,
        medicalInsurance: Bool? = nil,
        pensionInsurance: Bool? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.householdId = householdId
        self.number = number
        self.name = name
        self.sex = sex
        self.idNumber = idNumber
        self.birthDate = birthDate
        self.relation = relation
        self.ethnicity = ethnicity
        self.education = education
        self.schooling = schooling
        self.health = health
        self.labour = labour
        self.migrantStatus = migrantStatus
        self.migrantMonths = migrantMonths
        self.medicalInsurance = medicalInsurance
        self.pensionInsurance = pensionInsurance
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case householdId = "household_id"
        case number
        case name
        case sex
        case idNumber = "id_number"
        case birthDate = "birth_date"
        case relation
        case ethnicity
        case education
        case schooling
        case health
        case labour
        case migrantStatus = "migrant_status"
        case migrantMonths = "migrant_months"
        case medicalInsurance = "medical_insurance"
        case pensionInsurance = "pension_insurance"
        case valid
    }
}
