-- add and progress: the commands that write. Status changes follow lib/vocab.lua.
local C = require("lib.common")
local vocab = require("lib.vocab")
local credit = require("lib.credit_code")
local M = {}

-- The enterprise named by id or name; a new name adds it (its credit code checked).
local function enterprise(args, ctx)
  local text = tostring(args.enterprise):match("^%s*(.-)%s*$")
  local code = args.credit_code and credit.checked(args.credit_code, "enterprises.credit_code", ctx.fail)
  local e
  if text:match("^%d+$") then
    e = fp.enterprises:get(math.tointeger(tonumber(text)))
    if e == nil then ctx.fail("enterprise " .. text .. ": no enterprise has this id") end
  else
    e = fp.enterprises:find{ name = text }
  end
  if e then
    if code and e.credit_code and e.credit_code ~= code then
      ctx.fail("enterprises.credit_code: " .. code .. " differs from the " .. e.credit_code .. " stored for " .. e.name)
    end
    if code and not e.credit_code then e = fp.enterprises:update(e.id, { credit_code = code }) end
    return e, false
  end
  if code and fp.enterprises:find{ credit_code = code } then
    local holder = fp.enterprises:find{ credit_code = code }
    ctx.fail("enterprises.credit_code: " .. code .. " already belongs to " .. holder.name)
  end
  return fp.enterprises:add{ name = text, credit_code = code, contact = args.contact, phone = args.phone }, true
end

--- The add command: a project of an enterprise (added when new) with a village.
---@param args fp.plugin.EnterprisePartnership.AddArgs
---@param ctx fp.Ctx
---@return table result ctx.result of the project
function M.add(args, ctx)
  local village = C.lookup("villages", "name", args.village, "village", ctx)
  local e, new = enterprise(args, ctx)
  local date = args.date or ctx.today
  local p = fp.partnerships:add{
    enterprise_id = e.id, village_id = village.id, project = args.project, type = args.type,
    start_date = date, planned_investment = args.planned_investment, actual_investment = 0,
    participation = args.participation, households = args.households, people = args.people, jobs = args.jobs,
    collective_income = args.collective_income, status = args.status or "洽谈", blockers = args.blockers,
    note = args.note,
  }
  fp.partnership_progress:add{
    partnership_id = p.id, date = date, status = p.status, note = "登记项目", blockers = args.blockers,
    handler = ctx.operator,
  }
  ctx.print(string.format("added project #%d %s (%s, %s) of %s%s with %s, status %s", p.id, p.project, p.type,
    date, e.name, new and " (new enterprise #" .. e.id .. ")" or "", village.name, p.status))
  return ctx.result(p, "(project #" .. p.id .. ")")
end

--- The progress command: a dated entry in a project's log, its status change checked.
---@param args fp.plugin.EnterprisePartnership.ProgressArgs
---@param ctx fp.Ctx
---@return table result ctx.result of the project
function M.progress(args, ctx)
  local p = fp.partnerships:get(args.id)
  if p == nil or p.valid == false then
    ctx.fail("project " .. tostring(args.id) .. ": no such project (fupin enterprise-partnership status lists them)")
  end
  local date = args.date or ctx.today
  local last = C.last_entry(p.id)
  local changes = {}
  local from = p.status
  if args.status and args.status ~= from then
    if not vocab.allowed(from, args.status) then
      ctx.fail(string.format("project #%d %s: the status cannot go from %s to %s (from %s it can go to %s)",
        p.id, p.project, from, args.status, from, table.concat(vocab.TRANSITIONS[from] or {}, " or ")))
    end
    if last and date < last.date then
      ctx.fail(string.format("project #%d: a status change dated %s comes before the last entry (%s)",
        p.id, date, last.date))
    end
    changes.status = args.status
  end
  if args.invested then changes.actual_investment = (p.actual_investment or 0) + args.invested end
  if args.clear_blockers then
    if args.blockers then ctx.fail("give --blockers or --clear-blockers, not both") end
    changes.blockers = ""
  elseif args.blockers then
    changes.blockers = args.blockers
  end
  for _, f in ipairs({ "households", "people", "jobs", "collective_income" }) do
    if args[f] ~= nil then changes[f] = args[f] end
  end
  if next(changes) == nil and not args.note then
    ctx.fail("nothing to log: give --note, --status, --invested, --blockers or new figures")
  end
  if next(changes) ~= nil then p = fp.partnerships:update(p.id, changes) end
  local entry = fp.partnership_progress:add{
    partnership_id = p.id, date = date, from_status = changes.status and from or nil, status = changes.status,
    note = args.note, invested = args.invested, blockers = args.blockers, handler = args.handler or ctx.operator,
  }
  local what = changes.status and (from .. " → " .. changes.status) or ("still " .. p.status)
  ctx.print(string.format("project #%d %s: %s, logged %s (entry #%d)", p.id, p.project, what, date, entry.id))
  return ctx.result(p, "(project #" .. p.id .. ": " .. p.status .. ")")
end

return M
