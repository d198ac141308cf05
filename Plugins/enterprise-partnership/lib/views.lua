-- status, stalled, summary: read-only views. Every figure is an fp query on fp.partnerships
-- or fp.partnership_progress (see README, "Bundled plugins").
local C = require("lib.common")
local vocab = require("lib.vocab")
local M = {}

local function names(collection, field)
  local cache = {}
  return function(id)
    if id == nil then return "" end
    if cache[id] == nil then
      local r = fp[collection]:get(id)
      cache[id] = r and r[field] or ("#" .. id)
    end
    return cache[id]
  end
end

-- One row of figures per project of `q`, in id order, with days since its last progress.
local function rows_of(q, as_of)
  local enterprise, village = names("enterprises", "name"), names("villages", "name")
  local rows = {}
  for p in q:order_by("id"):iter() do
    local last = fp.partnership_progress:where{ partnership_id = p.id }:max("date") or p.start_date
    rows[#rows + 1] = {
      id = p.id, project = p.project, enterprise = enterprise(p.enterprise_id), village = village(p.village_id),
      type = p.type, status = p.status, last_progress = last, days = last and fp.days_between(last, as_of),
      planned_investment = p.planned_investment or 0, actual_investment = p.actual_investment or 0,
      jobs = p.jobs or 0, households = p.households or 0, people = p.people or 0, blockers = p.blockers,
    }
  end
  return rows
end

local function shown(r)
  local t = {
    ["编号"] = r.id, ["项目"] = r.project, ["企业"] = r.enterprise, ["结对村"] = r.village, ["类型"] = r.type,
    ["状态"] = r.status, ["最近进展"] = r.last_progress, ["距今（天）"] = r.days,
    ["计划投资（元）"] = C.money(r.planned_investment), ["实际到位（元）"] = C.money(r.actual_investment),
    ["就业"] = r.jobs, ["受益户"] = r.households, ["存在问题"] = r.blockers,
  }
  return t
end

