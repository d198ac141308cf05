-- 一、工作开展情况 (四)–(六): the work team and its gifts, enterprise partnerships, ecological
-- work. Each paragraph is a phrase of lib/phrases filled with figures of lib/figures.
local Phrases = require("lib.phrases")
local U = require("lib.util")
local words = require("lib.words")

local M = {}
local num = fp.report.number
local where, keys_sorted = U.where, U.keys_sorted

-- (四) the work team, material spread over many households, and named gifts
function M.team(sec, s)
  local F = s.F
  local part = sec:section(s.say("team.heading"))
  local year_start = s.year .. "-01-01"
  local tq = where("teams", { { "unit_id", s.unit.id }, { "start_date", { "<=", s.year_end } } })
  F:q("teams", "驻村工作队数", tq .. ":count()")
  local in_team, any = {}, false
  local rules = s.documents("驻村", false)
  local rule_titles = {}
  for _, d in ipairs(rules) do rule_titles[#rule_titles + 1] = "《" .. d.title .. "》" end
  for t in fp.teams:where{ unit_id = s.unit.id, start_date = { "<=", s.year_end } }:order_by("id"):iter() do
    if t.end_date == nil or t.end_date >= year_start then
      any = true
      local members = F:q("team_members." .. t.id, (t.name or "工作队") .. "成员人数",
        where("team_members", { { "team_id", t.id } }) .. ":count()")
      local leader
      for m in fp.team_members:where{ team_id = t.id }:iter() do
        in_team[m.cadre_id] = true
        if m.role == "队长" then leader = fp.cadres:get(m.cadre_id) end
      end
      part:paragraph(s.say("team.lead", { team = s.full_name(t.name) or (s.unit_name .. "驻村工作队"), members = members,
        since = t.start_date and ("自" .. words.date(t.start_date) .. "起") or "",
        rules = #rule_titles > 0 and table.concat(rule_titles, "和") or "上级驻村工作要求",
        leader_note = leader and ("，由" .. leader.name .. "任队长") or "" }))
    end
  end
  if not any then part:paragraph(s.say("team.none")) end
  M.gifts(part, s, in_team)
end

-- Material that reached many households: the per-household range; the rest: named gifts,
-- each credited to whoever handed it over (the work team or the paired cadres).
function M.gifts(part, s, in_team)
  local F = s.F
  local limit = words.named_gift_limit
  local by_giver, givers = {}, {}
  for _, it in ipairs(s.items or {}) do
    local q = where("distributions",
      { { "year", s.year }, { "household_id.village_id", s.in_villages }, { "item", it.name } })
    local per = F:known("per_household." .. it.name, "每户" .. it.name .. "数量（" .. it.unit .. "）", it.per_household,
      q .. ':group_by("household_id"):sum("quantity")')
    local households, lo, hi = 0, nil, nil
    for _, qty in pairs(per) do
      households = households + 1
      lo = (lo == nil or qty < lo) and qty or lo
      hi = (hi == nil or qty > hi) and qty or hi
    end
    if households > limit then
      part:paragraph(s.say("team.spread", { households_n = households, verb = words.verb(it.unit, true), item = it.name,
        range = lo == hi and (num(lo) .. it.unit) or (num(lo) .. "—" .. num(hi) .. it.unit .. "不等") }))
    elseif households > 0 then
      local team_only = true
      for _, c in ipairs(it.cadres) do if not (c and in_team[c]) then team_only = false end end
      local giver = team_only and "驻村工作队" or "联系各帮扶责任人"
      if not by_giver[giver] then by_giver[giver] = {}; givers[#givers + 1] = giver end
      table.insert(by_giver[giver], M.gift(s, it, per))
    end
  end
  if #givers > 0 then
    local parts = {}
    for i, g in ipairs(givers) do parts[i] = g .. table.concat(by_giver[g], "，") end
    part:paragraph(s.say("team.gifts", { gifts = table.concat(parts, "；") }))
  elseif #(s.items or {}) == 0 then
    part:paragraph(s.say("team.no_material"))
  end
end

-- "给郝九为、杨来才各送去雏鸡30只" / "…分别送去…30只、10只", with a household's special needs
-- told once and the item's purpose after it.
function M.gift(s, it, per)
  local ids = keys_sorted(per)
  table.sort(ids)
  local who, qtys, same = {}, {}, true
  for i, id in ipairs(ids) do
    local h = s.registered[id]
    local name = h and h.head_name or ("#" .. id)
    s.needs_told = s.needs_told or {}
    if h and h.special_needs and not s.needs_told[id] then
      s.needs_told[id] = true
      name = name .. "（" .. h.special_needs .. "）"
    end
    who[i], qtys[i] = name, num(per[id]) .. it.unit
    if per[id] ~= per[ids[1]] then same = false end
  end
  local verb, to = words.verb(it.unit, false)
  local text
  if same then
    text = to .. table.concat(who, "、") .. (#who > 1 and "各" or "") .. verb .. it.name .. qtys[1]
  else
    text = to .. table.concat(who, "、") .. "分别" .. verb .. it.name .. table.concat(qtys, "、")
  end
  local purpose = Phrases.gift_purposes[it.name]
  return purpose and (text .. "，" .. purpose) or text
end

-- The partnerships of the year, each with its status on the last day of the year (from its
-- dated progress log) — projects not started by then are left out.
local function partnerships_of_year(s)
  local list = {}
  for p in fp.partnerships:where{ village_id = s.in_villages }:order_by("id"):iter() do
    local status, logged = nil, false
    if fp.partnership_progress then
      for e in fp.partnership_progress:where{ partnership_id = p.id }:order_by("date"):order_by("id"):iter() do
        logged = true
        if e.date <= s.year_end and e.status then status = e.status end
      end
    end
    if not logged and (p.start_date == nil or p.start_date <= s.year_end) then status = p.status end
    local started = p.start_date == nil or p.start_date <= s.year_end
    if started and status then list[#list + 1] = { record = p, status = status } end
  end
  return list
end

-- (五) enterprise partnerships (a ledger of another plugin)
function M.enterprises(sec, s)
  local F = s.F
  local part = sec:section(s.say("enterprises.heading"))
  if not fp.partnerships then
    part:paragraph(s.say("enterprises.no_plugin"))
    return
  end
  local list = partnerships_of_year(s)
  local by_status, ids = {}, {}
  for i, p in ipairs(list) do
    by_status[p.status] = (by_status[p.status] or 0) + 1
    ids[i] = p.record.id
  end
  local q = where("partnerships", { { "id", { "in", ids } } })
  local n = F:known("partnerships", "年底已启动的企业帮扶项目数", #list, q .. ":count()")
  F:known("partnerships_by_status", "年底按状态企业帮扶项目数（据进展记录）", by_status,
    "(function() local t = {} for p in " .. q .. ":iter() do local s = nil for e in fp.partnership_progress:where{ "
      .. "partnership_id = p.id, date = { \"<=\", \"" .. s.year_end .. "\" } }"
      .. ":order_by(\"date\"):order_by(\"id\"):iter() do "
      .. "s = e.status or s end s = s or p.status t[s] = (t[s] or 0) + 1 end return t end)()")
  if n == 0 then
    part:paragraph(s.say("enterprises.none"))
    return
  end
  local items = {}
  for i, p in ipairs(list) do
    local r = p.record
    local text = words.ordinal(i) .. "是" .. tostring(r.project or "（未填写项目）")
    if r.purpose then text = text .. "，" .. r.purpose end
    items[i] = text .. "（" .. (Phrases.status_words[p.status] or p.status) .. "）。"
  end
  local states = {}
  for _, k in ipairs(keys_sorted(by_status, true)) do states[#states + 1] = tostring(k) .. num(by_status[k]) .. "个" end
  part:paragraph(s.say("enterprises.lead", { partnership_states = table.concat(states, "、"),
    items = table.concat(items) }))
end

-- (六) ecological work
function M.ecology(sec, s, charts)
  local F = s.F
  local part = sec:section(s.say("ecology.heading"))
  local docs = s.documents("生态", true)
  if #docs > 0 then
    local titles, content = {}, nil
    for i, d in ipairs(docs) do
      titles[i] = "《" .. d.title .. "》"
      content = content or d.content
    end
    part:paragraph(s.say("ecology.documents", { documents = table.concat(titles, "和"),
      content = content or "推进生态扶贫工作" }))
  end
  local q = where("eco_projects", { { "year", s.year }, { "unit_id", s.unit.id } })
  local n = F:q("eco_projects", "生态项目数", q .. ":count()")
  if n == 0 then
    part:paragraph(s.say("ecology.none"))
  else
    local labels, planned, done, pieces = {}, {}, {}, {}
    for p in fp.eco_projects:where{ year = s.year, unit_id = s.unit.id }:order_by("id"):iter() do
      local pq = where("eco_projects", { { "year", s.year }, { "unit_id", s.unit.id }, { "name", p.name } })
      local c = F:q("afforestation." .. p.name, p.name .. "完成面积（亩）", pq .. ':sum("completed_area")')
      local pl = F:q("afforestation_planned." .. p.name, p.name .. "计划面积（亩）", pq .. ':sum("planned_area")')
      if not planned[p.name] then
        labels[#labels + 1] = p.name
        pieces[#pieces + 1] = p.name .. "项目，完成造林" .. num(c) .. "亩（计划" .. num(pl) .. "亩）"
      end
      planned[p.name], done[p.name] = pl, c
    end
    F:q("afforestation_total", "完成造林面积合计（亩）", q .. ':sum("completed_area")')
    part:paragraph(s.say("ecology.projects", { project_list = table.concat(pieces, "；") }))
    local pv, dv = {}, {}
    for i, l in ipairs(labels) do pv[i], dv[i] = planned[l], done[l] end
    charts[#charts + 1] = { part, { kind = "bar", title = s.year .. "年造林面积（按项目，亩）", labels = labels,
      series = { { name = "计划", values = pv }, { name = "完成", values = dv } } } }
  end
  local rq = where("ranger_posts", { { "year", s.year }, { "unit_id", s.unit.id } })
  local posts = F:q("ranger_posts", "护林员岗位数", rq .. ":count()")
  F:q("ranger_wages", "护林员工资合计（元）", rq .. ':sum("wage")')
  if posts == 0 then
    part:paragraph(s.say("ecology.no_rangers"))
    return
  end
  local who, standards = {}, {}
  for p in fp.ranger_posts:where{ year = s.year, unit_id = s.unit.id }:order_by("id"):iter() do
    local m = fp.members:get(p.member_id)
    local h = m and fp.households:get(m.household_id)
    if m then who[#who + 1] = m.name .. (h and h.head_name ~= m.name and ("，" .. h.head_name .. "户") or "") end
    if h and h.standard then standards[h.standard] = true end
  end
  local std = keys_sorted(standards)
  part:paragraph(s.say("ecology.rangers", { ranger_names = "聘用" .. table.concat(who, "；"),
    ranger_target = #std == 1 and (std[1] .. "标准贫困户") or "贫困户" }))
end

return M
