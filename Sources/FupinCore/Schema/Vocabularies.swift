/// Every closed vocabulary of the domain (DOMAIN.md), in one place. Fields refer to these; no
/// other file spells these values. Lists carry 其他 where the trade has it.
///
/// Example: `Vocabularies.povertyCause.values.count == 12` (11 causes and 其他).
public enum Vocabularies {
    public static let sex = Vocabulary("sex", "性别", ["男", "女"], aliases: ["男性": "男", "女性": "女"])

    /// 识别标准. The seed's 国贫户 is 国家.
    public static let householdStandard = Vocabulary(
        "household_standard", "识别标准", ["国家", "省定", "市定"],
        aliases: ["国贫户": "国家", "国家标准": "国家", "国定": "国家", "省定标准": "省定", "市定标准": "市定"])

    /// 贫困户属性 (一般农户 for non-poor households).
    public static let householdAttribute = Vocabulary(
        "household_attribute", "贫困户属性", ["一般贫困户", "低保贫困户", "特困供养贫困户", "一般农户"],
        aliases: [
            "低保户": "低保贫困户", "五保贫困户": "特困供养贫困户", "特困供养户": "特困供养贫困户",
            "五保户": "特困供养贫困户", "一般户": "一般贫困户",
        ])

    /// 致贫原因: the closed list of 11 and 其他.
    public static let povertyCause = Vocabulary(
        "poverty_cause", "致贫原因",
        [
            "因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金", "交通条件落后",
            "自身发展动力不足", "其他",
        ],
        aliases: ["交通落后": "交通条件落后", "自身发展动力不足（懒）": "自身发展动力不足"])

    /// 脱贫状态 (full-width parentheses; ASCII ones accepted on input).
    public static let householdStatus = Vocabulary(
        "household_status", "脱贫状态", ["未脱贫", "已脱贫（享受政策）", "已脱贫（不再享受政策）", "返贫"],
        aliases: [
            "已脱贫(享受政策)": "已脱贫（享受政策）", "已脱贫(不再享受政策)": "已脱贫（不再享受政策）",
            "脱贫(享受政策)": "已脱贫（享受政策）", "脱贫（享受政策）": "已脱贫（享受政策）",
            "脱贫(不再享受政策)": "已脱贫（不再享受政策）", "脱贫（不再享受政策）": "已脱贫（不再享受政策）",
            "贫困户": "未脱贫",
        ])

    /// 与户主关系.
    public static let relation = Vocabulary(
        "relation", "与户主关系",
        [
            "户主", "配偶", "之子", "之女", "之儿媳", "之女婿", "之孙子", "之孙女", "之外孙子", "之外孙女",
            "之父", "之母", "之岳父", "之岳母", "之公公", "之婆婆", "之祖父", "之祖母", "之兄弟姐妹", "其他",
        ],
        aliases: [
            "本人": "户主", "妻": "配偶", "夫": "配偶", "子": "之子", "女": "之女", "儿媳": "之儿媳",
            "女婿": "之女婿", "孙子": "之孙子", "孙女": "之孙女", "父亲": "之父", "母亲": "之母",
            "其他亲属": "其他",
        ])

    /// 民族: the 56 ethnic groups and 其他.
    public static let ethnicity = Vocabulary(
        "ethnicity", "民族",
        [
            "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
            "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族",
            "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族",
            "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族",
            "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族",
            "赫哲族", "门巴族", "珞巴族", "基诺族", "其他",
        ],
        aliases: ["汉": "汉族", "蒙古": "蒙古族", "蒙": "蒙古族", "回": "回族", "满": "满族"])

    /// 文化程度 (学龄前儿童 for small children, as the national system has it).
    public static let education = Vocabulary(
        "education", "文化程度", ["文盲或半文盲", "学龄前儿童", "小学", "初中", "高中", "大专及以上"],
        aliases: [
            "文盲": "文盲或半文盲", "半文盲": "文盲或半文盲", "中专": "高中", "大专": "大专及以上",
            "本科": "大专及以上", "本科及以上": "大专及以上",
        ])

    /// 在校生状况.
    public static let schooling = Vocabulary(
        "schooling", "在校生状况",
        ["非在校生", "学前教育", "小学", "初中", "高中", "中职", "高职", "大专", "本科及以上", "其他"],
        aliases: [
            "七年级": "初中", "八年级": "初中", "九年级": "初中", "高中一年级": "高中", "高中二年级": "高中",
            "高中三年级": "高中", "中职一年级": "中职", "中职二年级": "中职", "中职三年级": "中职",
            "学前": "学前教育", "本科": "本科及以上", "研究生": "本科及以上",
        ])

    /// 健康状况.
    public static let health = Vocabulary(
        "health", "健康状况", ["健康", "长期慢性病", "患有大病", "残疾"],
        aliases: ["长期慢性病患者": "长期慢性病", "大病": "患有大病", "残疾人": "残疾"])

