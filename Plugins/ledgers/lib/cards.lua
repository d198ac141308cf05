-- 户有卡、村有表、镇有册: the household contact card (帮扶联系卡), the household record card
-- (帮扶记录卡), the village plan table (帮扶联系计划表) and the town register (镇有册), built
-- as fp.report documents (Markdown, A4 HTML one card per page) or CSV rows.
local privacy = require("lib.privacy")

local M = {}
local R = fp.report
local num = R.number

local QUARTERS = { "一季度", "二季度", "三季度", "四季度" }

local function join_non_empty(list, sep)
  local out = {}
  for _, x in ipairs(list) do if x ~= nil and x ~= "" then out[#out + 1] = tostring(x) end end
  return table.concat(out, sep or "、")
end

-- Selection ---------------------------------------------------------------------------------

--- Households chosen by --household (id or 户编号), or all valid ones.
---@param args fp.plugin.Ledgers.CardArgs|fp.plugin.Ledgers.RecordCardArgs
---@param ctx fp.Ctx
---@return fp.HouseholdsRecord[]
function M.households(args, ctx)
  local h = args.household
  if h == nil or h == "" then return fp.households:order_by("village_id"):order_by("id"):list() end
  local id = math.tointeger(tonumber(h))
  local found = (type(h) == "string" and #h > 8) and fp.households:find{ number = h } or (id and fp.households:get(id))
  if not found or found.valid == false then ctx.fail("no household " .. tostring(h) .. " (give its id or 户编号)") end
  return { found }
end

local function by_id_or_name(collection, value, ctx, what)
  local id = math.tointeger(tonumber(value))
  local found = id and fp[collection]:get(id) or fp[collection]:find{ name = tostring(value) }
  if not found or found.valid == false then ctx.fail("no " .. what .. " " .. tostring(value)) end
  return found
end

--- Villages chosen by --village (id or name), or all.
---@param args fp.plugin.Ledgers.PlanArgs
---@param ctx fp.Ctx
---@return fp.VillagesRecord[]
function M.villages(args, ctx)
  if args.village == nil or args.village == "" then return fp.villages:order_by("town_id"):order_by("id"):list() end
  return { by_id_or_name("villages", args.village, ctx, "village") }
end

--- Towns chosen by --town (id or name), or all.
---@param args fp.plugin.Ledgers.RegisterArgs
---@param ctx fp.Ctx
---@return fp.TownsRecord[]
function M.towns(args, ctx)
  if args.town == nil or args.town == "" then return fp.towns:order_by("id"):list() end
  return { by_id_or_name("towns", args.town, ctx, "town") }
end

--- The year of plans: --year, else the latest year holding measures, else the year of today.
---@param args table the command's arguments (`year`)
---@param ctx fp.Ctx? the command's ctx (its today: the day of --as-of when given)
---@return integer
function M.year(args, ctx)
  if args.year then return math.tointeger(args.year) end
  return fp.measures:max("year") or tonumber(((ctx and ctx.today) or os.date("%Y")):sub(1, 4))
end

-- The household contact card (帮扶联系卡) ----------------------------------------------------

--- The card's facts: a list of { label, value } (masked unless unmask), members, measures.
---@param h fp.HouseholdsRecord
---@param year integer the year of the measures
---@param unmask boolean? show personal data in full
---@return table card { household, facts, members, measures, cadre, village }
function M.contact(h, year, unmask)
  local hh = privacy.record("households", h, unmask)
  local village = fp.villages:get(h.village_id)
  local town = village and village.town_id and fp.towns:get(village.town_id)
  local pairing = fp.pairings:where{ household_id = h.id }:order_by("start_date", "desc"):first()
  local cadre = pairing and privacy.record("cadres", fp.cadres:get(pairing.cadre_id), unmask)
  local unit = cadre and cadre.unit_id and fp.units:get(cadre.unit_id)
  local measures, brief = {}, {}
  for m in fp.measures:where{ household_id = h.id, year = year }:order_by("category"):order_by("id"):iter() do
    measures[#measures + 1] = m
    brief[#brief + 1] = m.category .. "：" .. (m.description or "")
  end
  local members = {}
  for _, m in ipairs(fp.households:members(h.id)) do members[#members + 1] = privacy.record("members", m, unmask) end
  local facts = {
    { "户编号", hh.number },
    { "户主姓名", hh.head_name },
    { "户主证件号码", hh.head_id_number },
    { "联系电话", hh.phone },
    { "所在村组", join_non_empty({ town and town.name, village and village.name, hh.natural_village, hh.group }, " ") },
    { "家庭人口", hh.size and (num(hh.size) .. "人") or "" },
    { "识别标准", hh.standard },
    { "贫困户属性", hh.attribute },
    { "致贫原因", join_non_empty({ hh.cause, hh.other_cause }) },
    { "脱贫状态", hh.status },
    { "帮扶责任人", cadre and cadre.name or "（未结对）" },
    { "责任人单位及职务", join_non_empty({ unit and unit.name, cadre and cadre.post }, " ") },
    { "责任人电话", cadre and cadre.phone or "" },
    { "帮扶措施（" .. year .. "年）", #brief > 0 and table.concat(brief, "；") or "（未制定）" },
    { "发展意愿", hh.wants_to_develop },
    { "帮扶目标", hh.goal },
    { "特殊困难", hh.special_needs },
    { "监督电话", unit and unit.supervision_phone or "" },
  }
  return { household = hh, facts = facts, members = members, measures = measures, cadre = cadre, village = village }
end

--- The contact cards of `list`, one section (an A4 page in HTML) each.
---@param list fp.HouseholdsRecord[]
---@param year integer
---@param unmask boolean?
---@return fp.report.Document
function M.contact_document(list, year, unmask)
  local doc = R.document{ title = "帮扶联系卡", subtitle = year .. "年" }
  for i, h in ipairs(list) do
    local c = M.contact(h, year, unmask)
    local title = (c.village and c.village.name or "") .. " " .. c.household.head_name
      .. "户（" .. c.household.number .. "）"
    local sec = doc:section(title)
    local rows = {}
    for j, f in ipairs(c.facts) do rows[j] = { f[1], f[2] or "" } end
    sec:table{ columns = { "项目", "内容" }, rows = rows }
    local mrows = {}
    for j, m in ipairs(c.members) do
      mrows[j] = { m.name, m.relation, m.sex, m.id_number, m.education, m.health, m.labour }
    end
    sec:table{ caption = "家庭成员", columns = { "姓名", "与户主关系", "性别", "证件号码", "文化程度", "健康状况", "劳动技能" },
               rows = mrows, empty = "（无成员记录）" }
    if i < #list then doc:page_break() end
  end
  return doc
end

--- The contact cards of `list` as CSV: one row of facts per household.
---@param list fp.HouseholdsRecord[]
---@param year integer
---@param unmask boolean?
---@return string[] header
---@return table[] rows
function M.contact_csv(list, year, unmask)
  local header, rows = nil, {}
  for _, h in ipairs(list) do
    local c = M.contact(h, year, unmask)
    if not header then
      header = {}
      for j, f in ipairs(c.facts) do header[j] = f[1] end
    end
    local row = {}
    for j, f in ipairs(c.facts) do row[j] = f[2] or "" end
    rows[#rows + 1] = row
  end
  return header or { "户编号" }, rows
end

-- The household record card (帮扶记录卡) -----------------------------------------------------

--- Numbered rows in date order: visits (with the material of the same day), material handed
--- out on other days, trainings attended, and measures carried out (dated by quarter).
---@param h fp.HouseholdsRecord
---@param year integer? nil: every year
---@return table[] rows
function M.record_rows(h, year)
  local entries = {}
  local cadre_name = {}
  local function cadre(id)
    if id == nil then return "" end
    if cadre_name[id] == nil then
      local c = fp.cadres:get(id)
      cadre_name[id] = c and c.name or ""
    end
    return cadre_name[id]
  end
  local filter = { household_id = h.id }
  if year then filter.year = year end
  local visits_by_date = {}
  for v in fp.visits:where(filter):order_by("date"):order_by("id"):iter() do
    local e = { date = v.date, mode = v.mode, content = v.content or "", result = v.result or "",
                cadre = cadre(v.cadre_id), extra = {} }
    entries[#entries + 1] = e
    if not visits_by_date[v.date] then visits_by_date[v.date] = e end
  end
  for d in fp.distributions:where(filter):order_by("date"):order_by("id"):iter() do
    local what = d.item .. num(d.quantity) .. (d.unit or "") .. (d.value and ("（价值" .. num(d.value, 2) .. "元）") or "")
    local e = visits_by_date[d.date]
    if e then
      e.extra[#e.extra + 1] = what
    else
      entries[#entries + 1] = { date = d.date, mode = "物资发放", content = "发放" .. what, result = d.note or "",
                                cadre = cadre(d.cadre_id), extra = {} }
    end
  end
  for a in fp.training_attendees:where{ household_id = h.id }:iter() do
    local t = fp.trainings:get(a.training_id)
    if t and t.valid ~= false and (not year or t.date:sub(1, 4) == tostring(year)) then
      local who = a.member_id and fp.members:get(a.member_id)
      entries[#entries + 1] = { date = t.date, mode = "培训", content = (t.topic or "") .. "培训（" .. (t.mode or "") .. "）"
        .. (who and ("，" .. who.name .. "参加") or ""), result = "", cadre = t.trainer or "", extra = {} }
    end
  end
  local mfilter = { household_id = h.id, done = true }
  if year then mfilter.year = year end
  for m in fp.measures:where(mfilter):order_by("year"):order_by("planned_quarter"):order_by("id"):iter() do
    local q = m.planned_quarter or 4
    entries[#entries + 1] = {
      date = string.format("%d-%02d-01", m.year, (q - 1) * 3 + 1), shown = m.year .. "年" .. QUARTERS[q],
      mode = "措施落实", content = m.category .. "：" .. (m.description or ""), result = "已完成", cadre = "", extra = {} }
  end
  table.sort(entries, function(a, b)
    if a.date ~= b.date then return a.date < b.date end
    return (a.shown and 1 or 0) < (b.shown and 1 or 0)
  end)
  local rows = {}
  for i, e in ipairs(entries) do
    local content = e.content
    if #e.extra > 0 then content = content .. "（物资：" .. table.concat(e.extra, "、") .. "）" end
    rows[i] = { i, e.shown or e.date, e.mode, content, e.result, e.cadre }
  end
  return rows
end

M.record_columns = { { label = "序号", align = "right" }, "日期", "方式", "帮扶内容（物资）", "成效", "帮扶责任人" }

--- The record cards of `list`, one section (an A4 page in HTML) each.
---@param list fp.HouseholdsRecord[]
---@param year integer? nil: every year
---@return fp.report.Document
function M.record_document(list, year)
  local doc = R.document{ title = "帮扶记录卡", subtitle = year and (year .. "年") or nil }
  for i, h in ipairs(list) do
    local village = fp.villages:get(h.village_id)
    local sec = doc:section((village and village.name or "") .. " " .. h.head_name .. "户（" .. h.number .. "）")
    sec:table{ columns = M.record_columns, rows = M.record_rows(h, year), empty = "（没有帮扶记录）" }
    if i < #list then doc:page_break() end
  end
  return doc
end

-- The village plan table (帮扶联系计划表) and the town register (镇有册) -------------------------

M.plan_columns = { { label = "序号", align = "right" }, "户主", { label = "人口", align = "right" }, "贫困户属性", "致贫原因",
  "帮扶责任人", "帮扶目标", "计划措施", "进度安排", { label = "物资价值（元）", align = "right" },
  { label = "预计增收（元）", align = "right" }, "完成情况" }

--- One row per household of the village, and the totals.
---@param village fp.VillagesRecord
---@param year integer
---@return table[] rows
---@return table totals
function M.plan_rows(village, year)
  local rows = {}
  local totals = { households = 0, people = 0, measures = 0, done = 0, funds = 0, gain = 0 }
  -- 资金物资 is the value of the material handed to the household, as the summary counts it
  -- (report plugin's definition): a measure's planned funds or a ranger's wage are not.
  local material = require("report").material_value(year, { village.id }).per_household
  for h in fp.households:where{ village_id = village.id }:order_by("id"):iter() do
    local cadre = fp.households:cadre(h.id)
    local measures, quarters, qseen = {}, {}, {}
    local funds
    local gain, done, n = 0, 0, 0
    for m in fp.measures:where{ household_id = h.id, year = year }:order_by("category"):order_by("id"):iter() do
      n = n + 1
      measures[#measures + 1] = m.category .. "：" .. (m.description or "")
      if m.planned_quarter and not qseen[m.planned_quarter] then
        qseen[m.planned_quarter] = true
        quarters[#quarters + 1] = m.planned_quarter
      end
      gain = gain + (m.expected_income_gain or 0)
      if m.done then done = done + 1 end
    end
    local fen = material[h.id] or 0
    funds = fen % 100 == 0 and fen // 100 or fen / 100
    table.sort(quarters)
    local qtext = {}
    for i, q in ipairs(quarters) do qtext[i] = QUARTERS[q] end
    rows[#rows + 1] = { #rows + 1, h.head_name, h.size, h.attribute or "", join_non_empty({ h.cause, h.other_cause }),
      cadre and cadre.name or "", h.goal or "", table.concat(measures, "；"), table.concat(qtext, "、"),
      funds, gain, n == 0 and "未制定" or (done == n and "已完成" or (done .. "/" .. n .. "项完成")) }
    totals.households = totals.households + 1
    totals.people = totals.people + (h.size or 0)
    totals.measures, totals.done = totals.measures + n, totals.done + done
    totals.funds, totals.gain = totals.funds + funds, totals.gain + gain
  end
  return rows, totals
end

local function totals_row(t, label)
  return { "", label or "合计", t.people, t.households .. "户", "", "", "", t.measures .. "项", "",
           t.funds, t.gain, t.done .. "/" .. t.measures .. "项完成" }
end

--- Adds a village's plan table to `sec`.
---@param sec fp.report.Section
---@param village fp.VillagesRecord
---@param year integer
---@return table totals
function M.plan_table(sec, village, year)
  local rows, totals = M.plan_rows(village, year)
  sec:table{ columns = M.plan_columns, rows = rows, totals = totals_row(totals), empty = "（本村没有建档立卡户）" }
  return totals
end

--- The plan tables of `villages`, one section each.
---@param villages fp.VillagesRecord[]
---@param year integer
---@return fp.report.Document
function M.plan_document(villages, year)
  local doc = R.document{ title = "帮扶联系计划表", subtitle = year .. "年" }
  for i, v in ipairs(villages) do
    local town = v.town_id and fp.towns:get(v.town_id)
    local sec = doc:section(join_non_empty({ town and town.name, v.name }, " "))
    if v.plan then sec:paragraph("村脱贫计划：" .. v.plan) end
    M.plan_table(sec, v, year)
    if i < #villages then doc:page_break() end
  end
  return doc
end

--- The plan tables of `villages` as CSV, each followed by its totals.
---@param villages fp.VillagesRecord[]
---@param year integer
---@return string[] header
---@return table[] rows
function M.plan_csv(villages, year)
  local header = { "村" }
  for _, c in ipairs(M.plan_columns) do header[#header + 1] = type(c) == "table" and c.label or c end
  local out = {}
  for _, v in ipairs(villages) do
    local rows, totals = M.plan_rows(v, year)
    for _, r in ipairs(rows) do out[#out + 1] = { v.name, table.unpack(r) } end
    out[#out + 1] = { v.name, table.unpack(totals_row(totals)) }
  end
  return header, out
end

M.register_columns = { "村", { label = "户数", align = "right" }, { label = "人口", align = "right" },
  { label = "措施（项）", align = "right" }, { label = "已完成（项）", align = "right" },
  { label = "物资价值（元）", align = "right" }, { label = "预计增收（元）", align = "right" } }

--- The town's summary: one row per village and the town's totals.
---@param town fp.TownsRecord
---@param year integer
---@return table[] rows one per village
---@return table totals
---@return fp.VillagesRecord[] villages
---@return table all
function M.register_rows(town, year)
  local rows, all = {}, { households = 0, people = 0, measures = 0, done = 0, funds = 0, gain = 0 }
  local villages = fp.villages:where{ town_id = town.id }:order_by("id"):list()
  for _, v in ipairs(villages) do
    local _, t = M.plan_rows(v, year)
    rows[#rows + 1] = { v.name, t.households, t.people, t.measures, t.done, t.funds, t.gain }
    for k, x in pairs(t) do all[k] = all[k] + x end
  end
  local totals = { "全镇合计", all.households, all.people, all.measures, all.done, all.funds, all.gain }
  return rows, totals, villages, all
end

--- The register of each town: its village summary, then every village's plan table.
---@param towns fp.TownsRecord[]
---@param year integer
---@return fp.report.Document
function M.register_document(towns, year)
  local doc = R.document{ title = "镇有册：帮扶联系计划汇编", subtitle = year .. "年" }
  for i, town in ipairs(towns) do
    local rows, totals, villages = M.register_rows(town, year)
    local sec = doc:section(join_non_empty({ town.district, town.name }, " ") .. "帮扶册")
    sec:table{ caption = "全镇汇总", columns = M.register_columns, rows = rows, totals = totals, empty = "（本镇没有帮扶村）" }
    for _, v in ipairs(villages) do
      doc:page_break()
      local vs = doc:section(town.name .. " " .. v.name .. "帮扶联系计划表")
      if v.plan then vs:paragraph("村脱贫计划：" .. v.plan) end
      M.plan_table(vs, v, year)
    end
    if i < #towns then doc:page_break() end
  end
  return doc
end

--- The registers of `towns` as CSV: one row per village and the town's totals.
---@param towns fp.TownsRecord[]
---@param year integer
---@return string[] header
---@return table[] rows
function M.register_csv(towns, year)
  local header = { "乡镇" }
  for _, c in ipairs(M.register_columns) do header[#header + 1] = type(c) == "table" and c.label or c end
  local out = {}
  for _, town in ipairs(towns) do
    local rows, totals = M.register_rows(town, year)
    for _, r in ipairs(rows) do out[#out + 1] = { town.name, table.unpack(r) } end
    out[#out + 1] = { town.name, table.unpack(totals) }
  end
  return header, out
end

return M
