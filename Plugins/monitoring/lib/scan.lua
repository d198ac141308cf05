-- 防返贫监测: which households to watch in a year, and why. Income figures come from
-- fp.households:income (net income per person against the year's line); the rules below
-- say which monitoring type (监测对象类型) each finding suggests.
local M = {}

M.defaults = { drop = 0.3, days = 90 }

local EXITED = { ["已脱贫（享受政策）"] = true, ["已脱贫（不再享受政策）"] = true, ["返贫"] = true }

-- Whole days between two dates: the host's calendar count, shared by every plugin.
local days = fp.days_between
M.days = days

-- The status the year rule gives a household with no dated change: an exit recorded for a
-- later year was not yet an exit at the end of `year`.
local function by_year_rule(h, year)
  local s = h.status
  if s and EXITED[s] and s ~= "返贫" and h.year_exited and h.year_exited > year then return "未脱贫" end
  return s
end

-- The status at the end of `year` from a household's dated changes (oldest first): the last
-- one on or before the year's last day; before the first, the status that one changed from.
-- nil when there is none or the first does not say what it changed from.
local function from_changes(changes, year)
  if changes == nil or #changes == 0 then return nil end
  local last_day, status = year .. "-12-31", nil
  for _, c in ipairs(changes) do
    if c.date <= last_day then status = c.status else break end
  end
  return status or changes[1].from_status
end

--- A household's status on the last day of `year`, by the day each change took effect: nil
--- when the household was identified after the year; else the dated status changes
--- (fp.status_changes) decide, and without one the status as recorded, with an exit of a later
--- year (year_exited) not yet counted. The summary's households by status and this scan read
--- statuses through this one rule.
---@param h fp.HouseholdsRecord
---@param year integer
---@param changes table[]? the household's dated changes, oldest first (read here when nil)
---@return string? status
function M.status_at(h, year, changes)
  if h.year_identified and h.year_identified > year then return nil end
  if changes == nil then
    changes = fp.status_changes:where{ household_id = h.id }:order_by("date"):order_by("id"):list()
  end
  return from_changes(changes, year) or by_year_rule(h, year)
end

--- status_at for many households: reads every dated change once, then answers from memory.
--- `changes` (a query of fp.status_changes) limits the read to the households asked about.
---@param changes? table
---@return fun(h: fp.HouseholdsRecord, year: integer): string? status_at
function M.status_reader(changes)
  local by_household = {}
  for c in (changes or fp.status_changes):order_by("date"):order_by("id"):iter() do
    local list = by_household[c.household_id]
    if list == nil then list = {}; by_household[c.household_id] = list end
    list[#list + 1] = c
  end
  return function(h, year) return M.status_at(h, year, by_household[h.id] or {}) end
end

--- Every valid household's status at the end of `year` (status_at), by household id: one
--- answer for callers in another process (an export's results must be plain data). With
--- `ids` (a list of household ids), only theirs: the whole workspace's would not fit in one
--- answer at province scale.
--- `year` may be a list of years: then one table of statuses per year, by year, from one read
--- of the households and their changes.
---@param year integer|integer[]
---@param ids? integer[]
---@return table<integer, string>|table<integer, table<integer, string>> statuses
function M.statuses_at(year, ids)
  local status_at = M.status_reader(ids and fp.status_changes:where{ household_id = { "in", ids } })
  local households = ids and fp.households:where{ id = { "in", ids } } or fp.households
  local years = type(year) == "table" and year or { year }
  local out = {}
  for _, y in ipairs(years) do out[y] = {} end
  for h in households:iter() do
    for _, y in ipairs(years) do out[y][h.id] = status_at(h, y) end
  end
  if type(year) == "table" then return out end
  return out[year]
end

--- The suggested monitoring type for a household's findings, or nil.
---@param h fp.HouseholdsRecord
---@param f table the household's findings (in_band, dropped, ...)
---@return string? risk_type
function M.suggest(h, f)
  local status = f.status or h.status
  local registered_poor = h.attribute ~= nil and h.attribute ~= "一般农户"
  if status == "未脱贫" and registered_poor then return nil end   -- still helped as a poor household
  if f.dropped then return "突发严重困难户" end
  if not f.in_band then return nil end
  if EXITED[status] then return "脱贫不稳定户" end
  return "边缘易致贫户"
end

--- Scans every valid household for `opts.year`; returns { households = {...}, cadres = {...} }.
--- opts: year, band (factor × line; default the workspace's), drop (share), days, on (date);
--- villages (ids), cadres = false and suggested_only = true narrow the scan and its answer.
---@param opts fp.plugin.Monitoring.ScanArgs
---@return table result { households, cadres, year, as_of }
function M.run(opts)
  local year = opts.year
  local as_of = opts.on or (year .. "-12-31")
  local drop_share = opts.drop or M.defaults.drop
  local max_days = opts.days or M.defaults.days
  local out = {}
  -- opts.villages (a list of ids): only their households; opts.cadres = false: no idle-cadre pass.
  local households = opts.villages and fp.households:where{ village_id = { "in", opts.villages } } or fp.households
  -- Which households have income lines this year and when each was last visited: one grouped
  -- query each rather than two per household.
  local incomes, visits = fp.incomes:where{ year = year }, fp.visits:where{ date = { "<=", as_of } }
  if opts.villages then
    incomes = incomes:where{ ["household_id.village_id"] = { "in", opts.villages } }
    visits = visits:where{ ["household_id.village_id"] = { "in", opts.villages } }
  end
  local income_lines = incomes:group_by("household_id"):count()
  -- A household without income lines this year is never suggested (suggest needs a fall in
  -- income or income within the band): an answer of suggestions only skips such households,
  -- and when no household has income lines, the pass over households altogether.
  local skip_without_income = opts.suggested_only
  local pass = not (skip_without_income and next(income_lines) == nil)
  local status_at, last_visits = nil, {}
  if pass then
    status_at = M.status_reader(opts.villages
      and fp.status_changes:where{ ["household_id.village_id"] = { "in", opts.villages } })
    last_visits = visits:group_by("household_id"):max("date")
  end
  -- Income figures are asked for 500 households at a time (one request each year rather than
  -- two per household; a plugin's worker makes a round trip to the host for each request).
  local batch, now_incomes, prev_incomes = {}, {}, {}
  local function scan_one(h)
    local inc, prev = now_incomes[h.id], prev_incomes[h.id]
    local f = { household = h, per_capita = inc.per_capita, line = inc.line, reasons = {},
                status = status_at(h, year) }
    f.band = (opts.band and inc.line) and (math.floor(inc.line * opts.band * 100 + 0.5) / 100) or inc.band
    f.has_income = (income_lines[h.id] or 0) > 0
    if f.has_income and f.band then
      f.in_band = inc.per_capita < f.band
      f.below_line = inc.line and inc.per_capita < inc.line
      if f.below_line then f.reasons[#f.reasons + 1] = "人均纯收入低于贫困线"
      elseif f.in_band then f.reasons[#f.reasons + 1] = "人均纯收入在监测线以内" end
    elseif not f.has_income then
      f.reasons[#f.reasons + 1] = "没有" .. year .. "年收入记录"
    end
    if f.has_income and prev.per_capita and prev.per_capita > 0 then
      f.change = (inc.per_capita - prev.per_capita) / prev.per_capita
      if -f.change > drop_share then
        f.dropped = true
        f.reasons[#f.reasons + 1] = string.format("人均纯收入比上年下降%.0f%%", -f.change * 100)
      end
    end
    f.last_visit = last_visits[h.id]
    f.days_since_visit = f.last_visit and days(f.last_visit, as_of) or nil
    if f.last_visit == nil or f.days_since_visit > max_days then
      f.no_recent_visit = true
      f.reasons[#f.reasons + 1] = f.last_visit and (f.days_since_visit .. "天未走访") or "从未走访"
    end
    f.suggested = M.suggest(h, f)
    if f.suggested or not opts.suggested_only then out[#out + 1] = f end
  end
  local function flush()
    if #batch == 0 then return end
    local ids = {}
    for i, h in ipairs(batch) do ids[i] = h.id end
    now_incomes, prev_incomes = fp.households:income(ids, year), fp.households:income(ids, year - 1)
    for _, h in ipairs(batch) do scan_one(h) end
    batch = {}
  end
  if pass then
    for h in households:order_by("village_id"):order_by("id"):iter() do
      if not (skip_without_income and (income_lines[h.id] or 0) == 0) then
        batch[#batch + 1] = h
        if #batch == 500 then flush() end
      end
    end
    flush()
  end
  local idle = {}
  if opts.cadres ~= false then
    for c in fp.cadres:order_by("id"):iter() do
      if fp.visits:where{ cadre_id = c.id, year = year }:count() == 0 then idle[#idle + 1] = c end
    end
  end
  return { households = out, cadres = idle, year = year, as_of = as_of }
end

--- Writes a monitoring record for each suggestion not already open; returns how many.
---@param result table what M.run returned
---@return integer added
function M.apply(result)
  local added = 0
  for _, f in ipairs(result.households) do
    if f.suggested then
      local open = fp.monitoring:where{ household_id = f.household.id }:list()
      local already = false
      for _, m in ipairs(open) do if m.removed_date == nil then already = true end end
      if not already then
        fp.monitoring:add{ household_id = f.household.id, year = result.year, risk_type = f.suggested,
                           identified_date = result.as_of, reason = table.concat(f.reasons, "；") }
        added = added + 1
      end
    end
  end
  return added
end

return M
