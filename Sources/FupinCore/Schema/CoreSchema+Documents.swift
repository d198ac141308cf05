/// The documents register (文件台账): the 方案, 办法, 规划 and 计划 a unit issues or follows, which
/// the annual summary cites by title (《林业局生态扶贫工作方案》, 《包联驻村工作办法》 …).
extension Schema {
    static let documents = CollectionSchema(
        name: "documents", label: "文件台账",
        summary: "A document the unit issued or follows (方案, 办法, 规划, 计划), cited by the annual summary",
        fields: [
            FieldSpec(
                "title", .text, "文件标题", required: true,
                help: "without the book-title marks, e.g. 东胜区林业局生态扶贫工作方案"),
            FieldSpec("issuer", .text, "发文单位"),
            FieldSpec("number", .text, "文号"),
            FieldSpec("date", .date, "成文日期"),
            FieldSpec(
                "kind", .text, "文种", required: true,
                help: "工作方案, 工作办法, 规划, 推进方案, 致富项目, 工作总结 …"),
            FieldSpec(
                "topic", .text, "所属工作",
                help: "the part of the summary citing it: 领导, 产业, 帮扶, 驻村, 企业, 生态"),
            FieldSpec("unit_id", .ref("units"), "帮扶单位"),
            FieldSpec("village_id", .ref("villages"), "帮扶村"),
            FieldSpec(
                "content", .text, "主要内容",
                help: "what the document sets out; items separated by ；are numbered 一是、二是 …"),
        ],
        keepsValidFlag: true, dateField: "date")
}
