-- Shared helpers: money text, looking up villages and enterprises (days: fp.days_between,
-- today: ctx.today).
local M = {}

--- Yuan as text with thousands separators and up to two decimals.
---@param yuan number?
---@return string text "" for nil
function M.money(yuan)
  if yuan == nil then return "" end
  local text = string.format("%.2f", yuan)
  local sign, int, frac = text:match("^(-?)(%d+)(%.%d+)$")
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return sign .. int .. frac
end

--- A record of `collection` named by id or by its `field` (e.g. a village by name).
---@param collection string
---@param field string the field a name is matched on
---@param text string|integer an id or a name
---@param what string how the error names the record ("village")
---@param ctx fp.Ctx
---@return fp.Record
function M.lookup(collection, field, text, what, ctx)
  text = tostring(text):match("^%s*(.-)%s*$")
  local r
  if text:match("^%d+$") then
    r = fp[collection]:get(math.tointeger(tonumber(text)))
  else
    r = fp[collection]:find{ [field] = text }
  end
  if r == nil or r.valid == false then
    ctx.fail(what .. " " .. text .. ": not found (give its id or " .. field .. ")")
  end
  return r
end

--- The latest progress entry of a project (by date, then id), or nil.
---@param partnership_id integer
---@return fp.PartnershipProgressRecord?
function M.last_entry(partnership_id)
  return fp.partnership_progress:where{ partnership_id = partnership_id }
    :order_by("date", "desc"):order_by("id", "desc"):first()
end

return M
