-- The annual work summary: the sections of the seed document. Every paragraph is a phrase of
-- lib/phrases (which the workspace may override) filled with figures computed through
-- lib/figures (so --explain shows the query), each sentence saying so when its ledger holds
-- nothing rather than inventing a number. Dated facts are read as of 31 December of the year.
local Figures = require("lib.figures")
local Phrases = require("lib.phrases")
local U = require("lib.util")
local one = require("lib.part_one")
local two = require("lib.part_two")
local words = require("lib.words")

local M = {}
local where = U.where

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

-- The unit's name as it heads a document: "区林业局" of 东胜区 is "东胜区林业局".
local function full_name(unit, district)
  local name = unit.name
  if district and name:sub(1, #"区") == "区" and name:sub(1, #district) ~= district then
    return district .. name:sub(#"区" + 1)
  end
  return name
end

-- The unit's own word for itself (局, 委 …): 全局, 我局, 局领导; else 单位.
local function self_word(name)
  local last = name:match("([\xE4-\xEF][\x80-\xBF][\x80-\xBF])$")
  for _, w in ipairs(words.unit_words) do if last == w then return w end end
  return "单位"
end

-- The scope: the unit, its villages, their households registered by the end of the year.
local function scope(year, unit)
  -- households: the list; registered: the same households by id (kept apart: ids in one
  -- table with the list would lengthen the list by any id just past its end)
  local s = { year = year, year_end = year .. "-12-31", unit = unit, villages = {}, vids = {}, households = {},
              registered = {} }
  for v in fp.villages:where{ unit_id = unit.id }:order_by("id"):iter() do
    s.villages[#s.villages + 1] = v
    s.vids[#s.vids + 1] = v.id
  end
  -- every valid household of the villages, registered by then or not (the appendices and
  -- the year-end statuses count them), and those registered by the end of the year
  s.village_households = {}
  for h in fp.households:where{ village_id = { "in", s.vids } }:order_by("id"):iter() do
    s.village_households[#s.village_households + 1] = h
    if h.year_identified == nil or h.year_identified <= year then
      s.households[#s.households + 1] = h
      s.registered[h.id] = h
    end
  end
  -- records of the unit's households are found through their village (household_id.village_id)
  s.in_villages = { "in", s.vids }
  return s
end

-- The year-end status rule of the monitoring plugin's status_at, written out as Lua for the
-- --explain queries (which must run in the REPL, where plugins' exports are not at hand); the
-- spec runs every query again, so the two cannot drift apart unnoticed.
local function status_rule(year)
  return "(function(h) if (h.year_identified or 0) > " .. year .. " then return nil end "
    .. "local st, first for c in fp.status_changes:where{ household_id = h.id }:order_by(\"date\"):order_by(\"id\")"
    .. ":iter() do first = first or c if c.date <= \"" .. year .. "-12-31\" then st = c.status end end "
    .. "st = st or (first and first.from_status) if st then return st end "
    .. "if (h.status == \"已脱贫（享受政策）\" or h.status == \"已脱贫（不再享受政策）\") and (h.year_exited or 0) > "
    .. year .. " then return \"未脱贫\" end return h.status end)(h)"
end

-- A household's status at the end of `year` by the monitoring plugin's rule: every household's
-- at once when the plugin offers statuses_at (one call to it, not one a household), else
-- status_at a household at a time.
--- `ids` (the villages' households) limits the one call to them: the whole workspace's
--- statuses would not fit in one answer at province scale; any other household is asked alone.
--- `years` (a list) asks for several years in one call and returns a reader per year, by year.
function M.status_reader(mon, year, ids, years)
  if years then
    local by_year, statuses = {}, mon.statuses_at and mon.statuses_at(years, ids)
    for _, y in ipairs(years) do
      by_year[y] = M.year_reader(mon, y, ids, statuses and statuses[y])
    end
    return by_year
  end
  return M.year_reader(mon, year, ids)
end

-- The reader of one year; `statuses` when already asked for (with others in one call).
function M.year_reader(mon, year, ids, statuses)
  if mon.statuses_at then
    local asked
    statuses = statuses or mon.statuses_at(year, ids)
    if ids then
      asked = {}
      for _, id in ipairs(ids) do asked[id] = true end
    end
    return function(h)
      if asked and not asked[h.id] then return mon.status_at(h, year) end
      return statuses[h.id]
    end
  end
  return function(h) return mon.status_at(h, year) end
end

-- Status on the last day of the year and the monitoring scan, from the monitoring plugin
-- (the one definition both documents use); without it, the status as recorded.
local function monitoring(s)
  local ok, mon = pcall(require, "monitoring")
  local filter = U.filter({ { "village_id", s.in_villages } })
  if ok and type(mon) == "table" and mon.status_at then
    s.village_household_ids = {}
    for i, h in ipairs(s.village_households) do s.village_household_ids[i] = h.id end
    -- this year's statuses and last year's (附件1) in one call
    s.status_readers = M.status_reader(mon, nil, s.village_household_ids, { s.year - 1, s.year })
    s.status_at = s.status_readers[s.year]
    s.status_expr = status_rule(s.year)
    s.status_query = "(function() local t = {} for h in fp.households:where" .. filter
      .. ":iter() do local st = " .. s.status_expr .. " if st then t[st] = (t[st] or 0) + 1 end end "
      .. "return t end)()"
    -- The scan of the unit's villages only, without its idle-cadre pass (the summary reads
    -- neither the rest of the workspace nor the cadres).
    local n = 0
    -- only the suggested findings come back (the answer crosses from monitoring's worker)
    local findings = mon.scan{ year = s.year, villages = s.vids, cadres = false, suggested_only = true }
    for _, f in ipairs(findings.households) do
      if f.suggested and s.registered[f.household.id] then n = n + 1 end
    end
    s.monitoring_suggested = n
    s.monitoring_query = "(function() local vs, n = {}, 0 for _, id in ipairs(" .. Figures.lit(s.vids)
      .. ") do vs[id] = true end for _, f in ipairs(require(\"monitoring\").scan{ year = " .. s.year
      .. ", villages = " .. Figures.lit(s.vids) .. ", cadres = false }.households) do local h = f.household "
      .. "if f.suggested and vs[h.village_id] and (h.year_identified or 0) <= "
      .. s.year .. " then n = n + 1 end end return n end)()"
  else
    s.status_at = function(h) return h.status end
    s.status_expr = "h.status"
    s.status_query = "fp.households:where" .. filter .. ':group_by("status"):count()'
  end
end

-- The documents register: documents of a topic, dated in the year (in_year) or by its end.
local function documents(s)
  return function(topic, in_year)
    local list = {}
    if not fp.documents then return list end
    for d in fp.documents:where{ topic = topic }:order_by("date"):order_by("id"):iter() do
      local dated = d.date == nil or d.date <= s.year_end
      local this_year = d.date ~= nil and d.date:sub(1, 4) == tostring(s.year)
      local ours = d.unit_id == nil or d.unit_id == s.unit.id
      if ours and dated and (this_year or not in_year) then list[#list + 1] = d end
    end
    return list
  end
end

-- 二、三、notes (their text may name figures in braces, like the phrases)
local function notes(sec, s, kind, empty_key)
  local q = where("notes", { { "year", s.year }, { "unit_id", s.unit.id }, { "kind", kind } })
  local n = s.F:q("notes." .. kind, (kind == "problem" and "存在的问题" or "下一步工作思路") .. "条数", q .. ":count()")
  local i = 0
  local of_kind = fp.notes:where{ year = s.year, unit_id = s.unit.id, kind = kind }
  for note in of_kind:order_by("position"):order_by("id"):iter() do
    i = i + 1
    local text = Phrases.fill({ note = note.text }, "note", s.words, s.F.values)
    sec:paragraph("（" .. words.ordinal(i) .. "）" .. text)
  end
  if n == 0 then sec:paragraph(s.say(empty_key)) end
end

-- 成文日期: --date, else the year's 工作总结 in the documents register, else 31 December.
local function signing_date(args, s)
  if args.date then return args.date end
  local date = s.year_end
  if fp.documents then
    for d in fp.documents:where{ kind = "工作总结" }:order_by("date"):iter() do
      local ours = d.unit_id == nil or d.unit_id == s.unit.id
      if d.date and d.date:sub(1, 4) == tostring(s.year) and ours then date = d.date end
    end
  end
  return date
end

--- Builds the document; returns { document, figures (list with queries), values (by key), version }.
---@param args fp.plugin.Report.AnnualArgs
---@param ctx fp.Ctx
---@return table result { document, figures, values, version }
function M.build(args, ctx)
  local year = math.tointeger(args.year)
  if not year then ctx.fail("--year must be a year such as 2019") end
  local unit = M.unit(args, ctx)
  local ok, phrases = pcall(Phrases.load)
  if not ok then ctx.fail(tostring(phrases)) end
  local F = Figures.new()
  local s = scope(year, unit)
  s.F = F
  local town = s.villages[1] and fp.towns:get(s.villages[1].town_id)
  s.unit_name = full_name(unit, town and town.district)
  local w = self_word(unit.name)
  s.words = { unit = s.unit_name, year = tostring(year), unit_short = w, unit_short_we = "我" .. w, leaders = w .. "领导",
              village_names = table.concat((function()
                local n = {}
                for i, v in ipairs(s.villages) do n[i] = v.name end
                return n
              end)(), "、") }
  s.say = function(key, vars)
    local all = setmetatable(vars or {}, { __index = s.words })
    local done, text = pcall(Phrases.fill, phrases, key, all, F.values)
    if not done then ctx.fail(tostring(text)) end
    return text
  end
  s.documents = documents(s)
  s.full_name = function(text)
    if text and text:sub(1, #unit.name) == unit.name then return s.unit_name .. text:sub(#unit.name + 1) end
    return text
  end
  monitoring(s)

  local doc = fp.report.document{ title = s.say("title") }
  local charts = {}
  local work = doc:section("一、工作开展情况")
  one.organisation(work, s)
  one.projects(work, s, charts)
  one.ledgers(work, s)
  two.team(work, s)
  two.enterprises(work, s)
  two.ecology(work, s, charts)
  -- charts go at the end of the part they illustrate
  for _, c in ipairs(charts) do c[1]:chart(c[2]) end

  notes(doc:section(s.say("problems.heading")), s, "problem", "problems.none")
  local three = doc:section(s.say("next.heading"))
  local n_open = 0
  for _, h in ipairs(s.households) do
    local st = h.standard == "国家" and s.status_at(h)
    if st == "未脱贫" or st == "返贫" then n_open = n_open + 1 end
  end
  local open = F:known("national_to_help", "年底仍需帮扶的国家标准贫困户数", n_open,
    "(function() local n = 0 for h in "
      .. where("households", { { "village_id", s.in_villages }, { "standard", "国家" } })
      .. ":iter() do local st = " .. s.status_expr
      .. " if st == \"未脱贫\" or st == \"返贫\" then n = n + 1 end end return n end)()")
  local told = false
  for note in fp.notes:where{ year = year, unit_id = unit.id, kind = "next_step" }:iter() do
    if note.text:find("{national_to_help}", 1, true) then told = true end
  end
  if not told then three:paragraph(s.say(open > 0 and "next.open" or "next.done")) end
  notes(three, s, "next_step", "next.none")

  -- 落款 and 成文日期, then the data version the document was written from
  local date = signing_date(args, s)
  local y, m, d = date:match("^(%d+)-(%d+)-(%d+)$")
  local last = fp.audit:order_by("id", "desc"):first()
  local version = last and last.id or 0
  local closing = { unit = s.unit_name, date = y .. "年" .. tonumber(m) .. "月" .. tonumber(d) .. "日",
                    version = s.say("version", { data_version = version, data_time = last and last.time or "空台账" }) }
  -- a Word document sets these apart in styles of their own (lib/docx), the appendices after them
  local appendix = doc
  if args.format ~= "docx" then
    doc:paragraph(closing.unit)
    doc:paragraph(closing.date)
    doc:paragraph(closing.version)
  else
    appendix = fp.report.document{ title = "" }
  end
  local ok_mon, mon = pcall(require, "monitoring")
  local at = function(h) return h.status end
  if ok_mon and type(mon) == "table" and mon.status_at then
    local by_year = s.status_readers or { [s.year] = s.status_at }
    at = function(h, year_of)
      by_year[year_of] = by_year[year_of] or M.status_reader(mon, year_of, s.village_household_ids)
      return by_year[year_of](h)
    end
  end
  local indicators = require("lib.appendix").add(appendix, s, at)

  if args.explain then
    local rows = {}
    for i, f in ipairs(F.list) do rows[i] = { i, f.label, Figures.show(f.value), f.query } end
    doc:section("附：数据来源"):paragraph("本总结中的每个数字都由下列查询从台账中算出，可在 fupin 的 REPL 中逐条复核。")
      :table{ columns = { "序号", "数字", "结果", { label = "查询", code = true } }, rows = rows }
  end
  return { document = doc, figures = F.list, values = F.values, scope = s, version = version,
           title = s.say("title"), closing = closing, appendix = appendix ~= doc and appendix or nil,
           indicators = indicators }
end

return M