--- The status command: the projects with their latest progress.
---@param args fp.plugin.EnterprisePartnership.StatusArgs
---@param ctx fp.Ctx
---@return table result ctx.result of the rows
function M.status(args, ctx)
  local as_of = args.on or ctx.today
  local q = fp.partnerships:all()
  if args.status then q = q:where{ status = args.status } end
  if args.village then q = q:where{ village_id = C.lookup("villages", "name", args.village, "village", ctx).id } end
  local rows = rows_of(q, as_of)
  local out, planned, actual, jobs, households = {}, 0, 0, 0, 0
  for _, r in ipairs(rows) do
    out[#out + 1] = shown(r)
    planned, actual = planned + r.planned_investment, actual + r.actual_investment
    jobs, households = jobs + r.jobs, households + r.households
  end
  ctx.print(string.format("百企帮百村项目（截至 %s）", as_of))
  if #rows == 0 then ctx.print("no projects"); return ctx.result(rows, "(0 projects)") end
  out[#out + 1] = { ["项目"] = "合计", ["计划投资（元）"] = C.money(planned), ["实际到位（元）"] = C.money(actual),
                    ["就业"] = jobs, ["受益户"] = households }
  local fields = { "编号", "项目", "企业", "结对村", "类型", "状态", "最近进展", "距今（天）", "计划投资（元）",
    "实际到位（元）", "就业", "受益户" }
  if args.format == "xlsx" then
    local sheet_rows = {}
    for i, r in ipairs(out) do
      sheet_rows[i] = {}
      for j, f in ipairs(fields) do sheet_rows[i][j] = r[f] end
    end
    local path = ctx.write_xlsx(args.output or "百企帮百村项目.xlsx", {
      { name = "百企帮百村项目", title = "百企帮百村项目（截至 " .. as_of .. "）", columns = fields, rows = sheet_rows,
        landscape = true } })
    ctx.print("wrote " .. path)
    return ctx.result(rows, "(" .. #rows .. " projects)")
  end
  ctx.print(fp.format(out, { limit = #out, fields = fields, footer = false }))
  return ctx.result(rows, "(" .. #rows .. " projects)")
end

--- The stalled command: unfinished projects without progress for --days.
---@param args fp.plugin.EnterprisePartnership.StalledArgs
---@param ctx fp.Ctx
---@return table result ctx.result of the rows
function M.stalled(args, ctx)
  local as_of = args.on or ctx.today
  local days = args.days or 90
  local rows = {}
  for _, r in ipairs(rows_of(fp.partnerships:where{ status = { "~=", "已完成" } }, as_of)) do
    if r.days == nil or r.days >= days then rows[#rows + 1] = r end
  end
  ctx.print(string.format("%d unfinished %s without progress for %d days or more (as of %s)", #rows,
    #rows == 1 and "project" or "projects", days, as_of))
  if #rows > 0 then
    local out = {}
    for _, r in ipairs(rows) do out[#out + 1] = shown(r) end
    ctx.print(fp.format(out, { limit = #out, fields = { "编号", "项目", "结对村", "状态", "最近进展", "距今（天）" }, footer = false }))
    for _, r in ipairs(rows) do
      ctx.print(string.format("#%d 存在问题：%s", r.id, (r.blockers and r.blockers ~= "") and r.blockers or "（未记录）"))
    end
  end
  return ctx.result(rows, "(" .. #rows .. " stalled)")
end

--- The summary command: investment, jobs and households, by status and type.
---@param args fp.plugin.EnterprisePartnership.SummaryArgs
---@param ctx fp.Ctx
---@return table result ctx.result of the totals
function M.summary(args, ctx)
  local y = args.year
  local last_day = string.format("%d-12-31", y)
  -- The projects started by the end of the year (or without a start date).
  local started = fp.partnerships:where{ start_date = { "<=", last_day } }
  local undated = fp.partnerships:where{ start_date = "" }
  local function both(fn) return fn(started) + fn(undated) end
  local entries = fp.partnership_progress:where{ year = y }
  local result = {
    year = y,
    projects = both(function(q) return q:count() end),
    new_projects = fp.partnerships:where{ year = y }:count(),
    by_status = {}, by_type = {},
    planned_investment = both(function(q) return q:sum("planned_investment") end),
    actual_investment = both(function(q) return q:sum("actual_investment") end),
    invested_in_year = entries:sum("invested"),
    jobs = both(function(q) return q:sum("jobs") end),
    households = both(function(q) return q:sum("households") end),
    people = both(function(q) return q:sum("people") end),
    collective_income = both(function(q) return q:sum("collective_income") end),
    entries = entries:count(),
    status_changes = entries:where{ status = { "in", vocab.STATUSES } }
      :where{ from_status = { "in", vocab.STATUSES } }:count(),
  }
  for _, s in ipairs(vocab.STATUSES) do
    result.by_status[s] = both(function(q) return q:where{ status = s }:count() end)
  end
  for _, t in ipairs(vocab.TYPES) do
    result.by_type[t] = both(function(q) return q:where{ type = t }:count() end)
  end
  local lines = {
    { ["项目"] = "项目数（截至年末）", ["数值"] = tostring(result.projects) },
    { ["项目"] = "其中当年启动", ["数值"] = tostring(result.new_projects) },
  }
  for _, s in ipairs(vocab.STATUSES) do
    if result.by_status[s] > 0 then
      lines[#lines + 1] = { ["项目"] = "状态：" .. s, ["数值"] = tostring(result.by_status[s]) }
    end
  end
  for _, t in ipairs(vocab.TYPES) do
    if result.by_type[t] > 0 then lines[#lines + 1] = { ["项目"] = "类型：" .. t, ["数值"] = tostring(result.by_type[t]) } end
  end
  for _, l in ipairs({
    { "计划投资（元）", C.money(result.planned_investment) },
    { "实际到位（元）", C.money(result.actual_investment) },
    { "其中当年到位（元）", C.money(result.invested_in_year) },
    { "带动就业（人）", tostring(result.jobs) },
    { "受益户数", tostring(result.households) },
    { "受益人数", tostring(result.people) },
    { "村集体增收（元）", C.money(result.collective_income) },
    { "当年进展记录（条）", tostring(result.entries) },
    { "当年状态变更（次）", tostring(result.status_changes) },
  }) do lines[#lines + 1] = { ["项目"] = l[1], ["数值"] = l[2] } end
  ctx.print(string.format("%d年百企帮百村项目汇总", y))
  ctx.print(fp.format(lines, { limit = #lines, fields = { "项目", "数值" }, footer = false }))
  return ctx.result(result, "(" .. result.projects .. " projects)")
end

return M