    /// 劳动技能.
    public static let labour = Vocabulary(
        "labour", "劳动技能", ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"],
        aliases: ["弱劳动力": "弱劳动力或半劳动力", "半劳动力": "弱劳动力或半劳动力"])

    /// 务工状况.
    public static let migrantStatus = Vocabulary(
        "migrant_status", "务工状况", ["未务工", "乡镇内务工", "县内务工", "省内务工", "省外务工", "其他"],
        aliases: ["县外省内务工": "省内务工", "乡（镇）内务工": "乡镇内务工"])

    /// 帮扶单位类型.
    public static let unitKind = Vocabulary(
        "unit_kind", "单位类型", ["党政机关", "事业单位", "国有企业", "民营企业", "社会组织", "其他"],
        aliases: ["机关": "党政机关", "企业": "民营企业"])

    /// 驻村工作队职务.
    public static let teamRole = Vocabulary("team_role", "队内职务", ["队长", "第一书记", "队员"])

    /// 帮扶措施类别.
    public static let measureCategory = Vocabulary(
        "measure_category", "措施类别",
        ["产业", "就业", "公益岗位", "教育", "健康", "危房改造", "金融", "生态", "兜底", "消费", "培训", "其他"],
        aliases: [
            "产业扶贫": "产业", "就业扶贫": "就业", "教育扶贫": "教育", "健康扶贫": "健康", "金融扶贫": "金融",
            "生态扶贫": "生态", "兜底保障": "兜底", "消费扶贫": "消费", "技能培训": "培训",
        ])

    /// 资金流向: coded "in"/"out".
    public static let fundDirection = Vocabulary(
        "fund_direction", "资金流向", ["in", "out"],
        aliases: ["筹措": "in", "投入": "out"], labels: ["in": "收入", "out": "支出"])

    /// 收入类别.
    public static let incomeCategory = Vocabulary(
        "income_category", "收入类别", ["工资性", "生产经营性", "财产性", "转移性"],
        aliases: [
            "工资性收入": "工资性", "生产经营性收入": "生产经营性", "财产性收入": "财产性",
            "转移性收入": "转移性", "经营性": "生产经营性",
        ])

    /// 收入子类 (all categories). Which subcategories do not count toward exit income is
    /// `IncomeRules.excludedSubcategories`.
    public static let incomeSubcategory = Vocabulary(
        "income_subcategory", "收入子类",
        [
            "务工收入", "护林员工资", "公益岗位工资",
            "种植业", "林业", "畜牧业", "渔业", "其他经营",
            "资产收益分红", "土地流转", "入股分红",
            "低保金", "特困供养金", "养老金", "生态补偿金", "残疾补贴", "计划生育金", "赡养费",
            "教育补助", "医疗补助", "住房补助", "其他",
        ],
        aliases: [
            "工资": "务工收入", "护林员": "护林员工资", "分红": "入股分红", "医疗救助": "医疗补助",
            "危房改造补助": "住房补助", "教育资助": "教育补助", "生态补偿": "生态补偿金", "低保": "低保金",
        ])

    /// Transfer subcategories that do not count toward the exit income (DOMAIN.md: education,
    /// medical and housing subsidies). Values of `incomeSubcategory`.
    public static let excludedFromExitIncome: Set<String> = ["教育补助", "医疗补助", "住房补助"]

    /// 培训方式.
    public static let trainingMode = Vocabulary(
        "training_mode", "培训方式", ["一对一", "集中"],
        aliases: ["手把手": "一对一", "集中培训": "集中"])

    /// 走访方式.
    public static let visitMode = Vocabulary(
        "visit_mode", "走访方式", ["入户", "电话", "集中"],
        aliases: ["入户走访": "入户", "电话联系": "电话", "集中走访": "集中"])

    /// 监测对象类型 (防返贫监测).
    public static let riskType = Vocabulary(
        "risk_type", "监测对象类型", ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"])

    /// 总结条目类型: coded "problem"/"next_step".
    public static let noteKind = Vocabulary(
        "note_kind", "条目类型", ["problem", "next_step"],
        aliases: ["问题": "problem", "下一步": "next_step"],
        labels: ["problem": "存在的问题", "next_step": "下一步工作思路"])

    /// Audit actions.
    public static let auditAction = Vocabulary(
        "audit_action", "操作", ["insert", "update", "remove"],
        labels: ["insert": "新增", "update": "修改", "remove": "删除/作废"])

    /// Every vocabulary, for `fp.schema()` and stubs.
    public static let all: [Vocabulary] = [
        sex, householdStandard, householdAttribute, povertyCause, householdStatus, relation, ethnicity,
        education, schooling, health, labour, migrantStatus, unitKind, teamRole, measureCategory,
        fundDirection, incomeCategory, incomeSubcategory, trainingMode, visitMode, riskType, noteKind,
        auditAction,
    ]
}
