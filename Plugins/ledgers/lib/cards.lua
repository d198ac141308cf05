-- 户有卡、村有表、镇有册: the household contact card (帮扶联系卡), the household record card
-- (帮扶记录卡), the village plan table (帮扶联系计划表) and the town register (镇有册), built
-- as fp.report documents (Markdown, A4 HTML one card per page) or CSV rows.
local privacy = require("lib.privacy")

local M = {}
local R = fp.report
local num = R.number

local QUARTERS = { "一季度", "二季度", "三季度", "四季度" }

local function joinNonEmpty(list, sep)
  local out = {}
  for _, x in ipairs(list) do if x ~= nil and x ~= "" then out[#out + 1] = tostring(x) end end
  return table.concat(out, sep or "、")
end

-- Selection ---------------------------------------------------------------------------------

--- Households chosen by --household (id or 户编号), or all valid ones.
function M.households(args, ctx)
  local h = args.household
  if h == nil or h == "" then return fp.households:order_by("village_id"):order_by("id"):list() end
  local id = math.tointeger(tonumber(h))
  local found = (type(h) == "string" and #h > 8) and fp.households:find{ number = h } or (id and fp.households:get(id))
  if not found or found.valid == false then ctx.fail("no household " .. tostring(h) .. " (give its id or 户编号)") end
  return { found }
end

local function byIdOrName(collection, value, ctx, what)
  local id = math.tointeger(tonumber(value))
  local found = id and fp[collection]:get(id) or fp[collection]:find{ name = tostring(value) }
  if not found or found.valid == false then ctx.fail("no " .. what .. " " .. tostring(value)) end
  return found
end

function M.villages(args, ctx)
  if args.village == nil or args.village == "" then return fp.villages:order_by("town_id"):order_by("id"):list() end
  return { byIdOrName("villages", args.village, ctx, "village") }
end

function M.towns(args, ctx)
  if args.town == nil or args.town == "" then return fp.towns:order_by("id"):list() end
  return { byIdOrName("towns", args.town, ctx, "town") }
end

--- The year of plans: --year, else the latest year holding measures, else this year.
function M.year(args)
  if args.year then return math.tointeger(args.year) end
  return fp.measures:max("year") or tonumber(os.date("%Y"))
end

-- The household contact card (帮扶联系卡) ----------------------------------------------------

--- The card's facts: a list of { label, value } (masked unless unmask), members, measures.
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
    { "所在村组", joinNonEmpty({ town and town.name, village and village.name, hh.natural_village, hh.group }, " ") },
    { "家庭人口", hh.size and (num(hh.size) .. "人") or "" },
    { "识别标准", hh.standard },
    { "贫困户属性", hh.attribute },
    { "致贫原因", joinNonEmpty({ hh.cause, hh.other_cause }) },
    { "脱贫状态", hh.status },
    { "帮扶责任人", cadre and cadre.name or "（未结对）" },
    { "责任人单位及职务", joinNonEmpty({ unit and unit.name, cadre and cadre.post }, " ") },
    { "责任人电话", cadre and cadre.phone or "" },
    { "帮扶措施（" .. year .. "年）", #brief > 0 and table.concat(brief, "；") or "（未制定）" },
    { "发展意愿", hh.wants_to_develop },
    { "帮扶目标", hh.goal },
    { "特殊困难", hh.special_needs },
    { "监督电话", unit and unit.supervision_phone or "" },
  }
  return { household = hh, facts = facts, members = members, measures = measures, cadre = cadre, village = village }
end

function M.contactDocument(list, year, unmask)
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

function M.contactCSV(list, year, unmask)
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
function M.recordRows(h, year)
  local entries = {}
  local cadreName = {}
  local function cadre(id)
    if id == nil then return "" end
    if cadreName[id] == nil then
      local c = fp.cadres:get(id)
      cadreName[id] = c and c.name or ""
    end
    return cadreName[id]
  end
  local filter = { household_id = h.id }
  if year then filter.year = year end
  local visitsByDate = {}
  for v in fp.visits:where(filter):order_by("date"):order_by("id"):iter() do
    local e = { date = v.date, mode = v.mode, content = v.content or "", result = v.result or "",
                cadre = cadre(v.cadre_id), extra = {} }
    entries[#entries + 1] = e
    if not visitsByDate[v.date] then visitsByDate[v.date] = e end
  end
  for d in fp.distributions:where(filter):order_by("date"):order_by("id"):iter() do
    local what = d.item .. num(d.quantity) .. (d.unit or "") .. (d.value and ("（价值" .. num(d.value, 2) .. "元）") or "")
    local e = visitsByDate[d.date]
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

M.recordColumns = { { label = "序号", align = "right" }, "日期", "方式", "帮扶内容（物资）", "成效", "帮扶责任人" }

function M.recordDocument(list, year)
  local doc = R.document{ title = "帮扶记录卡", subtitle = year and (year .. "年") or nil }
  for i, h in ipairs(list) do
    local village = fp.villages:get(h.village_id)
    local sec = doc:section((village and village.name or "") .. " " .. h.head_name .. "户（" .. h.number .. "）")
    sec:table{ columns = M.recordColumns, rows = M.recordRows(h, year), empty = "（没有帮扶记录）" }
    if i < #list then doc:page_break() end
  end
  return doc
end

-- The village plan table (帮扶联系计划表) and the town register (镇有册) -------------------------

M.planColumns = { { label = "序号", align = "right" }, "户主", { label = "人口", align = "right" }, "贫困户属性", "致贫原因",
  "帮扶责任人", "帮扶目标", "计划措施", "进度安排", { label = "资金物资（元）", align = "right" },
  { label = "预计增收（元）", align = "right" }, "完成情况" }

--- One row per household of the village, and the totals.
function M.planRows(village, year)
  local rows = {}
  local totals = { households = 0, people = 0, measures = 0, done = 0, funds = 0, gain = 0 }
  for h in fp.households:where{ village_id = village.id }:order_by("id"):iter() do
    local cadre = fp.households:cadre(h.id)
    local measures, quarters, qseen = {}, {}, {}
    local funds, gain, done, n = 0, 0, 0, 0
    for m in fp.measures:where{ household_id = h.id, year = year }:order_by("category"):order_by("id"):iter() do
      n = n + 1
      measures[#measures + 1] = m.category .. "：" .. (m.description or "")
      if m.planned_quarter and not qseen[m.planned_quarter] then
        qseen[m.planned_quarter] = true
        quarters[#quarters + 1] = m.planned_quarter
      end
      funds = funds + (m.funds or 0)
      gain = gain + (m.expected_income_gain or 0)
      if m.done then done = done + 1 end
    end
    table.sort(quarters)
    local qtext = {}
    for i, q in ipairs(quarters) do qtext[i] = QUARTERS[q] end
    rows[#rows + 1] = { #rows + 1, h.head_name, h.size, h.attribute or "", joinNonEmpty({ h.cause, h.other_cause }),
      cadre and cadre.name or "", h.goal or "", table.concat(measures, "；"), table.concat(qtext, "、"),
      funds, gain, n == 0 and "未制定" or (done == n and "已完成" or (done .. "/" .. n .. "项完成")) }
    totals.households = totals.households + 1
    totals.people = totals.people + (h.size or 0)
    totals.measures, totals.done = totals.measures + n, totals.done + done
    totals.funds, totals.gain = totals.funds + funds, totals.gain + gain
  end
  return rows, totals
end

local function totalsRow(t, label)
  return { "", label or "合计", t.people, t.households .. "户", "", "", "", t.measures .. "项", "",
           t.funds, t.gain, t.done .. "/" .. t.measures .. "项完成" }
end

function M.planTable(sec, village, year)
  local rows, totals = M.planRows(village, year)
  sec:table{ columns = M.planColumns, rows = rows, totals = totalsRow(totals), empty = "（本村没有建档立卡户）" }
  return totals
end

function M.planDocument(villages, year)
  local doc = R.document{ title = "帮扶联系计划表", subtitle = year .. "年" }
  for i, v in ipairs(villages) do
    local town = v.town_id and fp.towns:get(v.town_id)
    local sec = doc:section(joinNonEmpty({ town and town.name, v.name }, " "))
    if v.plan then sec:paragraph("村脱贫计划：" .. v.plan) end
    M.planTable(sec, v, year)
    if i < #villages then doc:page_break() end
  end
  return doc
end

function M.planCSV(villages, year)
  local header = { "村" }
  for _, c in ipairs(M.planColumns) do header[#header + 1] = type(c) == "table" and c.label or c end
  local out = {}
  for _, v in ipairs(villages) do
    local rows, totals = M.planRows(v, year)
    for _, r in ipairs(rows) do out[#out + 1] = { v.name, table.unpack(r) } end
    out[#out + 1] = { v.name, table.unpack(totalsRow(totals)) }
  end
  return header, out
end

M.registerColumns = { "村", { label = "户数", align = "right" }, { label = "人口", align = "right" },
  { label = "措施（项）", align = "right" }, { label = "已完成（项）", align = "right" },
  { label = "资金物资（元）", align = "right" }, { label = "预计增收（元）", align = "right" } }

--- The town's summary: one row per village and the town's totals.
function M.registerRows(town, year)
  local rows, all = {}, { households = 0, people = 0, measures = 0, done = 0, funds = 0, gain = 0 }
  local villages = fp.villages:where{ town_id = town.id }:order_by("id"):list()
  for _, v in ipairs(villages) do
    local _, t = M.planRows(v, year)
    rows[#rows + 1] = { v.name, t.households, t.people, t.measures, t.done, t.funds, t.gain }
    for k, x in pairs(t) do all[k] = all[k] + x end
  end
  local totals = { "全镇合计", all.households, all.people, all.measures, all.done, all.funds, all.gain }
  return rows, totals, villages, all
end

function M.registerDocument(towns, year)
  local doc = R.document{ title = "镇有册：帮扶联系计划汇编", subtitle = year .. "年" }
  for i, town in ipairs(towns) do
    local rows, totals, villages = M.registerRows(town, year)
    local sec = doc:section(joinNonEmpty({ town.district, town.name }, " ") .. "帮扶册")
    sec:table{ caption = "全镇汇总", columns = M.registerColumns, rows = rows, totals = totals, empty = "（本镇没有帮扶村）" }
    for _, v in ipairs(villages) do
      doc:page_break()
      local vs = doc:section(town.name .. " " .. v.name .. "帮扶联系计划表")
      if v.plan then vs:paragraph("村脱贫计划：" .. v.plan) end
      M.planTable(vs, v, year)
    end
    if i < #towns then doc:page_break() end
  end
  return doc
end

function M.registerCSV(towns, year)
  local header = { "乡镇" }
  for _, c in ipairs(M.registerColumns) do header[#header + 1] = type(c) == "table" and c.label or c end
  local out = {}
  for _, town in ipairs(towns) do
    local rows, totals = M.registerRows(town, year)
    for _, r in ipairs(rows) do out[#out + 1] = { town.name, table.unpack(r) } end
    out[#out + 1] = { town.name, table.unpack(totals) }
  end
  return header, out
end

return M
