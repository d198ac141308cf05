-- Shared helpers: dates and days, money text, looking up villages and enterprises.
local M = {}

function M.today()
  return os.date("%Y-%m-%d")
end

-- Whole days from ISO date a to ISO date b (b later: positive).
function M.days_between(a, b)
  local function t(d)
    local y, m, dd = d:match("^(%d+)-(%d+)-(%d+)$")
    return os.time{ year = tonumber(y), month = tonumber(m), day = tonumber(dd), hour = 12 }
  end
  return math.floor((t(b) - t(a)) / 86400 + 0.5)
end

function M.money(yuan)
  if yuan == nil then return "" end
  local text = string.format("%.2f", yuan)
  local sign, int, frac = text:match("^(-?)(%d+)(%.%d+)$")
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return sign .. int .. frac
end

-- A record of `collection` named by id or by its `field` (e.g. a village by name).
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

-- The latest progress entry of a project (by date, then id), or nil.
function M.last_entry(partnership_id)
  return fp.partnership_progress:where{ partnership_id = partnership_id }
    :order_by("date", "desc"):order_by("id", "desc"):first()
end

return M
