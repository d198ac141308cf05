-- A household's change of 脱贫状态, dated by the day it took effect: one fp.status_changes
-- record, and households.status (with year_exited) when it is the household's latest change.
-- Year-end readings (lib/scan.status_at) follow the dates, however late a change is typed.
local scan = require("lib.scan")

local M = {}

local EXITS = { ["已脱贫（享受政策）"] = true, ["已脱贫（不再享受政策）"] = true }

--- Records a status change (the `status` command).
---@param args table household (id), to (status), date (YYYY-MM-DD), basis (text)
---@param ctx fp.Ctx
---@return table result ctx.result of the change
function M.record(args, ctx)
  local h = fp.households:get(args.household)
  if h == nil then ctx.fail("household " .. tostring(args.household) .. " not found") end
  local changes = fp.status_changes:where{ household_id = h.id }:order_by("date"):order_by("id"):list()
  -- the status in effect just before the day: the last change on or before it, else the one
  -- the first later change started from, else the status recorded now
  local from, latest = nil, true
  for _, c in ipairs(changes) do
    if c.date <= args.date then from = c.status else latest = false; from = from or c.from_status; break end
  end
  if from == nil and #changes == 0 then from = h.status end
  if from == args.to then
    ctx.fail(string.format("household #%d %s is already %s on %s", h.id, h.head_name, args.to, args.date))
  end
  local change = fp.status_changes:add{ household_id = h.id, date = args.date, from_status = from,
                                        status = args.to, basis = args.basis }
  if latest then
    local fields = { status = args.to }
    if EXITS[args.to] then fields.year_exited = tonumber(args.date:sub(1, 4)) end
    fp.households:update(h.id, fields)
  end
  local year = tonumber(args.date:sub(1, 4))
  ctx.print(string.format("household #%d %s: %s → %s, effective %s (change #%d)%s", h.id, h.head_name,
    from or "—", args.to, args.date, change.id, latest and "" or "; a later change stays the current status"))
  return ctx.result({ id = change.id, household_id = h.id, from_status = from, status = args.to, date = args.date,
                      year_end_status = scan.status_at(fp.households:get(h.id), year) },
    "(household #" .. h.id .. ": " .. args.to .. " from " .. args.date .. ")")
end

return M
