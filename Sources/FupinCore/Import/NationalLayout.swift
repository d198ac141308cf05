/// The national poverty-alleviation system's per-person export (全国扶贫开发信息系统, one row
/// per person): its 26 columns in order and what each fills in the workspace.
///
/// Household-level columns (县 … 自然村, 人数, 脱贫属性 … 人均纯收入, 联系电话) repeat on every
/// row of a household; the importer takes them from the row whose 与户主关系 is 户主 (the head),
/// checks that every row of a household names the same 县/乡/行政村, and checks the
/// vocabulary of the other household-level columns on every row.
///
/// Example: `NationalLayout.columns[4] == "户编号"`, `NationalLayout.Column.relation.label == "与户主关系"`.
public enum NationalLayout {
    /// The 26 column labels, in the system's order.
    public static let columns: [String] = Column.allCases.map(\.label)

    /// One column of the layout; the raw value is its position.
    public enum Column: Int, CaseIterable, Sendable {
        case county, town, village, naturalVillage, householdNumber, personNumber, name, idNumber, size, relation
        case ethnicity, education, schooling, health, labour, migrantStatus, migrantMonths, medicalInsurance
        case status, attribute, cause, dangerousHousing, safeDrinkingWater, drinkingWaterDifficulty
        case incomePerCapita, phone

        /// The header label as the national system writes it.
        public var label: String {
            switch self {
            case .county: return "县(市、区、旗)"
            case .town: return "乡(镇)"
            case .village: return "行政村"
            case .naturalVillage: return "自然村"
            case .householdNumber: return "户编号"
            case .personNumber: return "人编号"
            case .name: return "姓名"
            case .idNumber: return "证件号码"
            case .size: return "人数"
            case .relation: return "与户主关系"
            case .ethnicity: return "民族"
            case .education: return "文化程度"
            case .schooling: return "在校生状况"
            case .health: return "健康状况"
            case .labour: return "劳动技能"
            case .migrantStatus: return "务工状况"
            case .migrantMonths: return "务工时间（月）"
            case .medicalInsurance: return "参加大病医疗"
            case .status: return "脱贫属性"
            case .attribute: return "贫困户属性"
            case .cause: return "主要致贫原因"
            case .dangerousHousing: return "危房户"
            case .safeDrinkingWater: return "饮水安全"
            case .drinkingWaterDifficulty: return "饮水困难"
            case .incomePerCapita: return "人均纯收入"
            case .phone: return "联系电话"
            }
        }
    }

    /// Household fields and the column each is read from (the head's row).
    static let householdFields: [(field: String, column: Column)] = [
        ("number", .householdNumber), ("head_name", .name), ("head_id_number", .idNumber), ("phone", .phone),
        ("village_id", .village), ("natural_village", .naturalVillage), ("size", .size), ("status", .status),
        ("attribute", .attribute), ("cause", .cause), ("dangerous_housing", .dangerousHousing),
        ("safe_drinking_water", .safeDrinkingWater), ("drinking_water_difficulty", .drinkingWaterDifficulty),
        ("reported_income_per_capita", .incomePerCapita),
    ]

    /// Household-level columns whose value is checked on every row (not only the head's).
    static let checkedOnEveryRow: [(field: String, column: Column)] = [
        ("size", .size), ("status", .status), ("attribute", .attribute), ("cause", .cause),
        ("dangerous_housing", .dangerousHousing), ("safe_drinking_water", .safeDrinkingWater),
        ("drinking_water_difficulty", .drinkingWaterDifficulty), ("reported_income_per_capita", .incomePerCapita),
        ("phone", .phone),
    ]

    /// Member fields and the column each is read from. `sex` and `birth_date` are derived from
    /// the ID number (17th digit, digits 7–14), so they are reported against 证件号码.
    static let memberFields: [(field: String, column: Column)] = [
        ("household_id", .householdNumber), ("number", .personNumber), ("name", .name), ("id_number", .idNumber),
        ("sex", .idNumber), ("birth_date", .idNumber), ("relation", .relation), ("ethnicity", .ethnicity),
        ("education", .education), ("schooling", .schooling), ("health", .health), ("labour", .labour),
        ("migrant_status", .migrantStatus), ("migrant_months", .migrantMonths),
        ("medical_insurance", .medicalInsurance),
    ]

    /// The column positions of a header row: `positions[column.rawValue]` is the file's column
    /// index. Missing layout columns are problems; other columns (e.g. 序号) are ignored.
    static func positions(of header: [String]) -> (positions: [Int], ignored: [String], missing: [String]) {
        var positions = [Int](repeating: -1, count: Column.allCases.count)
        var ignored: [String] = []
        let wanted = Column.allCases.map { ImportHeader.normalized($0.label) }
        for (index, cell) in header.enumerated() {
            let name = ImportHeader.normalized(cell)
            if let column = wanted.firstIndex(of: name), positions[column] < 0 {
                positions[column] = index
            } else {
                ignored.append(cell.trimmingSpaces())
            }
        }
        let missing = Column.allCases.filter { positions[$0.rawValue] < 0 }.map(\.label)
        return (positions, ignored, missing)
    }
}

extension NationalLayout.Column {
    /// Whether the column holds personal data: a problem in it shows its value masked.
    public var isPersonal: Bool { self == .idNumber || self == .phone || self == .health }
}
