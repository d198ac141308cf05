import GRDB

/// A registered household (建档立卡户): number, head, village, standard, attribute, cause, status and plan.
///
/// Collection `households`; field names, Chinese labels and rules come from
/// `Schema.core["households"]` (`Household.label(.column)`). Money is `Money` (integer fen),
/// areas `Area` (1/100 亩), dates `YYYY-MM-DD` text, vocabulary values their Chinese text.
/// Removal marks the record invalid (`valid = false`); nothing is deleted.
///
/// Example: `var record = Household(number: "150602001001", headName: "郝九为", villageId: 1, size: 3, standard: "国家"); try workspace.insert(&record, context: ctx)`.
public struct Household: FupinRecord, Hashable {
    public static let collectionName = "households"

    public var id: Int64?
    public var number: String
    public var headName: String
    public var headIdNumber: String?
    public var phone: String?
    public var villageId: Int64
    public var naturalVillage: String?
    public var group: String?
    public var size: Int64?
    public var standard: String?
    public var attribute: String?
    public var cause: String?
    public var otherCause: String?
    public var status: String?
    public var yearIdentified: Int64?
    public var yearExited: Int64?
    public var dangerousHousing: Bool?
    public var safeDrinkingWater: Bool?
    public var drinkingWaterDifficulty: Bool?
    public var reportedIncomePerCapita: Money?
    public var specialNeeds: String?
    public var wantsToDevelop: String?
    public var goal: String?
    public var valid: Bool

    public init(
        id: Int64? = nil,
        number: String,
        headName: String,
        headIdNumber: String? = nil,
        phone: String? = nil,
        villageId: Int64,
        naturalVillage: String? = nil,
        group: String? = nil,
        size: Int64? = nil,
        standard: String? = nil,
        attribute: String? = nil,
        cause: String? = nil,
        otherCause: String? = nil,
        status: String? = nil,
        yearIdentified: Int64? = nil,
        yearExited: Int64? = nil,
        dangerousHousing: Bool? = nil,
        safeDrinkingWater: Bool? = nil,
        drinkingWaterDifficulty: Bool? = nil,
        reportedIncomePerCapita: Money? = nil,
        specialNeeds: String? = nil,
        wantsToDevelop: String? = nil,
        goal: String? = nil,
        valid: Bool = true
    ) {
        self.id = id
        self.number = number
        self.headName = headName
        self.headIdNumber = headIdNumber
        self.phone = phone
        self.villageId = villageId
        self.naturalVillage = naturalVillage
        self.group = group
        self.size = size
        self.standard = standard
        self.attribute = attribute
        self.cause = cause
        self.otherCause = otherCause
        self.status = status
        self.yearIdentified = yearIdentified
        self.yearExited = yearExited
        self.dangerousHousing = dangerousHousing
        self.safeDrinkingWater = safeDrinkingWater
        self.drinkingWaterDifficulty = drinkingWaterDifficulty
        self.reportedIncomePerCapita = reportedIncomePerCapita
        self.specialNeeds = specialNeeds
        self.wantsToDevelop = wantsToDevelop
        self.goal = goal
        self.valid = valid
    }

    /// Columns, by field name (`Columns.allCases` in schema order after `id`).
    public enum Columns: String, ColumnExpression, CaseIterable, Sendable {
        case id
        case number
        case headName = "head_name"
        case headIdNumber = "head_id_number"
        case phone
        case villageId = "village_id"
        case naturalVillage = "natural_village"
        case group
        case size
        case standard
        case attribute
        case cause
        case otherCause = "other_cause"
        case status
        case yearIdentified = "year_identified"
        case yearExited = "year_exited"
        case dangerousHousing = "dangerous_housing"
        case safeDrinkingWater = "safe_drinking_water"
        case drinkingWaterDifficulty = "drinking_water_difficulty"
        case reportedIncomePerCapita = "reported_income_per_capita"
        case specialNeeds = "special_needs"
        case wantsToDevelop = "wants_to_develop"
        case goal
        case valid
    }
}
