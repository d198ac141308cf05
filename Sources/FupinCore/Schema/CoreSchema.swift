/// The core collections, in dependency order. Field names listed in DESIGN.md "The `fp` API"
/// are a contract; the rest may grow (through a new migration, never by editing an old one).
///
/// Which collections keep a valid flag (removal marks invalid, nothing deleted): all of them
/// except the link and configuration tables `team_members`, `training_attendees`,
/// `poverty_lines` and `notes`, whose removal deletes the row (still audited with its before).
///
/// Example: `Schema.core.names.first == "units"`.
extension Schema {
    public static let core = Schema([
        units, towns, villages, households, members, cadres, pairings, teams, teamMembers,
        measures, distributions, funds, incomes, povertyLines, trainings, trainingAttendees,
        visits, ecoProjects, rangerPosts, monitoring, notes, documents, statusChanges,
    ])

    /// Bounds shared by year fields.
    static let yearMin = 1949.0, yearMax = 2100.0

    static let units = CollectionSchema(
        name: "units", label: "帮扶单位",
        summary: "A helping unit (e.g. 区林业局) and its leading group (扶贫工作领导小组)",
        fields: [
            FieldSpec("name", .text, "单位名称", required: true, unique: true),
            FieldSpec("kind", .enum(Vocabularies.unitKind), "单位类型"),
            FieldSpec("group_head", .text, "领导小组组长", help: "first responsible person (e.g. 局长)"),
            FieldSpec("group_head_post", .text, "组长职务"),
            FieldSpec("group_deputy", .text, "分管副职"),
            FieldSpec("group_deputy_post", .text, "分管副职职务"),
            FieldSpec("supervision_phone", .phone, "监督电话"),
            FieldSpec("contact", .text, "联系人"),
            FieldSpec("credit_code", .text, "统一社会信用代码"),
        ],
        keepsValidFlag: true)

    static let towns = CollectionSchema(
        name: "towns", label: "乡镇", summary: "A town (镇/乡) of the district",
        fields: [
            FieldSpec("name", .text, "乡镇名称", required: true),
            FieldSpec("district", .text, "县(市、区、旗)"),
        ],
        keepsValidFlag: true)

    static let villages = CollectionSchema(
        name: "villages", label: "帮扶村", summary: "A village (行政村) and its poverty-exit plan",
        fields: [
            FieldSpec("name", .text, "村名", required: true),
            FieldSpec("town_id", .ref("towns"), "所属乡镇", required: true),
            FieldSpec("unit_id", .ref("units"), "帮扶单位"),
            FieldSpec("plan", .text, "村脱贫计划"),
            FieldSpec("in_planning_zone", .bool, "位于规划区", help: "the whole village lies in a planning zone"),
            FieldSpec("has_collective_land", .bool, "有集体土地"),
            FieldSpec("resident_population", .integer, "常住人口", min: 0),
            FieldSpec("note", .text, "村情备注"),
        ],
        keepsValidFlag: true)

    static let cadres = CollectionSchema(
        name: "cadres", label: "帮扶责任人", summary: "A cadre of a unit who is paired with households",
        fields: [
            FieldSpec("name", .text, "姓名", required: true),
            FieldSpec("sex", .enum(Vocabularies.sex), "性别"),
            FieldSpec("unit_id", .ref("units"), "所在单位", required: true),
            FieldSpec("post", .text, "职务/职级"),
            FieldSpec("phone", .phone, "联系电话", pii: true),
        ],
        keepsValidFlag: true)

    static let pairings = CollectionSchema(
        name: "pairings", label: "结对帮扶", summary: "A cadre paired (结对) with a household over a period",
        fields: [
            FieldSpec("cadre_id", .ref("cadres"), "帮扶责任人", required: true),
            FieldSpec("household_id", .ref("households"), "帮扶户", required: true),
            FieldSpec("start_date", .date, "开始日期"),
            FieldSpec("end_date", .date, "结束日期"),
        ],
        keepsValidFlag: true, dateField: "start_date",
        rules: [.notBefore("end_date", "start_date")])

    static let teams = CollectionSchema(
        name: "teams", label: "驻村工作队", summary: "A unit's work team stationed in a village",
        fields: [
            FieldSpec("unit_id", .ref("units"), "派出单位", required: true),
            FieldSpec("village_id", .ref("villages"), "驻村", required: true),
            FieldSpec("name", .text, "工作队名称"),
            FieldSpec("start_date", .date, "进驻日期"),
            FieldSpec("end_date", .date, "撤离日期"),
        ],
        keepsValidFlag: true, dateField: "start_date",
        rules: [.notBefore("end_date", "start_date")])

    static let teamMembers = CollectionSchema(
        name: "team_members", label: "工作队成员", summary: "A cadre's place in a work team (link table: removal deletes)",
        fields: [
            FieldSpec("team_id", .ref("teams"), "工作队", required: true),
            FieldSpec("cadre_id", .ref("cadres"), "成员", required: true),
            FieldSpec("role", .enum(Vocabularies.teamRole), "队内职务", required: true),
        ],
        keepsValidFlag: false)
}
