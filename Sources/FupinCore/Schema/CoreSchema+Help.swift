/// What help is recorded: measures, material, funds, training, visits, ecological work, notes.
extension Schema {
    static let measures = CollectionSchema(
        name: "measures", label: "帮扶措施", summary: "A planned measure of a household's plan (一户一策)",
        fields: [
            FieldSpec("household_id", .ref("households"), "帮扶户", required: true),
            FieldSpec("year", .integer, "年度", required: true, min: yearMin, max: yearMax),
            FieldSpec("category", .enum(Vocabularies.measureCategory), "措施类别", required: true),
            FieldSpec("description", .text, "措施内容"),
            FieldSpec("planned_quarter", .integer, "计划季度", min: 1, max: 4),
            FieldSpec("funds", .money, "资金（元）"),
            FieldSpec("expected_income_gain", .money, "预计增收（元）"),
            FieldSpec("done", .bool, "是否完成", defaultValue: .integer(0)),
        ],
        keepsValidFlag: true, yearField: "year")

    static let distributions = CollectionSchema(
        name: "distributions", label: "物资发放", summary: "Material handed out to a household or a village",
        fields: [
            FieldSpec("date", .date, "发放日期", required: true),
            FieldSpec("household_id", .ref("households"), "受助户"),
            FieldSpec("village_id", .ref("villages"), "受助村"),
            FieldSpec("item", .text, "物资", required: true),
            FieldSpec("quantity", .number, "数量", required: true),
            FieldSpec("unit", .text, "计量单位", help: "株, 只, 头, 亩, 台 ..."),
            FieldSpec("value", .money, "价值（元）"),
            FieldSpec("fund_source", .text, "资金来源"),
            FieldSpec("cadre_id", .ref("cadres"), "经办责任人"),
            FieldSpec("note", .text, "备注"),
        ],
        keepsValidFlag: true, dateField: "date",
        rules: [.atLeastOne(["household_id", "village_id"])])

    static let funds = CollectionSchema(
        name: "funds", label: "帮扶资金", summary: "Money raised (in) or spent (out) by a unit",
        fields: [
            FieldSpec("date", .date, "日期", required: true),
            FieldSpec("unit_id", .ref("units"), "单位", required: true),
            FieldSpec("direction", .enum(Vocabularies.fundDirection), "收支", required: true),
            FieldSpec("amount", .money, "金额（元）", required: true),
            FieldSpec("source", .text, "资金来源"),
            FieldSpec("purpose", .text, "用途"),
            FieldSpec("village_id", .ref("villages"), "使用村"),
        ],
        keepsValidFlag: true, dateField: "date")

    static let trainings = CollectionSchema(
        name: "trainings", label: "培训", summary: "A training session (种植, 养殖 ...)",
        fields: [
            FieldSpec("date", .date, "日期", required: true),
            FieldSpec("unit_id", .ref("units"), "组织单位"),
            FieldSpec("topic", .text, "主题", required: true),
            FieldSpec("trainer", .text, "培训人"),
            FieldSpec("mode", .enum(Vocabularies.trainingMode), "方式"),
            FieldSpec("village_id", .ref("villages"), "地点村"),
            FieldSpec("hours", .number, "学时"),
        ],
        keepsValidFlag: true, dateField: "date")

    static let trainingAttendees = CollectionSchema(
        name: "training_attendees", label: "参训人员",
        summary: "A person or household at a training (link table: removal deletes)",
        fields: [
            FieldSpec("training_id", .ref("trainings"), "培训", required: true),
            FieldSpec("member_id", .ref("members"), "参训人"),
            FieldSpec("household_id", .ref("households"), "参训户"),
        ],
        keepsValidFlag: false,
        rules: [.atLeastOne(["member_id", "household_id"])])

    static let visits = CollectionSchema(
        name: "visits", label: "走访记录", summary: "A visit or call by a cadre to a household (帮扶记录)",
        fields: [
            FieldSpec("date", .date, "日期", required: true),
            FieldSpec("cadre_id", .ref("cadres"), "帮扶责任人", required: true),
            FieldSpec("household_id", .ref("households"), "帮扶户", required: true),
            FieldSpec("mode", .enum(Vocabularies.visitMode), "方式", required: true),
            FieldSpec("content", .text, "帮扶内容"),
            FieldSpec("result", .text, "成效"),
            FieldSpec("problems", .text, "发现问题"),
            FieldSpec("follow_up", .text, "后续安排"),
        ],
        keepsValidFlag: true, dateField: "date")

    static let ecoProjects = CollectionSchema(
        name: "eco_projects", label: "生态项目", summary: "An afforestation project's planned and completed area in a year",
        fields: [
            FieldSpec("unit_id", .ref("units"), "实施单位"),
            FieldSpec("name", .text, "项目名称", required: true),
            FieldSpec("year", .integer, "年度", required: true, min: yearMin, max: yearMax),
            FieldSpec("planned_area", .area, "计划面积（亩）"),
            FieldSpec("completed_area", .area, "完成面积（亩）"),
            FieldSpec("note", .text, "备注"),
        ],
        keepsValidFlag: true, yearField: "year")

    static let rangerPosts = CollectionSchema(
        name: "ranger_posts", label: "护林员岗位",
        summary: "A forest-ranger post (护林员) held by a person, with its annual wage",
        fields: [
            FieldSpec("member_id", .ref("members"), "护林员", required: true),
            FieldSpec("unit_id", .ref("units"), "聘用单位"),
            FieldSpec("year", .integer, "年度", required: true, min: yearMin, max: yearMax),
            FieldSpec("wage", .money, "年工资（元）", required: true),
            FieldSpec("start_date", .date, "聘期开始"),
            FieldSpec("end_date", .date, "聘期结束"),
        ],
        keepsValidFlag: true, yearField: "year",
        rules: [.notBefore("end_date", "start_date")])

    static let notes = CollectionSchema(
        name: "notes", label: "总结条目", summary: "A problem or next step of a unit's annual summary (removal deletes)",
        fields: [
            FieldSpec("year", .integer, "年度", required: true, min: yearMin, max: yearMax),
            FieldSpec("unit_id", .ref("units"), "单位", required: true),
            FieldSpec("kind", .enum(Vocabularies.noteKind), "类型", required: true),
            FieldSpec("position", .integer, "序号", min: 1),
            FieldSpec("text", .text, "内容", required: true),
        ],
        keepsValidFlag: false, yearField: "year")
}
