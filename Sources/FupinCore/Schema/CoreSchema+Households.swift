/// Households and people (建档立卡), their incomes, the poverty line and relapse monitoring.
extension Schema {
    static let households = CollectionSchema(
        name: "households", label: "贫困户", summary: "A registered household (建档立卡户) with its own plan (一户一策)",
        fields: [
            FieldSpec("number", .text, "户编号", required: true, unique: true),
            FieldSpec("head_name", .text, "户主姓名", required: true),
            FieldSpec("head_id_number", .idNumber, "户主证件号码", pii: true),
            FieldSpec("phone", .phone, "联系电话", pii: true),
            FieldSpec("village_id", .ref("villages"), "行政村", required: true),
            FieldSpec("natural_village", .text, "自然村"),
            FieldSpec("group", .text, "村民小组"),
            FieldSpec("size", .integer, "人口数", min: 1, max: 50),
            FieldSpec("standard", .enum(Vocabularies.householdStandard), "识别标准"),
            FieldSpec("attribute", .enum(Vocabularies.householdAttribute), "贫困户属性"),
            FieldSpec("cause", .enum(Vocabularies.povertyCause), "主要致贫原因"),
            FieldSpec("other_cause", .enum(Vocabularies.povertyCause), "其他致贫原因"),
            FieldSpec("status", .enum(Vocabularies.householdStatus), "脱贫状态"),
            FieldSpec("year_identified", .integer, "识别年度", min: yearMin, max: yearMax),
            FieldSpec("year_exited", .integer, "脱贫年度", min: yearMin, max: yearMax),
            FieldSpec("dangerous_housing", .bool, "危房户"),
            FieldSpec("safe_drinking_water", .bool, "饮水安全"),
            FieldSpec("drinking_water_difficulty", .bool, "饮水困难"),
            FieldSpec(
                "reported_income_per_capita", .money, "人均纯收入(上报)",
                help: "the per-capita net income the national system reports; our own figure is derived from incomes"),
            FieldSpec("special_needs", .text, "特殊困难", help: "free text, e.g. poor eyesight"),
            FieldSpec("wants_to_develop", .text, "发展意愿"),
            FieldSpec("goal", .text, "帮扶目标"),
        ],
        keepsValidFlag: true, yearField: "year_identified",
        rules: [.notBefore("year_exited", "year_identified")])

    /// A change of a household's 脱贫状态 dated by when it took effect (the 脱贫 verified, the
    /// 返贫 found), not when it was typed: year-end readings (the summary's 截至年底, the
    /// monitoring scan) follow these dates; `households.status` holds the status now.
    static let statusChanges = CollectionSchema(
        name: "status_changes", label: "脱贫状态变更",
        summary: "A household's change of 脱贫状态 on the day it took effect (脱贫, 返贫), read by year-end figures",
        fields: [
            FieldSpec("household_id", .ref("households"), "户", required: true),
            FieldSpec("date", .date, "生效日期", required: true, help: "the day the change took effect"),
            FieldSpec("from_status", .enum(Vocabularies.householdStatus), "原状态"),
            FieldSpec("status", .enum(Vocabularies.householdStatus), "新状态", required: true),
            FieldSpec("basis", .text, "依据", help: "the verification or decision it rests on, e.g. 2019年脱贫验收"),
        ],
        keepsValidFlag: true, dateField: "date")

    static let members = CollectionSchema(
        name: "members", label: "家庭成员", summary: "A person of a registered household",
        fields: [
            FieldSpec("household_id", .ref("households"), "所属户", required: true),
            FieldSpec("number", .text, "人编号", unique: true),
            FieldSpec("name", .text, "姓名", required: true),
            FieldSpec("sex", .enum(Vocabularies.sex), "性别"),
            FieldSpec("id_number", .idNumber, "证件号码", pii: true),
            FieldSpec("birth_date", .date, "出生日期"),
            FieldSpec("relation", .enum(Vocabularies.relation), "与户主关系"),
            FieldSpec("ethnicity", .enum(Vocabularies.ethnicity), "民族"),
            FieldSpec("education", .enum(Vocabularies.education), "文化程度"),
            FieldSpec("schooling", .enum(Vocabularies.schooling), "在校生状况"),
            FieldSpec("health", .enum(Vocabularies.health), "健康状况", pii: true),
            FieldSpec("labour", .enum(Vocabularies.labour), "劳动技能"),
            FieldSpec("migrant_status", .enum(Vocabularies.migrantStatus), "务工状况"),
            FieldSpec("migrant_months", .integer, "务工时间（月）", min: 0, max: 12),
            FieldSpec("medical_insurance", .bool, "参加大病医疗"),
            FieldSpec("pension_insurance", .bool, "参加养老保险"),
        ],
        keepsValidFlag: true)

    static let incomes = CollectionSchema(
        name: "incomes", label: "家庭收入", summary: "One income line of a household for a year (with production costs)",
        fields: [
            FieldSpec("household_id", .ref("households"), "所属户", required: true),
            FieldSpec("year", .integer, "年度", required: true, min: yearMin, max: yearMax),
            FieldSpec("category", .enum(Vocabularies.incomeCategory), "收入类别", required: true),
            FieldSpec("subcategory", .enum(Vocabularies.incomeSubcategory), "收入子类"),
            FieldSpec("amount", .money, "金额（元）", required: true),
            FieldSpec("cost", .money, "生产经营支出（元）"),
            FieldSpec("note", .text, "备注"),
        ],
        keepsValidFlag: true, yearField: "year")

    static let povertyLines = CollectionSchema(
        name: "poverty_lines", label: "贫困线",
        summary: "The poverty line of a year, yuan per person per year (editable data)",
        fields: [
            FieldSpec("year", .integer, "年度", required: true, min: yearMin, max: yearMax, unique: true),
            FieldSpec("amount", .money, "标准（元/人·年）", required: true),
            FieldSpec("note", .text, "说明"),
        ],
        keepsValidFlag: false, yearField: "year")

    static let monitoring = CollectionSchema(
        name: "monitoring", label: "防返贫监测", summary: "A household under relapse monitoring (防返贫监测对象)",
        fields: [
            FieldSpec("household_id", .ref("households"), "监测户", required: true),
            FieldSpec("year", .integer, "年度", min: yearMin, max: yearMax),
            FieldSpec("risk_type", .enum(Vocabularies.riskType), "监测对象类型", required: true),
            FieldSpec("identified_date", .date, "识别风险日期", required: true),
            FieldSpec("removed_date", .date, "风险消除日期"),
            FieldSpec("reason", .text, "风险原因"),
        ],
        keepsValidFlag: true, dateField: "identified_date", yearField: "year",
        rules: [.notBefore("removed_date", "identified_date")])
}
