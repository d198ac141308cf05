-- The wording of the annual summary, phrase by phrase. A phrase names its figures in braces
-- as --explain names them ({households}, {material.雏鸡}) or the words the report supplies
-- ({unit}, {villages}); {name|wan} shows yuan as 万元. A workspace changes a phrase without
-- touching the plugin: a record of the report_phrases ledger with the same key wins.
local M = {}

M.defaults = {
  ["title"] = "{unit}{year}年度精准扶贫工作总结",
  ["organisation.heading"] = "（一）加强领导，落实责任",
  ["organisation.lead"] = "{unit}高度重视扶贫工作，认真落实区委、区政府的决策部署，从政治和民生的战略高度，"
    .. "重视扶贫工作。",
  ["organisation.group"] = "一是建立机构，加强领导。成立了扶贫工作领导小组，{head_post}{head}担任组长，"
    .. "承担扶贫第一责任人的责任，{deputy_post}{deputy}具体抓扶贫工作。",
  ["organisation.no_group"] = "一是建立机构，加强领导。帮扶单位台账中尚未登记扶贫工作领导小组的组成。",
  ["organisation.plan"] = "二是深入调研，科学规划。{leaders}多次深入帮扶的{village_names}，与村干部共同研究制定"
    .. "扶贫工作方案。全{unit_short}共帮扶{villages}个村、{households}户建档立卡贫困户（{people}人）{standard_note}；"
    .. "{cadres}名帮扶责任人与{paired}户结对帮扶。",
  ["organisation.measures"] = "按照一户一策的要求，根据{measure_households}户的具体情况制定帮扶措施{measures}项，"
    .. "已落实{measures_done}项，做到村有脱贫计划、户有脱贫措施。",
  ["organisation.no_measures"] = "帮扶措施台账中没有{year}年的措施。",
  ["organisation.all_national"] = "，均为国家标准贫困户",
  ["organisation.some_national"] = "，其中国家标准贫困户{national_households}户",

  ["projects.heading"] = "（二）突出重点，项目带动",
  ["projects.funds"] = "截至{year}年底，{unit_short_we}共筹措投入帮扶资金{funds_in|wan}万元{funds_sources}，"
    .. "已支出{funds_out|wan}万元。",
  ["projects.material"] = "为帮扶户提供{material_list}，物资价值合计{material_value}元。",
  ["projects.sales"] = "帮助销售{products}等农副产品{sales_records}笔，金额达{sales_amount}元。",
  ["projects.plan_document"] = "制定了{document}，{content}。",
  ["projects.village_projects"] = "通过实地考察，同{village}共同选定了一批促进经济发展的致富项目：{items}。",

  ["ledgers.heading"] = "（三）夯实基础，真情帮扶",
  ["ledgers.cards"] = "根据上级部门的工作要求，建立帮扶台账，做好帮扶记录卡、帮扶联系卡、帮扶联系计划表等基础性"
    .. "工作，做到户有卡、村有表、镇有册：{card_households}户建立帮扶联系卡，{villages}个村建立帮扶联系计划表，"
    .. "汇编为{towns}个镇的帮扶册{record_note}。",
  ["ledgers.principle"] = "同时，按照“一村一策、一户一法”的要求，坚持扶贫与扶志、扶贫与扶智、扶贫与扶业相结合的"
    .. "措施，做到既“输血”又“造血”。",
  ["ledgers.zhi"] = "一是扶贫与扶志相结合。组织帮扶责任人到村进户调研摸底，全年走访帮扶户{visits}次（{visit_modes}），"
    .. "走访到{visited_households}户，通过交流和探讨脱贫路子，使贫困户克服等、靠、要思想，增强自我脱贫的信心。",
  ["ledgers.zhi_none"] = "一是扶贫与扶志相结合。走访记录台账中没有{year}年的走访记录。",
  ["ledgers.zhi2"] = "二是扶贫与扶智相结合。在对贫困户进行党的惠民政策宣传学习的同时，加大种植、养殖培训力度，"
    .. "组织林业技术人员{training_modes}开展{training_topics}技术培训共{trainings}次，培训{training_attendees}人次，"
    .. "覆盖{training_household_count}户，提升贫困户的致富能力。",
  ["ledgers.zhi2_none"] = "二是扶贫与扶智相结合。培训台账中没有{year}年的培训记录。",
  ["ledgers.ye"] = "三是扶贫与扶业相结合。根据农户意愿，为{industry_households}户落实产业帮扶措施{industry_measures}项，"
    .. "提供{industry_items}等，帮助贫困户发展生产、增加收入{sales_note}。",
  ["ledgers.ye_none"] = "三是扶贫与扶业相结合。帮扶措施台账中没有{year}年的产业帮扶措施。",
  ["ledgers.status"] = "截至{year}年底，帮扶户中{status_list}。",
  ["ledgers.income"] = "按{year}年贫困线每人{poverty_line}元测算，有收入记录的{income_households_n}户中，"
    .. "{income_above_line}户人均纯收入已高于贫困线{above_note}{below_note}。",
  ["ledgers.above_not_exited"] = "，尚需经“两不愁三保障”核验后按程序退出",
  ["ledgers.below"] = "，{income_below_line}户尚未达到",
  ["ledgers.monitoring"] = "经防返贫监测排查，{monitoring_suggested}户存在返贫致贫风险，纳入监测帮扶。",
  ["ledgers.monitoring_none"] = "经防返贫监测排查，{year}年没有需要纳入监测的农户。",
  ["ledgers.no_line"] = "贫困线台账中没有{year}年的标准，无法测算收入是否达标。",
  ["ledgers.no_income"] = "家庭收入台账中没有{year}年的收入记录，无法测算人均纯收入。",

  ["team.heading"] = "（四）驻村帮扶，心系群众",
  ["team.lead"] = "在区委、区政府的正确领导，区扶贫办的指导和镇、村党委的大力支持下，{team}{since}"
    .. "紧紧围绕{rules}精神到村，共有队员{members}人{leader_note}，全身心投入驻村帮扶工作，积极做好帮扶指导工作，"
    .. "认真履职，积极推动村集体经济发展。工作队成员与村干部系统学习，及时掌握脱贫攻坚政策、标准和工作流程，"
    .. "并向村民深入宣传政策、广泛动员。",
  ["team.none"] = "驻村工作队台账中没有{year}年在岗的工作队。",
  ["team.spread"] = "驻村工作队积极联系帮扶单位{unit}，为{households_n}户贫困户{verb}{item}，每户{range}。",
  ["team.gifts"] = "在了解贫困户生产生活实际困难后，{gifts}，在生产和生活方面给予不同的帮助和支持。",
  ["team.no_material"] = "物资发放台账中没有{year}年送到户的物资。",

  ["enterprises.heading"] = "（五）依托企业，振兴经济",
  ["enterprises.lead"] = "通过深入了解村情，抓住“百企帮百村”有利时机，{unit}帮扶工作领导小组成员与村委和广大"
    .. "村民深入商讨后，共同决定以一村一策为导向，立足本村实际，面向市场精选项目，积极探索村集体经济多种发展模式。"
    .. "截至{year}年底，共有企业帮扶项目{partnerships}个（{partnership_states}）。{items}",
  ["enterprises.none"] = "企业帮扶台账中没有帮扶村{year}年的合作项目。",
  ["enterprises.no_plugin"] = "尚未建立“百企帮百村”企业帮扶台账（enterprise-partnership 插件），本节暂无数据。",

  ["ecology.heading"] = "（六）生态扶贫，共建双赢",
  ["ecology.documents"] = "制定了{documents}，{content}。",
  ["ecology.projects"] = "{year}年通过实施{project_list}，合计完成造林{afforestation_total}亩。",
  ["ecology.none"] = "生态项目台账中没有{year}年的造林项目。",
  ["ecology.rangers"] = "通过提供{ranger_posts}个护林员岗位（{ranger_names}），为{ranger_target}增收{ranger_wages|wan}万元。",
  ["ecology.no_rangers"] = "护林员岗位台账中没有{year}年的岗位。",

  ["problems.heading"] = "二、存在的问题",
  ["problems.none"] = "总结条目台账中没有{year}年登记的问题（可在 notes 中按年度和单位添加）。",
  ["next.heading"] = "三、下一步工作思路",
  ["next.open"] = "截至{year}年底，帮扶村尚有{national_to_help}户国家标准贫困户未脱贫，是下一步帮扶的重点。",
  ["next.done"] = "帮扶村的国家标准贫困户均已脱贫，下一步重在巩固成果、防止返贫。",
  ["next.none"] = "总结条目台账中没有{year}年登记的下一步工作思路。",
  ["version"] = "（本总结据台账数据版本{data_version}生成：审计日志第{data_version}条，{data_time}。）",
}

