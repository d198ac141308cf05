-- Helpers shared by the commands: number text, households by id / 户编号 / name, CSV cells.
local M = {}

--- 1234.5 → "1,234.50" (money in yuan, two decimals, thousands separators).
---@param yuan number
---@return string
function M.money(yuan)
  local text = string.format("%.2f", yuan or 0)
  local sign, int, frac = text:match("^(-?)(%d+)(%.%d+)$")
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return sign .. int .. frac
end

--- 12 → "12", 12.5 → "12.5", 1/3 → "0.33": quantities without trailing zeros.
---@param x number
---@return string
function M.number(x)
  if x == nil then return "" end
  if math.type(x) == "integer" or x == math.floor(x) then return string.format("%d", math.floor(x)) end
  local text = string.format("%.2f", x):gsub("0+$", ""):gsub("%.$", "")
  return text
end

--- Money rounded to the fen, as a number (for returned tables and averages).
---@param yuan number
---@return number
function M.fen_round(yuan)
  return math.floor(yuan * 100 + 0.5) / 100
end

--- The number of keys of a table (group_by results).
---@param t table
---@return integer
function M.count_keys(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

--- Keys of a grouped result, sorted by value (largest first), then by key.
---@param t table<any, number>
---@return any[]
function M.keys_by_value(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if t[a] ~= t[b] then return t[a] > t[b] end
    return tostring(a) < tostring(b)
  end)
  return keys
end

--- The household a command argument names: its id, its 户编号 (13 digits and more) or the
--- head's name (when only one valid household has it). Fails with a clear message.
---@param text string|integer
---@param ctx fp.Ctx
---@return fp.HouseholdsRecord
function M.household(text, ctx)
  text = tostring(text):match("^%s*(.-)%s*$")
  local h
  if text:match("^%d+$") then
    if #text >= 10 then
      h = fp.households:find{ number = text }
    else
      h = fp.households:get(math.tointeger(tonumber(text)))
    end
  else
    local list = fp.households:where{ head_name = text }:limit(2):list()
    if #list > 1 then
      ctx.fail("household " .. text .. ": several households have this head; give the id or 户编号")
    end
    h = list[1]
  end
  if h == nil then ctx.fail("household " .. text .. ": no such household (give its id, 户编号 or the head's name)") end
  if h.valid == false then ctx.fail("household " .. text .. " (" .. h.head_name .. ") is marked invalid") end
  return h
end

--- A household's short label, "1506020010101 郝九为", looked up once per id.
---@return fun(id: integer?): string
function M.household_labeller()
  local cache = {}
  return function(id)
    if id == nil then return "（未填）" end
    local label = cache[id]
    if label == nil then
      local h = fp.households:get(id)
      label = h and (h.number .. " " .. h.head_name) or ("#" .. id)
      cache[id] = label
    end
    return label
  end
end

--- One CSV cell: quoted when it holds a comma, a quote or a line break.
---@param value any
---@return string
function M.csv_cell(value)
  if value == nil then return "" end
  local text = tostring(value)
  if text:find('[,"\r\n]') then text = '"' .. text:gsub('"', '""') .. '"' end
  return text
end

--- `cells` may hold nils (empty cells): `n` says how many there are.
---@param cells table
---@param n integer
---@return string
function M.csv_line(cells, n)
  local out = {}
  for i = 1, n or #cells do out[i] = M.csv_cell(cells[i]) end
  return table.concat(out, ",")
end

return M
