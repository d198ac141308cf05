-- 一、工作开展情况 (一)–(三): organisation, projects and money, ledgers and help. Each
-- paragraph is a phrase of lib/phrases filled with figures of lib/figures.
local Figures = require("lib.figures")
local Phrases = require("lib.phrases")
local U = require("lib.util")

local M = {}
local num = fp.report.number
local where, keys_sorted, count = U.where, U.keys_sorted, U.count

-- (一) organisation, villages and households
function M.organisation(sec, s)
  local F, u = s.F, s.unit
  local part = sec:section(s.say("organisation.heading"))
  part:paragraph(s.say("organisation.lead"))
  if u.group_head then
    part:paragraph(s.say("organisation.group", { head_post = U.strip_parens(u.group_head_post), head = u.group_head,
      deputy_post = U.strip_parens(u.group_deputy_post), deputy = u.group_deputy or "" }))
  else
    part:paragraph(s.say("organisation.no_group"))
  end
  local nv = F:q("villages", "帮扶村数", where("villages", { { "unit_id", u.id } }) .. ":count()")
  -- the households registered by the end of the year (one without a year counts as registered)
  local people = 0
  for _, h in ipairs(s.households) do people = people + (h.size or 0) end
  local registered = "(function() local n, p = 0, 0 for h in "
    .. where("households", { { "village_id", s.in_villages } })
    .. ":iter() do if (h.year_identified or 0) <= " .. s.year .. " then n, p = n + 1, p + (h.size or 0) end end "
    .. "return %s end)()"
  local nh = F:known("households", "帮扶户数", #s.households, string.format(registered, "n"))
  F:known("people", "帮扶户人口", people, string.format(registered, "p"))
  F:q("cadres", "帮扶责任人数", where("cadres", { { "unit_id", u.id } }) .. ":count()")
  local paired = F:q("paired_households", "结对户（按户计）",
    where("pairings", { { "household_id.village_id", s.in_villages }, { "start_date", { "<=", s.year_end } } })
      .. ':group_by("household_id"):count()')
  local in_year = { { "year", s.year }, { "household_id.village_id", s.in_villages } }
  local nm = F:q("measures", "帮扶措施项数", where("measures", in_year) .. ":count()")
  local nmh = F:q("measure_households", "有措施的户（按户计措施项）",
    where("measures", in_year) .. ':group_by("household_id"):count()')
  F:q("measures_done", "已落实措施项数", where("measures", { in_year[1], in_year[2], { "done", true } }) .. ":count()")
  local n_national = 0
  for _, h in ipairs(s.households) do if h.standard == "国家" then n_national = n_national + 1 end end
  local national = F:known("national_households", "国家标准贫困户数", n_national,
    "(function() local n = 0 for h in "
      .. where("households", { { "village_id", s.in_villages }, { "standard", "国家" } })
      .. ":iter() do if (h.year_identified or 0) <= " .. s.year .. " then n = n + 1 end end return n end)()")
  if nv == 0 then
    part:paragraph("帮扶村台账中没有" .. u.name .. "帮扶的村，以下各项均无数据。")
    return
  end
  local standard_note = ""
  if national > 0 then
    standard_note = s.say(national == nh and "organisation.all_national" or "organisation.some_national")
  end
  local text = s.say("organisation.plan", { standard_note = standard_note, paired = count(paired) })
  if nm > 0 then
    text = text .. s.say("organisation.measures", { measure_households = count(nmh) })
  else
    text = text .. s.say("organisation.no_measures")
  end
  part:paragraph(text)
end

-- (二) funds, material, produce sales, the plans behind the projects
function M.projects(sec, s, charts)
  local F, u = s.F, s.unit
  local part = sec:section(s.say("projects.heading"))
  local base = { { "year", s.year }, { "unit_id", u.id } }
  local funds_in = where("funds", { base[1], base[2], { "direction", "in" } })
  local funds_out = where("funds", { base[1], base[2], { "direction", "out" } })
  local n_funds_in = F:q("funds_in_records", "资金筹措笔数", funds_in .. ":count()")
  F:q("funds_in", "筹措帮扶资金（元）", funds_in .. ':sum("amount")')
  local spent = F:q("funds_out", "支出帮扶资金（元）", funds_out .. ':sum("amount")')
  local by_source = F:q("funds_in_by_source", "按来源筹措资金（元）", funds_in .. ':group_by("source"):sum("amount")')
  if n_funds_in == 0 and spent == 0 then
    part:paragraph("帮扶资金台账中没有" .. s.year .. "年的记录。")
  else
    local parts, data = {}, {}
    for _, k in ipairs(keys_sorted(by_source, true)) do
      parts[#parts + 1] = tostring(k) .. fp.report.wan(by_source[k]) .. "万元"
      data[#data + 1] = { tostring(k), by_source[k] }
    end
    local sources = #parts > 0 and ("（" .. table.concat(parts, "，") .. "）") or ""
    part:paragraph(s.say("projects.funds", { funds_sources = sources }))
    if #data > 0 then
      charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年帮扶资金来源（元）", data = data, unit = "元" } }
    end
  end

  -- Material by item, in the order the items were first handed out.
  local hq = { { "year", s.year }, { "household_id.village_id", s.in_villages } }
  local items = {}
  s.material_fen = {}   -- value handed to each household (fen), for 附件2
  local rows = fp.distributions:where{ year = s.year, ["household_id.village_id"] = s.in_villages }
  for d in rows:order_by("date"):order_by("id"):iter() do
    local it = items[d.item]
    if not it then
      it = { name = d.item, unit = d.unit or "", per_household = {}, cadres = {}, quantity = 0, value_fen = 0 }
      items[d.item] = it
      items[#items + 1] = it
    end
    it.quantity = it.quantity + (d.quantity or 0)
    it.value_fen = it.value_fen + math.floor((d.value or 0) * 100 + 0.5)
    if d.household_id then
      it.per_household[d.household_id] = (it.per_household[d.household_id] or 0) + (d.quantity or 0)
      s.material_fen[d.household_id] = (s.material_fen[d.household_id] or 0) + math.floor((d.value or 0) * 100 + 0.5)
    end
    it.cadres[#it.cadres + 1] = d.cadre_id or false
  end
  s.items = items
  -- the total and record count of lib/definitions' material_value, from the same rows
  local material = { total_fen = 0, records = 0 }
  for _, it in ipairs(items) do
    material.total_fen = material.total_fen + it.value_fen
    material.records = material.records + #it.cadres
  end
  local pieces, data = {}, {}
  for _, it in ipairs(items) do
    local one = where("distributions", { hq[1], hq[2], { "item", it.name } })
    F:known("material." .. it.name, it.name .. "数量（" .. it.unit .. "）", it.quantity, one .. ':sum("quantity")')
    it.value = F:known("material_value." .. it.name, it.name .. "价值（元）", U.yuan(it.value_fen), one .. ':sum("value")')
    pieces[#pieces + 1] = it.name .. num(it.quantity) .. it.unit
    data[#data + 1] = { it.name, it.value }
  end
  local q = where("distributions", hq)
  F:known("material_value", "物资价值合计（元）", U.yuan(material.total_fen), q .. ':sum("value")')
  s.distribution_records = { material.records, q .. ":count()" }
  if #items == 0 then
    part:paragraph("物资发放台账中没有" .. s.year .. "年发放给帮扶户的物资。")
  else
    part:paragraph(s.say("projects.material", { material_list = table.concat(pieces, "、") }))
    charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年物资发放（按物资，元）", data = data, unit = "元" } }
  end
  M.sales(part, s, charts)

  -- the unit's plans for industry, and the projects chosen with each village
  for _, d in ipairs(s.documents("产业", true)) do
    if d.kind ~= "致富项目" then
      part:paragraph(s.say("projects.plan_document", { document = "《" .. d.title .. "》", content = d.content or "" }))
    end
  end
  for _, v in ipairs(s.villages) do
    local chosen
    for _, d in ipairs(s.documents("产业", false)) do
      if d.kind == "致富项目" and d.village_id == v.id then chosen = d end
    end
    if chosen and chosen.content then
      part:paragraph(s.say("projects.village_projects", { village = v.name, items = U.numbered(chosen.content) }))
    end
  end
end

-- produce sales: a ledger of the produce-sales plugin
function M.sales(part, s, charts)
  local F = s.F
  if not fp.sales then
    part:paragraph("尚未建立消费扶贫销售台账（produce-sales 插件），暂无农副产品销售数据。")
    s.sales = 0
    return
  end
  local sq = where("sales", { { "year", s.year }, { "household_id.village_id", s.in_villages } })
  local per_product = sq .. ':group_by("product"):aggregate{ n = "count", amount = { "sum", "amount" } }'
  local by_product, n, amount = {}, 0, 0
  for product, f in pairs(F:pick("sales_per_product", "按产品销售笔数与金额", per_product)) do
    by_product[product] = f.amount
    n, amount = n + f.n, amount + f.amount
  end
  F:known("sales_records", "农副产品销售笔数", n, sq .. ":count()")
  F:known("sales_amount", "农副产品销售金额（元）", U.fen(amount), sq .. ':sum("amount")')
  F:known("sales_by_product", "按产品销售金额（元）", by_product, sq .. ':group_by("product"):sum("amount")')
  s.sales = n
  if n == 0 then
    part:paragraph("消费扶贫销售台账中没有" .. s.year .. "年帮扶户的销售记录。")
    return
  end
  local products, sdata = {}, {}
  for _, k in ipairs(keys_sorted(by_product, true)) do
    products[#products + 1] = tostring(k)
    sdata[#sdata + 1] = { tostring(k), by_product[k] }
  end
  part:paragraph(s.say("projects.sales", { products = table.concat(products, "、") }))
  charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年农副产品销售（按产品，元）", data = sdata, unit = "元" } }
end

-- (三) ledgers, visits, training, industry, status, income
function M.ledgers(sec, s)
  local F = s.F
  local part = sec:section(s.say("ledgers.heading"))
  local visit_query = where("visits", { { "year", s.year }, { "household_id.village_id", s.in_villages } })
  local n_visits, by_mode, visited = 0, {}, {}
  for v in fp.visits:where{ year = s.year, ["household_id.village_id"] = s.in_villages }:iter() do
    n_visits = n_visits + 1
    local mode = v.mode or ""
    by_mode[mode] = (by_mode[mode] or 0) + 1
    if v.household_id then visited[v.household_id] = (visited[v.household_id] or 0) + 1 end
  end
  F:known("visits", "走访次数", n_visits, visit_query .. ":count()")
  F:known("visits_by_mode", "按方式走访次数", by_mode, visit_query .. ':group_by("mode"):count()')
  F:known("visited_households", "走访到的户（按户计次）", visited, visit_query .. ':group_by("household_id"):count()')
  local n_distributions = F:known("distribution_records", "物资发放记录数",
    s.distribution_records[1], s.distribution_records[2])
  local towns = {}
  for _, v in ipairs(s.villages) do towns[v.town_id] = true end
  local records = {}
  if n_visits > 0 then records[#records + 1] = num(n_visits) .. "次走访" end
  if n_distributions > 0 then records[#records + 1] = num(n_distributions) .. "次物资发放" end
  local record_note = #records > 0 and ("；全年" .. table.concat(records, "和") .. "记入帮扶记录卡") or ""
  part:paragraph(s.say("ledgers.cards",
    { card_households = #s.households, towns = count(towns), record_note = record_note }))
  part:paragraph(s.say("ledgers.principle"))

  if n_visits == 0 then
    part:paragraph(s.say("ledgers.zhi_none"))
  else
    local modes = {}
    for _, k in ipairs(keys_sorted(by_mode, true)) do modes[#modes + 1] = tostring(k) .. num(by_mode[k]) .. "次" end
    part:paragraph(s.say("ledgers.zhi",
      { visit_modes = table.concat(modes, "、"), visited_households = count(visited) }))
  end
  M.training(part, s)
  M.industry(part, s)
  M.status(part, s)
end

function M.training(part, s)
  local F = s.F
  local tq = where("trainings", { { "year", s.year }, { "unit_id", s.unit.id } })
  local n = F:q("trainings", "培训次数", tq .. ":count()")
  local by_topic = F:q("trainings_by_topic", "按主题培训次数", tq .. ':group_by("topic"):count()')
  local by_mode = F:q("trainings_by_mode", "按方式培训次数", tq .. ':group_by("mode"):count()')
  local tids = {}
  for t in fp.trainings:where{ year = s.year, unit_id = s.unit.id }:order_by("id"):iter() do tids[#tids + 1] = t.id end
  local aq = where("training_attendees", { { "training_id", { "in", tids } } })
  F:q("training_attendees", "参训人次", aq .. ":count()")
  local households = F:q("training_households", "参训户（按户计人次）", aq .. ':group_by("household_id"):count()')
  if n == 0 then
    part:paragraph(s.say("ledgers.zhi2_none"))
    return
  end
  local topics, modes = {}, {}
  for _, k in ipairs(keys_sorted(by_topic, true)) do topics[#topics + 1] = tostring(k) .. num(by_topic[k]) .. "次" end
  for _, k in ipairs(keys_sorted(by_mode, true)) do modes[#modes + 1] = Phrases.training_modes[k] or tostring(k) end
  part:paragraph(s.say("ledgers.zhi2", { training_topics = table.concat(topics, "、"),
    training_modes = table.concat(modes, "或"), training_household_count = count(households) }))
end

function M.industry(part, s)
  local F = s.F
  local iq = where("measures",
    { { "year", s.year }, { "household_id.village_id", s.in_villages }, { "category", "产业" } })
  local n = F:q("industry_measures", "产业帮扶措施项数", iq .. ":count()")
  local per = F:q("industry_measure_households", "有产业措施的户（按户计项）", iq .. ':group_by("household_id"):count()')
  if n == 0 then
    part:paragraph(s.say("ledgers.ye_none"))
    return
  end
  local names = {}
  for _, it in ipairs(s.items or {}) do
    if not Phrases.gift_purposes[it.name] then names[#names + 1] = it.name end
  end
  part:paragraph(s.say("ledgers.ye", { industry_households = count(per),
    industry_items = #names > 0 and table.concat(names, "、") or "生产资料",
    sales_note = (s.sales or 0) > 0 and "；积极想办法帮助贫困户推销农副产品" or "" }))
end

-- households by status on the last day of the year; income against the line; monitoring
function M.status(part, s)
  local F = s.F
  local by_status = {}
  for _, h in ipairs(s.households) do
    local st = s.status_at(h)
    if st then by_status[st] = (by_status[st] or 0) + 1 end
  end
  F:known("households_by_status", "年底按脱贫状态户数", by_status, s.status_query)
  if #s.households > 0 then
    local parts = {}
    for _, k in ipairs(keys_sorted(by_status)) do parts[#parts + 1] = tostring(k) .. num(by_status[k]) .. "户" end
    part:paragraph(s.say("ledgers.status", { status_list = table.concat(parts, "、") }))
  end
  local line = F:q("poverty_line", s.year .. "年贫困线（元/人·年）",
    "(fp.poverty_lines:find" .. U.filter({ { "year", s.year } }) .. " or {}).amount")
  local with_income = F:q("income_households", "有收入记录的户（按户计条）",
    where("incomes", { { "year", s.year }, { "household_id.village_id", s.in_villages } })
      .. ':group_by("household_id"):count()')
  if line == nil then
    part:paragraph(s.say("ledgers.no_line"))
  elseif count(with_income) == 0 then
    part:paragraph(s.say("ledgers.no_income"))
  else
    local ids, exited_above = {}, 0
    for id in pairs(with_income) do ids[#ids + 1] = id end
    table.sort(ids)
    local loop = "(function() local n = 0 for _, id in ipairs(" .. Figures.lit(ids) .. ") do "
      .. "local i = fp.households:income(id, " .. s.year .. ") if i.%s then n = n + 1 end end return n end)()"
    local above = F:q("income_above_line", "人均纯收入高于贫困线的户数", string.format(loop, "above"))
    for _, id in ipairs(ids) do
      local h = s.registered[id]
      if h and s.status_at(h) == "未脱贫" and fp.households:income(id, s.year).above then
        exited_above = exited_above + 1
      end
    end
    local below = #ids - above
    part:paragraph(s.say("ledgers.income", { income_households_n = #ids, income_below_line = below,
      above_note = exited_above > 0 and s.say("ledgers.above_not_exited") or "",
      below_note = below > 0 and s.say("ledgers.below", { income_below_line = below }) or "" }))
  end
  if s.monitoring_suggested ~= nil then
    F:known("monitoring_suggested", "防返贫监测排查提示户数", s.monitoring_suggested, s.monitoring_query)
    part:paragraph(s.say(s.monitoring_suggested > 0 and "ledgers.monitoring" or "ledgers.monitoring_none"))
  end
end

return M
