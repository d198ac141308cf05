-- Specs of `fupin report annual`, on the sample workspace (the seed document's 2019).

local function annual(args)
  local a = { year = 2019, format = "md" }
  for k, v in pairs(args or {}) do a[k] = v end
  local result = run("annual", a)
  return result, result.text
end

-- Deep equality of two figure values (numbers or group_by tables).
local function same(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then return a == b end
  for k, v in pairs(a) do if not same(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

-- The keys of the figures whose value differs between two runs.
local function changed(before, after)
  local keys, seen = {}, {}
  for k, v in pairs(before) do
    seen[k] = true
    if not same(v, after[k]) then keys[#keys + 1] = k end
  end
  for k in pairs(after) do if not seen[k] then keys[#keys + 1] = k end end
  table.sort(keys)
  return keys
end

-- A small checker: every tag closes in order (void tags written as <x/>).
local function well_formed(html)
  local stack = {}
  for slash, name, rest in html:gmatch("<(/?)([%a][%w:-]*)([^>]*)>") do
    if slash == "/" then
      if stack[#stack] ~= name then
        return false, "unexpected </" .. name .. "> after <" .. tostring(stack[#stack]) .. ">"
      end
      stack[#stack] = nil
    elseif rest:sub(-1) ~= "/" then
      stack[#stack + 1] = name
    end
  end
  if #stack > 0 then return false, "unclosed <" .. stack[#stack] .. ">" end
  return true
end



describe("report annual", function()
  it("shows the seed document's own figures", function()
    local _, text = annual()
    expect(text).to_contain("区林业局2019年度精准扶贫工作总结")
    expect(text).to_contain("6户建档立卡贫困户（13人），均为国家标准贫困户")
    expect(text:find("其中国家标准贫困户", 1, true)).to_be_nil()
    expect(text).to_contain("继续做好6户国家标准贫困户的帮扶工作")
    expect(text).to_contain("给郝九为、杨来才各送去雏鸡30只")
    expect(text).to_contain("给杨来才送去猪仔2头")
    expect(text).to_contain("给刘三（视力差，无法收看电视节目）送去收音机1台")
    expect(text).to_contain("每户30—40株不等")
    expect(text).to_contain("森林植被恢复项目，完成造林10,050亩")
    expect(text).to_contain("增收1.38万元")
    expect(text).to_contain("筹措投入帮扶资金3.86万元")
    expect(text).to_contain("果树苗211株、饲料玉米5亩、雏鸡60只、猪仔2头、收音机1台")
  end)

  it("computes every number as the direct fp query does", function()
    local result = annual()
    local v = result.figures
    expect(v["material.雏鸡"]).to_be(fp.distributions:where{ year = 2019, item = "雏鸡" }:sum("quantity"))
    expect(v["material.果树苗"]).to_be(fp.distributions:where{ year = 2019, item = "果树苗" }:sum("quantity"))
    expect(v["material.猪仔"]).to_be(fp.distributions:where{ year = 2019, item = "猪仔" }:sum("quantity"))
    expect(v["material.饲料玉米"]).to_be(fp.distributions:where{ year = 2019, item = "饲料玉米" }:sum("quantity"))
    expect(v["funds_in"]).to_be(fp.funds:where{ year = 2019, direction = "in" }:sum("amount"))
    expect(v["funds_out"]).to_be(fp.funds:where{ year = 2019, direction = "out" }:sum("amount"))
    expect(v["households"]).to_be(fp.households:count())
    expect(v["national_households"]).to_be(fp.households:where{ standard = "国家" }:count())
    expect(v["afforestation.森林植被恢复"]).to_be(fp.eco_projects:find{ name = "森林植被恢复", year = 2019 }.completed_area)
    expect(v["ranger_wages"]).to_be(fp.ranger_posts:where{ year = 2019 }:sum("wage"))
    expect(v["visits"]).to_be(fp.visits:where{ year = 2019 }:count())
    expect(v["trainings"]).to_be(fp.trainings:where{ year = 2019 }:count())
    expect(v["training_attendees"]).to_be(fp.training_attendees:count())
    -- and each explained query, run again, gives the number shown
    for _, f in ipairs(result.explain) do
      local again = load("return " .. f.query)()
      expect(same(again, f.value)).to_be(true)
    end
  end)

  it("changes exactly the numbers that depend on an added record", function()
    local before = annual().figures
    fixture.distributions:add{ date = "2019-06-10", household_id = 5, item = "雏鸡", quantity = 10, unit = "只",
                               value = 80 }
    local after, text = annual()
    expect(changed(before, after.figures)).to_equal({
      "distribution_records", "material.雏鸡", "material_value", "material_value.雏鸡", "per_household.雏鸡",
    })
    expect(after.figures["material.雏鸡"]).to_be(70)
    expect(text).to_contain("雏鸡70只")
    -- still a gift to named households, credited to the cadres who handed it over
    expect(text).to_contain("联系各帮扶责任人")
    expect(text).to_contain("给郝九为、杨来才、白二小分别送去雏鸡30只、30只、10只")
  end)

  it("changes exactly the numbers that depend on a corrected record", function()
    local before = annual().figures
    local p = fp.eco_projects:find{ name = "森林植被恢复", year = 2019 }
    fixture.eco_projects:update(p.id, { completed_area = 10000 })
    local after, text = annual()
    expect(changed(before, after.figures)).to_equal({ "afforestation.森林植被恢复", "afforestation_total" })
    expect(text).to_contain("完成造林10,000亩")

    local before2 = after.figures
    local post = fp.ranger_posts:first()
    fixture.ranger_posts:update(post.id, { wage = 15000 })
    local after2, text2 = annual()
    expect(changed(before2, after2.figures)).to_equal({ "ranger_wages" })
    expect(text2).to_contain("增收1.5万元")
  end)

  it("says a ledger has no data instead of inventing a number", function()
    local _, text = annual{ year = 2030 }
    expect(text).to_contain("物资发放台账中没有2030年")
    expect(text).to_contain("生态项目台账中没有2030年")
    expect(text).to_contain("护林员岗位台账中没有2030年")
    expect(text).to_contain("帮扶资金台账中没有2030年")
    expect(text).to_contain("总结条目台账中没有2030年登记的问题")
  end)

  it("guards the ledgers of other plugins", function()
    local _, text = annual()
    if fp.partnerships then
      expect(text).to_contain("企业帮扶项目")
    else
      expect(text).to_contain("企业帮扶台账")
      expect(text).to_contain("暂无数据")
    end
    if not fp.sales then expect(text).to_contain("暂无农副产品销售数据") end
  end)

  it("writes well-formed self-contained HTML with one SVG per chart", function()
    local _, html = annual{ format = "html" }
    local ok, why = well_formed(html)
    expect(why).to_be_nil()
    expect(ok).to_be(true)
    local _, svgs = html:gsub("<svg ", "")
    local _, figures = html:gsub('<figure class="chart">', "")
    expect(svgs).to_be(figures)
    local expected = 3 + ((fp.sales and fp.sales:where{ year = 2019 }:count() > 0) and 1 or 0)
    expect(svgs).to_be(expected)
    expect(html).to_contain("@page { size: A4")
    -- a number keeps its unit on its line
    expect(html).to_contain('<span class="nb">3.86万元</span>')
    expect(html).to_contain('<span class="nb">11人次</span>')
    -- a chart's title is said once (the caption), not also drawn in the SVG
    local _, titles = html:gsub("2019年帮扶资金来源（元）", "")
    expect(titles).to_be(1)
    -- --explain queries print in monospace
    local _, explained = annual{ format = "html", explain = true }
    expect(explained).to_contain("<td><code>fp.villages:where{ unit_id = 1 }:count()</code></td>")
    expect(html:find("<script", 1, true)).to_be_nil()
    expect(html:find("src=", 1, true)).to_be_nil()
    expect(html:find("<link", 1, true)).to_be_nil()
  end)

  it("explains every number with its query", function()
    local result, text = annual{ explain = true }
    expect(text).to_contain("附：数据来源")
    expect(#result.explain > 30).to_be(true)
    for _, f in ipairs(result.explain) do
      expect(f.query:sub(1, 3) == "fp." or f.query:sub(1, 1) == "(").to_be(true)
      expect(text).to_contain(f.query)
    end
  end)

  it("shows a long table value in --explain by its first entries and its count", function()
    local Figures = require("lib.figures")
    local many = {}
    for i = 1, 50 do many[i] = i * 2 end
    many.total = 7
    local shown = Figures.show(many)
    expect(shown).to_contain("{1=2, 2=4, 3=6")
    expect(shown).to_contain("…（共 51 项）}")
    expect(shown:find("9=18", 1, true)).to_be_nil()
    expect(Figures.show({ b = 1, a = 2 })).to_be("{a=2, b=1}")
    -- as text, every line of the appendix stays short and has no trailing spaces
    local _, text = annual{ explain = true, format = "txt" }
    expect(text).to_contain("附：数据来源")
    for line in text:gmatch("[^\n]+") do expect(line:find(" $")).to_be_nil() end
  end)

  it("writes text and a file under exports/", function()
    local _, text = annual{ format = "txt" }
    expect(text).to_contain("一、工作开展情况")
    -- every line fits 100 columns, numbers are never split across lines
    for line in text:gmatch("[^\n]+") do
      if fp.report.width(line) > 100 then error("wider than 100 columns: " .. line, 0) end
    end
    expect(text).to_contain("森林植被恢复")
    local _, out = run("annual", { year = 2019, format = "md", output = "spec-annual.md" })
    expect(out).to_contain("wrote ")
  end)

  it("carries every passage of the seed document, in its register", function()
    local _, text = annual()
    -- each passage of the seed (000_3c2b14a9f73f0765.txt) with the words that must stand for it
    local passages = {
      { "title with the district", "东胜区林业局2019年度精准扶贫工作总结" },
      { "(一) opening", "从政治和民生的战略高度" },
      { "(一) 一是", "一是建立机构，加强领导。成立了扶贫工作领导小组，局长王建国担任组长" },
      { "(一) 二是", "二是深入调研，科学规划。局领导多次深入帮扶的东梁村、西沟村" },
      { "(一) 一户一策", "按照一户一策的要求" },
      { "(二) funds", "共筹措投入帮扶资金3.86万元" },
      { "(二) material", "果树苗211株" },
      { "(二) sales", "帮助销售鸡蛋" },
      { "(二) 方案", "制定了《林业局生态扶贫工作方案》，培育壮大森林旅游、林下经济等特色产业" },
      { "(二) projects", "一是发展林下经济；二是养猪、养羊、散养鸡；三是帮助发展农产品销售集贸市场" },
      { "(三) 户有卡", "做到户有卡、村有表、镇有册" },
      { "(三) 一村一策", "“一村一策、一户一法”" },
      { "(三) 输血", "既“输血”又“造血”" },
      { "(三) 扶志", "一是扶贫与扶志相结合" },
      { "(三) 等靠要", "克服等、靠、要思想" },
      { "(三) 扶智", "二是扶贫与扶智相结合" },
      { "(三) 一对一", "“一对一”、“手把手”" },
      { "(三) 扶业", "三是扶贫与扶业相结合" },
      { "(四) 办法", "紧紧围绕《东胜区包联驻村工作办法》精神" },
      { "(四) trees", "驻村工作队积极联系帮扶单位东胜区林业局" },
      { "(四) chicks", "给郝九为、杨来才各送去雏鸡30只" },
      { "(四) radio", "送去收音机1台，丰富其文化生活" },
      { "(五) 百企帮百村", "抓住“百企帮百村”有利时机" },
      { "(五) transport", "一是依托色连二矿组建村集体运输队，为村集体经济创收的同时解决村民就业问题（正在协调实施当中）" },
      { "(五) orchard", "五荒地种植果树200亩，带动村集体经济发展" },
      { "(六) 三年规划", "三年规划》和《" },
      { "(六) 推进方案", "推进方案》" },
      { "(六) 双赢", "实现脱贫攻坚与生态文明建设“双赢”" },
      { "(六) afforestation", "森林植被恢复项目，完成造林10,050亩" },
      { "(六) ranger", "1个护林员岗位" },
      { "二、问题", "二、存在的问题" },
      { "二、(一)", "（一）东梁村、西沟村全境属城市规划区范围" },
      { "三、思路", "三、下一步工作思路" },
      { "三、(二)", "“百企帮百村”的有利时机" },
      { "落款", "\n东胜区林业局\n" },
      { "成文日期", "2019年12月20日" },
    }
    for _, p in ipairs(passages) do
      if not text:find(p[2], 1, true) then error("no counterpart of the seed's " .. p[1] .. ": " .. p[2], 0) end
    end
    -- wrong or contradictory wording the report must not use
    for _, bad in ipairs({ "未稳定脱贫", "单位领导", "（产业，协调中）", "办下来", "落不了地", "盯紧", "全年0次" }) do
      expect(text:find(bad, 1, true)).to_be_nil()
    end
    expect(text).to_contain("尚需经“两不愁三保障”核验后按程序退出")
  end)

  it("agrees with the register and the monitoring scan", function()
    local result, text = annual()
    -- 物资价值: the summary's figure is the register's town total
    local material = require("lib.definitions").material_value(2019, { 1, 2 })
    expect(result.figures["material_value"] * 100).to_be(material.total_fen)
    -- monitoring: the summary's count is what `monitoring scan` suggests
    local scan = require("monitoring").scan{ year = 2019 }
    local suggested = 0
    for _, f in ipairs(scan.households) do if f.suggested then suggested = suggested + 1 end end
    expect(result.figures["monitoring_suggested"]).to_be(suggested)
    expect(text:find("防返贫监测范围之内", 1, true)).to_be_nil()
  end)

  it("reads a year as it stood on its last day", function()
    local _, text = annual{ year = 2018 }
    -- the partnerships all started in 2019, the documents are of 2019, no material in 2018
    expect(text).to_contain("企业帮扶台账中没有帮扶村2018年的合作项目")
    expect(text:find("色连二矿", 1, true)).to_be_nil()
    expect(text:find("三年规划", 1, true)).to_be_nil()
    -- a household identified in 2020 is not one of 2019's
    fixture.households:add{ number = "1506020010204", head_name = "新户", village_id = 2, size = 2, standard = "国家",
                            status = "未脱贫", year_identified = 2020 }
    local later = annual()
    expect(later.figures["households"]).to_be(6)
    expect(later.figures["national_to_help"]).to_be(6)
    -- nor is one identified later whose id comes before the others' (the list's length
    -- must not take in households by id)
    fixture.households:update(1, { year_identified = 2020 })
    local fewer = annual()
    expect(fewer.figures["households"]).to_be(5)
    fixture.households:update(1, { year_identified = 2014 })
    -- a later exit does not change the year-end status of 2019
    fixture.households:update(1, { status = "已脱贫（享受政策）", year_exited = 2020 })
    local _, text19 = annual()
    expect(text19).to_contain("帮扶户中未脱贫6户")
    -- a progress entry of 2020 does not change the 2019 status of a project
    fixture.partnership_progress:add{ partnership_id = 1, date = "2020-03-01", from_status = "协调中", status = "实施中" }
    local _, again = annual()
    expect(again).to_contain("运输队，为村集体经济创收的同时解决村民就业问题（正在协调实施当中）")
  end)

  it("takes a phrase from the workspace's report_phrases", function()
    fixture.report_phrases:add{ key = "organisation.measures", text = "{unit}为{measure_households}户制定措施{measures}项。" }
    local _, text = annual()
    expect(text).to_contain("东胜区林业局为6户制定措施15项。")
    fixture.report_phrases:add{ key = "ecology.none", text = "{no_such_figure}" }
    fixture.report_phrases:add{ key = "no.such.key", text = "x" }
    expect(function() annual() end).to_fail("no phrase named no.such.key")
  end)

  it("states its data version, and the same version gives the same bytes", function()
    local first, text1 = annual()
    local _, text2 = annual()
    expect(text1).to_be(text2)
    expect(text1).to_contain("数据版本" .. first.version)
    fixture.visits:add{ date = "2019-12-01", cadre_id = 1, household_id = 6, mode = "入户", content = "回访" }
    local later = annual()
    expect(later.version > first.version).to_be(true)
  end)

  it("gives pandoc the title, the heading levels, the 落款 and 成文日期 of a 公文", function()
    local annual_lib = require("lib.annual")
    local result = annual_lib.build({ year = 2019, format = "docx" }, { fail = function(m) error(m) end })
    local md = require("lib.docx").markdown(result)
    expect(md).to_contain('title: "东胜区林业局2019年度精准扶贫工作总结"')
    expect(md).to_contain("\n# 一、工作开展情况\n")
    expect(md).to_contain("\n## （一）加强领导，落实责任\n")
    expect(md).to_contain('::: {custom-style="Signature"}\n东胜区林业局\\\n2019年12月20日\n:::')
    expect(md:find("\n### ", 1, true)).to_be_nil()
    -- each chart an image the host rasterises, with no SVG left in the text
    expect(md).to_contain('::: {custom-style="Chart"}\n![](chart-1.svg){width=14cm}\n:::')
    expect(result.images["chart-1.svg"]:sub(1, 4)).to_be("<svg")
    expect(md:find("<svg", 1, true)).to_be_nil()
    -- the closing lines appear once, in their own styles, not also as body paragraphs
    local _, n = md:gsub("2019年12月20日", "")
    expect(n).to_be(1)
  end)

  it("appends the year beside the last and each village, with the summary's own numbers", function()
    local result, text = annual()
    expect(text).to_contain("附件1：2019年主要指标同比")
    expect(text).to_contain("附件2：2019年分村情况")
    local now, v = result.indicators, result.figures
    for _, key in ipairs({ "funds_in", "funds_out", "material_value", "visits", "trainings", "afforestation_total",
                           "ranger_wages" }) do
      if not same(now[key], v[key]) then
        error(key .. ": appendix " .. tostring(now[key]) .. ", summary " .. tostring(v[key]), 0)
      end
    end
    if fp.sales then expect(now.sales_amount).to_be(v.sales_amount) end
    expect(now.households_open).to_be(v.national_to_help)
    -- the villages add up to the summary
    expect(text).to_contain("| 东梁村 | 3 | 7 | 3 | 8 | 3,156 |")
    expect(text).to_contain("| 西沟村 | 3 | 6 | 3 | 7 | 1,062 |")
    -- a year without visits says so once, without a count of nought
    local _, empty = annual{ year = 2030 }
    expect(empty).to_contain("走访记录台账中没有2030年的走访记录")
    expect(empty:find("0次走访", 1, true)).to_be_nil()
  end)

  it("reads year-end statuses by the day each change took effect, its explained query too", function()
    -- typed now, effective 2019-11-20 and 2020-03-01 (fp.status_changes, as `monitoring status` writes)
    fixture.status_changes:add{ household_id = 1, date = "2019-11-20", from_status = "未脱贫",
                                status = "已脱贫（享受政策）" }
    fixture.status_changes:add{ household_id = 2, date = "2020-03-01", from_status = "未脱贫",
                                status = "已脱贫（享受政策）" }
    local result, text = annual()
    expect(text).to_contain("已脱贫（享受政策）1户、未脱贫5户")
    local shown = 0
    for _, f in ipairs(result.explain) do
      if f.query:find("fp.status_changes", 1, true) then
        shown = shown + 1
        expect(same(load("return " .. f.query)(), f.value)).to_be(true)
      end
    end
    expect(shown > 0).to_be(true)
  end)

  it("refuses an unknown unit", function()
    expect(function() run("annual", { year = 2019, unit = "没有这个单位" }) end).to_fail("no unit named")
  end)
end)
