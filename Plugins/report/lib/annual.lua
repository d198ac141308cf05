-- The annual work summary: the sections of the seed document, each number computed from the
-- ledgers through lib/figures (so --explain can show the query), each sentence saying so
-- when its ledger holds nothing rather than inventing a number.
local Figures = require("lib.figures")
local words = require("lib.words")

local M = {}
local R = fp.report
local num, wan = R.number, R.wan
local filter = Figures.filter

local function where(collection, conditions)
  return "fp." .. collection .. ":where" .. filter(conditions)
end

local function keys_sorted(t, by_value_desc)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if by_value_desc and t[a] ~= t[b] then return t[a] > t[b] end
    return tostring(a) < tostring(b)
  end)
  return keys
end

-- Money added up in Lua (yuan as floats) back on the fen, as the database's integer sums are.
local function fen(x)
  return math.floor(x * 100 + 0.5) / 100
end

--- Yuan from integer fen, as fp gives money: an integer when whole.
local function yuan(f)
  return f % 100 == 0 and f // 100 or f / 100
end

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

local function strip_parens(s)
  return (tostring(s or ""):gsub("（.-）", ""):gsub("%(.-%)", ""))
end

--- The helping unit: --unit NAME, or the only unit there is.
---@param args fp.plugin.Report.AnnualArgs
---@param ctx fp.Ctx
---@return fp.UnitsRecord
function M.unit(args, ctx)
  if args.unit then
    local u = fp.units:find{ name = args.unit }
    if not u then ctx.fail("no unit named " .. args.unit .. " (see fp.units)") end
    return u
  end
  local n = fp.units:count()
  if n == 1 then return fp.units:first() end
  if n == 0 then ctx.fail("the workspace has no units: add one to fp.units first") end
  local names = {}
  for u in fp.units:order_by("id"):iter() do names[#names + 1] = u.name end
  ctx.fail("several units (" .. table.concat(names, ", ") .. "): choose one with --unit NAME")
end

--- The scope: the unit, its villages, their households.
local function scope(year, unit)
  local s = { year = year, unit = unit, villages = {}, vids = {}, hids = {}, households = {} }
  for v in fp.villages:where{ unit_id = unit.id }:order_by("id"):iter() do
    s.villages[#s.villages + 1] = v
    s.vids[#s.vids + 1] = v.id
  end
  for h in fp.households:where{ village_id = { "in", s.vids } }:order_by("id"):iter() do
    s.households[#s.households + 1] = h
    s.hids[#s.hids + 1] = h.id
    s.households[h.id] = h
  end
  -- Records of the unit's households are found through their village (household_id.village_id),
  -- so each query names the unit's few villages, not thousands of household ids.
  s.in_villages = { "in", s.vids }
  return s
end

local function names(list, field)
  local out = {}
  for i, x in ipairs(list) do out[i] = x[field or "name"] end
  return table.concat(out, "、")
end

-- 一、(一) organisation, villages and households -------------------------------------------
local function organisation(sec, s, F)
  local u = s.unit
  local part = sec:section("（一）加强领导，落实责任")
  if u.group_head then
    local text = u.name .. "成立扶贫工作领导小组，由" .. strip_parens(u.group_head_post) .. u.group_head
      .. "任组长，承担扶贫第一责任人的责任"
    if u.group_deputy then
      text = text .. "；" .. strip_parens(u.group_deputy_post) .. u.group_deputy .. "具体负责扶贫工作"
    end
    part:paragraph(text .. "。")
  else
    part:paragraph("帮扶单位台账中没有登记" .. u.name .. "扶贫工作领导小组的组成。")
  end

  local nv = F:q("villages", "帮扶村数", where("villages", { { "unit_id", u.id } }) .. ":count()")
  local nh = F:q("households", "帮扶户数", where("households", { { "village_id", s.in_villages } }) .. ":count()")
  local np = F:q("people", "帮扶户人口", where("households", { { "village_id", s.in_villages } }) .. ':sum("size")')
  local nc = F:q("cadres", "帮扶责任人数", where("cadres", { { "unit_id", u.id } }) .. ":count()")
  local paired = F:q("paired_households", "结对户（按户计）",
    where("pairings", { { "household_id.village_id", s.in_villages } }) .. ':group_by("household_id"):count()')
  local in_year = { { "year", s.year }, { "household_id.village_id", s.in_villages } }
  local nm = F:q("measures", "帮扶措施项数", where("measures", in_year) .. ":count()")
  local nmh = F:q("measure_households", "有措施的户（按户计措施项）",
    where("measures", in_year) .. ':group_by("household_id"):count()')
  local nd = F:q("measures_done", "已落实措施项数",
    where("measures", { in_year[1], in_year[2], { "done", true } }) .. ":count()")
  local national = F:q("national_households", "国家标准贫困户数",
    where("households", { { "village_id", s.in_villages }, { "standard", "国家" } }) .. ":count()")

  if nv == 0 then
    part:paragraph("帮扶村台账中没有" .. u.name .. "帮扶的村，以下各项均无数据。")
    return
  end
  local text = "单位领导多次到帮扶的" .. names(s.villages) .. "调研，与村干部共同研究扶贫工作方案。"
    .. "全局共帮扶" .. num(nv) .. "个村、" .. num(nh) .. "户建档立卡贫困户" .. "（" .. num(np) .. "人）"
  if national > 0 then text = text .. "，其中国家标准贫困户" .. num(national) .. "户" end
  text = text .. "；" .. num(nc) .. "名帮扶责任人与" .. num(count(paired)) .. "户结对帮扶。"
  if nm > 0 then
    text = text .. "按照一户一策，为" .. num(count(nmh)) .. "户制定帮扶措施" .. num(nm) .. "项，已落实"
      .. num(nd) .. "项，做到村有脱贫计划、户有脱贫措施。"
  else
    text = text .. "帮扶措施台账中没有" .. s.year .. "年的措施。"
  end
  part:paragraph(text)
end

-- 一、(二) funds, material, produce sales --------------------------------------------------
local function projects(sec, s, F, charts)
  local part = sec:section("（二）突出重点，项目带动")
  local u = s.unit
  local funds_in = where("funds", { { "year", s.year }, { "unit_id", u.id }, { "direction", "in" } })
  local funds_out = where("funds", { { "year", s.year }, { "unit_id", u.id }, { "direction", "out" } })
  local n_funds_in = F:q("funds_in_records", "资金筹措笔数", funds_in .. ":count()")
  local raised = F:q("funds_in", "筹措帮扶资金（元）", funds_in .. ':sum("amount")')
  local spent = F:q("funds_out", "支出帮扶资金（元）", funds_out .. ':sum("amount")')
  local by_source = F:q("funds_in_by_source", "按来源筹措资金（元）", funds_in .. ':group_by("source"):sum("amount")')
  if n_funds_in == 0 and spent == 0 then
    part:paragraph("帮扶资金台账中没有" .. s.year .. "年的记录。")
  else
    local parts = {}
    for _, k in ipairs(keys_sorted(by_source, true)) do parts[#parts + 1] = tostring(k) .. wan(by_source[k]) .. "万元" end
    local text = "全年共筹措帮扶资金" .. wan(raised) .. "万元"
    if #parts > 0 then text = text .. "（" .. table.concat(parts, "，") .. "）" end
    text = text .. "，已支出" .. wan(spent) .. "万元。"
    part:paragraph(text)
    local data = {}
    for _, k in ipairs(keys_sorted(by_source, true)) do data[#data + 1] = { tostring(k), by_source[k] } end
    if #data > 0 then
      charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年帮扶资金来源（元）", data = data, unit = "元" } }
    end
  end

  -- Material by item, in the order the items were first handed out.
  local base = { { "year", s.year }, { "household_id.village_id", s.in_villages } }
  local items = {}
  -- One pass over the year's records: the items in order, each item's count, quantity and value
  -- (value added up in fen, so the sum is exact), and each item's quantity per household.
  local records, total_fen = 0, 0
  local year_distributions = fp.distributions:where{ year = s.year, ["household_id.village_id"] = s.in_villages }
  for d in year_distributions:order_by("date"):order_by("id"):iter() do
    local it = items[d.item]
    if not it then
      it = { name = d.item, unit = d.unit or "", per_household = {}, quantity = 0, value_fen = 0 }
      items[d.item] = it
      items[#items + 1] = it
    end
    local value_fen = math.floor((d.value or 0) * 100 + 0.5)
    it.quantity = it.quantity + (d.quantity or 0)
    it.value_fen = it.value_fen + value_fen
    records, total_fen = records + 1, total_fen + value_fen
    if d.household_id then
      it.per_household[d.household_id] = (it.per_household[d.household_id] or 0) + (d.quantity or 0)
    end
  end
  s.items = items
  local pieces, data = {}, {}
  local q = where("distributions", base)
  for _, it in ipairs(items) do
    local one = where("distributions", { base[1], base[2], { "item", it.name } })
    it.quantity = F:known("material." .. it.name, it.name .. "数量（" .. it.unit .. "）", it.quantity,
      one .. ':sum("quantity")')
    it.value = F:known("material_value." .. it.name, it.name .. "价值（元）", yuan(it.value_fen), one .. ':sum("value")')
    pieces[#pieces + 1] = it.name .. num(it.quantity) .. it.unit
    data[#data + 1] = { it.name, it.value }
  end
  local total = F:known("material_value", "物资价值合计（元）", yuan(total_fen), q .. ':sum("value")')
  s.distribution_records = { records, q .. ":count()" }
  if #items == 0 then
    part:paragraph("物资发放台账中没有" .. s.year .. "年发放给帮扶户的物资。")
  else
    part:paragraph("为帮扶户提供" .. table.concat(pieces, "、") .. "，物资价值合计" .. num(total) .. "元。")
    charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年物资发放（按物资，元）", data = data, unit = "元" } }
  end

  -- Produce sales: a ledger of the produce-sales plugin.
  if fp.sales then
    local sq = where("sales", { { "year", s.year }, { "household_id.village_id", s.in_villages } })
    -- One statement per product gives the product figures and, added up, the totals.
    local per_product = sq .. ':group_by("product"):aggregate{ n = "count", amount = { "sum", "amount" } }'
    local by_product, n, amount = {}, 0, 0
    for product, f in pairs(F:pick("sales_per_product", "按产品销售笔数与金额", per_product)) do
      by_product[product] = f.amount
      n, amount = n + f.n, amount + f.amount
    end
    F:known("sales_records", "农副产品销售笔数", n, sq .. ":count()")
    amount = fen(amount)
    F:known("sales_amount", "农副产品销售金额（元）", amount, sq .. ':sum("amount")')
    F:known("sales_by_product", "按产品销售金额（元）", by_product, sq .. ':group_by("product"):sum("amount")')
    if n == 0 then
      part:paragraph("消费扶贫销售台账中没有" .. s.year .. "年帮扶户的销售记录。")
    else
      local products, sdata = {}, {}
      for _, k in ipairs(keys_sorted(by_product, true)) do
        products[#products + 1] = tostring(k)
        sdata[#sdata + 1] = { tostring(k), by_product[k] }
      end
      part:paragraph("积极帮助贫困户推销农副产品，销售" .. table.concat(products, "、") .. "等共" .. num(n)
        .. "笔，金额" .. num(amount) .. "元。")
      charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年农副产品销售（按产品，元）", data = sdata, unit = "元" } }
    end
  else
    part:paragraph("尚未建立消费扶贫销售台账（produce-sales 插件），暂无农副产品销售数据。")
  end
end

-- 一、(三) ledgers, visits, training, status, income -----------------------------------------
local function ledgers(sec, s, F)
  local part = sec:section("（三）夯实基础，真情帮扶")
  local visit_query = where("visits", { { "year", s.year }, { "household_id.village_id", s.in_villages } })
  -- One pass over the year's visits gives the count, the modes and the households visited.
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

  part:paragraph("按照上级要求建立帮扶台账，做到户有卡、村有表、镇有册：" .. num(#s.hids) .. "户建立帮扶联系卡，"
    .. num(#s.villages) .. "个村建立帮扶联系计划表，汇编为" .. num(count(towns)) .. "个镇的帮扶册；全年"
    .. num(n_visits) .. "次走访和" .. num(n_distributions) .. "次物资发放记入帮扶记录卡。")

  if n_visits == 0 then
    part:paragraph("走访记录台账中没有" .. s.year .. "年的走访。")
  else
    local modes = {}
    for _, k in ipairs(keys_sorted(by_mode, true)) do modes[#modes + 1] = tostring(k) .. num(by_mode[k]) .. "次" end
    part:paragraph("扶贫与扶志相结合：帮扶责任人全年走访帮扶户" .. num(n_visits) .. "次（" .. table.concat(modes, "、")
      .. "），走访到" .. num(count(visited)) .. "户，了解困难、交流脱贫路子，帮助贫困户树立自我脱贫的信心。")
  end

  local tq = where("trainings", { { "year", s.year }, { "unit_id", s.unit.id } })
  local n_trainings = F:q("trainings", "培训次数", tq .. ":count()")
  local by_topic = F:q("trainings_by_topic", "按主题培训次数", tq .. ':group_by("topic"):count()')
  local tids = {}
  for t in fp.trainings:where{ year = s.year, unit_id = s.unit.id }:iter() do tids[#tids + 1] = t.id end
  local aq = where("training_attendees", { { "training_id", { "in", tids } } })
  local n_attendees = F:q("training_attendees", "参训人次", aq .. ":count()")
  local attendee_households = F:q("training_households", "参训户（按户计人次）", aq .. ':group_by("household_id"):count()')
  if n_trainings == 0 then
    part:paragraph("培训台账中没有" .. s.year .. "年的培训。")
  else
    local topics = {}
    for _, k in ipairs(keys_sorted(by_topic, true)) do topics[#topics + 1] = tostring(k) .. num(by_topic[k]) .. "次" end
    part:paragraph("扶贫与扶智相结合：组织林业技术人员开展" .. table.concat(topics, "、") .. "技术培训共" .. num(n_trainings)
      .. "次，培训" .. num(n_attendees) .. "人次，覆盖" .. num(count(attendee_households)) .. "户。")
  end

  local by_status = F:q("households_by_status", "按脱贫状态户数",
    where("households", { { "village_id", s.in_villages } }) .. ':group_by("status"):count()')
  if #s.hids > 0 then
    local parts = {}
    for _, k in ipairs(keys_sorted(by_status)) do parts[#parts + 1] = tostring(k) .. num(by_status[k]) .. "户" end
    part:paragraph("截至年底，帮扶户中" .. table.concat(parts, "、") .. "。")
  end

  -- Income against the line, from the income ledger.
  local line = F:q("poverty_line", s.year .. "年贫困线（元/人·年）",
    "(fp.poverty_lines:find" .. filter({ { "year", s.year } }) .. " or {}).amount")
  local with_income = F:q("income_households", "有收入记录的户（按户计条）",
    where("incomes", { { "year", s.year }, { "household_id.village_id", s.in_villages } })
      .. ':group_by("household_id"):count()')
  if line == nil then
    part:paragraph("贫困线台账中没有" .. s.year .. "年的标准，无法测算收入是否达标。")
  elseif count(with_income) == 0 then
    part:paragraph("家庭收入台账中没有" .. s.year .. "年的收入记录，无法测算人均纯收入。")
  else
    local ids = {}
    for id in pairs(with_income) do ids[#ids + 1] = id end
    table.sort(ids)
    local loop = "(function() local n = 0 for _, id in ipairs(" .. Figures.lit(ids) .. ") do "
      .. "local i = fp.households:income(id, " .. s.year .. ") if i.%s then n = n + 1 end end return n end)()"
    local above = F:q("income_above_line", "人均纯收入高于贫困线的户数", string.format(loop, "above"))
    local in_band = F:q("income_in_band", "处于监测范围内的户数", string.format(loop, "in_band"))
    part:paragraph("按" .. s.year .. "年贫困线每人" .. num(line) .. "元测算，有收入记录的" .. num(#ids) .. "户中"
      .. num(above) .. "户人均纯收入高于贫困线，" .. num(#ids - above) .. "户尚未达到；"
      .. num(in_band) .. "户处于防返贫监测范围之内。")
  end
end

-- 一、(四) work team, per-household material and named gifts -----------------------------------
local function team(sec, s, F)
  local part = sec:section("（四）驻村帮扶，心系群众")
  local year_start, year_end = s.year .. "-01-01", s.year .. "-12-31"
  local tq = where("teams", { { "unit_id", s.unit.id }, { "start_date", { "<=", year_end } } })
  local n_teams = F:q("teams", "驻村工作队数", tq .. ":count()")
  local any = false
  for t in fp.teams:where{ unit_id = s.unit.id, start_date = { "<=", year_end } }:order_by("id"):iter() do
    if t.end_date == nil or t.end_date >= year_start then
      any = true
      local village = fp.villages:get(t.village_id)
      local members = F:q("team_members." .. t.id, (t.name or "工作队") .. "成员人数",
        where("team_members", { { "team_id", t.id } }) .. ":count()")
      local leader_link = fp.team_members:find{ team_id = t.id, role = "队长" }
      local leader = leader_link and fp.cadres:get(leader_link.cadre_id)
      local text = (t.name or (s.unit.name .. "驻" .. (village and village.name or "") .. "工作队"))
      if t.start_date then text = text .. "自" .. words.date(t.start_date) .. "进驻" end
      text = text .. "，共有队员" .. num(members) .. "人"
      if leader then text = text .. "，由" .. leader.name .. "任队长" end
      part:paragraph(text .. "，工作队学习掌握脱贫攻坚政策和工作流程，向村民宣传政策，推动村集体经济发展。")
    end
  end
  if n_teams == 0 or not any then
    part:paragraph("驻村工作队台账中没有" .. s.year .. "年在岗的工作队。")
  end

  -- Material that reached many households: the per-household range; the rest: named gifts.
  local limit = words.named_gift_limit
  local gifts = {}
  for _, it in ipairs(s.items or {}) do
    local q = where("distributions",
      { { "year", s.year }, { "household_id.village_id", s.in_villages }, { "item", it.name } })
    local per = F:known("per_household." .. it.name, "每户" .. it.name .. "数量（" .. it.unit .. "）", it.per_household,
      q .. ':group_by("household_id"):sum("quantity")')
    -- the range needs no order: sort only the few households named one by one
    local households, lo, hi = 0, nil, nil
    for _, qty in pairs(per) do
      households = households + 1
      lo = (lo == nil or qty < lo) and qty or lo
      hi = (hi == nil or qty > hi) and qty or hi
    end
    if households > limit then
      local verb = words.verb(it.unit, true)
      part:paragraph("工作队联系" .. s.unit.name .. "为" .. num(households) .. "户贫困户" .. verb .. it.name .. "，每户"
        .. (lo == hi and num(lo) or (num(lo) .. "—" .. num(hi))) .. it.unit .. (lo == hi and "" or "不等") .. "。")
    else
      local ids = keys_sorted(per)
      table.sort(ids)
      -- group households by quantity, so equal gifts read "各" and unequal ones "分别"
      local by_qty, order, who = {}, {}, {}
      for _, id in ipairs(ids) do
        local qty = per[id]
        if not by_qty[qty] then by_qty[qty] = {}; order[#order + 1] = qty end
        local h = s.households[id]
        local name = h and h.head_name or ("#" .. id)
        s.needs_told = s.needs_told or {}
        if h and h.special_needs and not s.needs_told[id] then
          s.needs_told[id] = true
          name = name .. "（" .. h.special_needs .. "）"
        end
        table.insert(by_qty[qty], name)
        who[#who + 1] = name
      end
      local verb, to = words.verb(it.unit, false)
      if #order == 1 then
        gifts[#gifts + 1] = to .. table.concat(who, "、") .. (#who > 1 and "各" or "") .. verb .. it.name
          .. num(order[1]) .. it.unit
      else
        local qtys = {}
        for i, id in ipairs(ids) do qtys[i] = num(per[id]) .. it.unit end
        gifts[#gifts + 1] = to .. table.concat(who, "、") .. "分别" .. verb .. it.name .. table.concat(qtys, "、")
      end
    end
  end
  if #gifts > 0 then
    part:paragraph("针对贫困户生产生活中的实际困难，联系各帮扶责任人" .. table.concat(gifts, "；") .. "。")
  elseif #(s.items or {}) == 0 then
    part:paragraph("物资发放台账中没有" .. s.year .. "年送到户的物资。")
  end
end

-- 一、(五) enterprise partnerships (a ledger of another plugin) --------------------------------
local function enterprises(sec, s, F)
  local part = sec:section("（五）依托企业，振兴经济")
  if not fp.partnerships then
    part:paragraph("尚未建立“百企帮百村”企业帮扶台账（enterprise-partnership 插件），本节暂无数据。")
    return
  end
  local q = where("partnerships", { { "village_id", s.in_villages } })
  local n = F:q("partnerships", "企业帮扶项目数", q .. ":count()")
  local by_status = F:q("partnerships_by_status", "按状态企业帮扶项目数", q .. ':group_by("status"):count()')
  if n == 0 then
    part:paragraph("企业帮扶台账中没有帮扶村的合作项目。")
    return
  end
  local items = {}
  for p in fp.partnerships:where{ village_id = s.in_villages }:order_by("id"):iter() do
    local e = p.enterprise_id and fp.enterprises and fp.enterprises:get(p.enterprise_id)
    local v = p.village_id and fp.villages:get(p.village_id)
    local text = (e and (e.name .. "与") or "") .. (v and v.name or "") .. "合作：" .. tostring(p.project or "（未填写项目）")
    local facts = {}
    if p.type then facts[#facts + 1] = p.type end
    if p.status then facts[#facts + 1] = p.status end
    if #facts > 0 then text = text .. "（" .. table.concat(facts, "，") .. "）" end
    items[#items + 1] = text
  end
  local states = {}
  for _, k in ipairs(keys_sorted(by_status, true)) do states[#states + 1] = tostring(k) .. num(by_status[k]) .. "个" end
  part:paragraph("抓住“百企帮百村”的机会，与村委和村民商讨，立足村情选定项目，探索村集体经济的发展路子。"
    .. "目前共有企业帮扶项目" .. num(n) .. "个（" .. table.concat(states, "、") .. "）：")
  part:list(items, { ordered = true })
end

-- 一、(六) ecological work ----------------------------------------------------------------------
local function ecology(sec, s, F, charts)
  local part = sec:section("（六）生态扶贫，共建双赢")
  local q = where("eco_projects", { { "year", s.year }, { "unit_id", s.unit.id } })
  local n = F:q("eco_projects", "生态项目数", q .. ":count()")
  local labels, planned, done = {}, {}, {}
  if n == 0 then
    part:paragraph("生态项目台账中没有" .. s.year .. "年的造林项目。")
  else
    local pieces = {}
    for p in fp.eco_projects:where{ year = s.year, unit_id = s.unit.id }:order_by("id"):iter() do
      local pq = where("eco_projects", { { "year", s.year }, { "unit_id", s.unit.id }, { "name", p.name } })
      local c = F:q("afforestation." .. p.name, p.name .. "完成面积（亩）", pq .. ':sum("completed_area")')
      local pl = F:q("afforestation_planned." .. p.name, p.name .. "计划面积（亩）", pq .. ':sum("planned_area")')
      if not planned[p.name] then
        labels[#labels + 1] = p.name
        pieces[#pieces + 1] = "实施" .. p.name .. "项目，完成造林" .. num(c) .. "亩（计划" .. num(pl) .. "亩）"
      end
      planned[p.name], done[p.name] = pl, c
    end
    local total = F:q("afforestation_total", "完成造林面积合计（亩）", q .. ':sum("completed_area")')
    part:paragraph("推进重大生态工程建设，让贫困人口从生态保护与修复中得到实惠：" .. s.year .. "年" .. table.concat(pieces, "；")
      .. "，合计完成" .. num(total) .. "亩。")
    local pv, dv = {}, {}
    for i, l in ipairs(labels) do pv[i], dv[i] = planned[l], done[l] end
    charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年造林面积（按项目，亩）", labels = labels,
      series = { { name = "计划", values = pv }, { name = "完成", values = dv } } } }
  end

  local rq = where("ranger_posts", { { "year", s.year }, { "unit_id", s.unit.id } })
  local posts = F:q("ranger_posts", "护林员岗位数", rq .. ":count()")
  local wages = F:q("ranger_wages", "护林员工资合计（元）", rq .. ':sum("wage")')
  if posts == 0 then
    part:paragraph("护林员岗位台账中没有" .. s.year .. "年的岗位。")
  else
    local who, standards = {}, {}
    for p in fp.ranger_posts:where{ year = s.year, unit_id = s.unit.id }:order_by("id"):iter() do
      local m = fp.members:get(p.member_id)
      local h = m and fp.households:get(m.household_id)
      if m then who[#who + 1] = m.name .. (h and h.head_name ~= m.name and ("（" .. h.head_name .. "户）") or "") end
      if h and h.standard then standards[h.standard] = true end
    end
    local std = keys_sorted(standards)
    local target = #std == 1 and (std[1] .. "标准贫困户") or "贫困户"
    part:paragraph("提供护林员岗位" .. num(posts) .. "个，聘用" .. table.concat(who, "、") .. "，为" .. target .. "增收"
      .. wan(wages) .. "万元。")
  end
end

-- 二、三、notes ------------------------------------------------------------------------------
local function notes(sec, s, F, kind, empty)
  local q = where("notes", { { "year", s.year }, { "unit_id", s.unit.id }, { "kind", kind } })
  local n = F:q("notes." .. kind, (kind == "problem" and "存在的问题" or "下一步工作思路") .. "条数", q .. ":count()")
  local i = 0
  local of_kind = fp.notes:where{ year = s.year, unit_id = s.unit.id, kind = kind }
  for note in of_kind:order_by("position"):order_by("id"):iter() do
    i = i + 1
    sec:paragraph("（" .. words.ordinal(i) .. "）" .. note.text)
  end
  if n == 0 then sec:paragraph(empty) end
end

--- Builds the document; returns { document, figures (list with queries), values (by key) }.
---@param args fp.plugin.Report.AnnualArgs
---@param ctx fp.Ctx
---@return table result { document, figures, values }
function M.build(args, ctx)
  local year = math.tointeger(args.year)
  if not year then ctx.fail("--year must be a year such as 2019") end
  local unit = M.unit(args, ctx)
  local F = Figures.new()
  local s = scope(year, unit)
  local doc = R.document{ title = unit.name .. year .. "年度精准扶贫工作总结" }
  local charts = {}

  local one = doc:section("一、工作开展情况")
  organisation(one, s, F)
  projects(one, s, F, charts)
  ledgers(one, s, F)
  team(one, s, F)
  enterprises(one, s, F)
  ecology(one, s, F, charts)
  -- charts go at the end of the part they illustrate
  for _, c in ipairs(charts) do c[1]:chart(c[2]) end

  notes(doc:section("二、存在的问题"), s, F, "problem",
    "总结条目台账中没有" .. year .. "年登记的问题（可在 notes 中按年度和单位添加）。")

  local three = doc:section("三、下一步工作思路")
  local open = F:q("national_to_help", "仍需帮扶的国家标准贫困户数",
    where("households", { { "village_id", s.in_villages }, { "standard", "国家" },
                          { "status", { "in", { "未脱贫", "返贫" } } } }) .. ":count()")
  if open > 0 then
    three:paragraph("帮扶村尚有" .. num(open) .. "户国家标准贫困户未稳定脱贫，是下一步帮扶的重点。")
  else
    three:paragraph("帮扶村的国家标准贫困户均已脱贫，下一步重在巩固成果、防止返贫。")
  end
  notes(three, s, F, "next_step", "总结条目台账中没有" .. year .. "年登记的下一步工作思路。")

  if args.explain then
    local rows = {}
    for i, f in ipairs(F.list) do rows[i] = { i, f.label, Figures.show(f.value), f.query } end
    doc:section("附：数据来源"):paragraph("本总结中的每个数字都由下列查询从台账中算出，可在 fupin 的 REPL 中逐条复核。")
      :table{ columns = { "序号", "数字", "结果", "查询" }, rows = rows }
  end
  return { document = doc, figures = F.list, values = F.values, scope = s }
end

return M