--- How a partnership's status reads in prose (the seed: 正在协调实施当中).
M.status_words = {
  ["洽谈"] = "正在洽谈当中", ["协调中"] = "正在协调实施当中", ["实施中"] = "正在实施",
  ["已完成"] = "已完成", ["搁置"] = "暂时搁置",
}

--- How a training mode reads in prose.
M.training_modes = { ["一对一"] = "以“一对一”、“手把手”的方式", ["集中"] = "集中" }

--- What a named gift is for, by item (the seed: a radio 丰富其文化生活).
M.gift_purposes = { ["收音机"] = "丰富其文化生活" }

--- The phrases: the plugin's, each replaced by the workspace's report_phrases record of its key.
---@return table phrases by key
function M.load()
  local phrases = {}
  for k, v in pairs(M.defaults) do phrases[k] = v end
  if fp.report_phrases then
    for p in fp.report_phrases:iter() do
      if M.defaults[p.key] == nil then
        error("report_phrases #" .. p.id .. ": no phrase named " .. p.key
          .. " (see the report plugin's lib/phrases.lua)", 0)
      end
      phrases[p.key] = p.text
    end
  end
  return phrases
end

--- The phrase `key` with every {name} replaced from `vars`, then from `figures`.
---@param phrases table
---@param key string
---@param vars table words the report supplies
---@param figures table figure values by --explain key
---@return string
function M.fill(phrases, key, vars, figures)
  local text = phrases[key]
  if text == nil then error("report: no phrase " .. key, 0) end
  return (text:gsub("{([^{}|]+)|?([%a]*)}", function(name, how)
    local v = vars[name]
    if v == nil then v = figures[name] end
    if v == nil then error("phrase " .. key .. ": no figure or word named {" .. name .. "}", 0) end
    if type(v) == "number" then
      return how == "wan" and fp.report.wan(v) or fp.report.number(v)
    end
    return tostring(v)
  end))
end

return M
