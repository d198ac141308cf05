-- Small helpers shared by the parts of the summary: query text, sorting, money, numbering.
local Figures = require("lib.figures")
local words = require("lib.words")

local M = {}
M.filter = Figures.filter

--- The query text `fp.<collection>:where{...}` with the conditions in order.
function M.where(collection, conditions)
  return "fp." .. collection .. ":where" .. Figures.filter(conditions)
end

--- The keys of `t`, by value (largest first) when `by_value_desc`, else by key.
function M.keys_sorted(t, by_value_desc)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if by_value_desc and t[a] ~= t[b] then return t[a] > t[b] end
    return tostring(a) < tostring(b)
  end)
  return keys
end

--- How many entries `t` has.
function M.count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

--- Money added up in Lua (yuan as floats) back on the fen, as the database's integer sums are.
function M.fen(x)
  return math.floor(x * 100 + 0.5) / 100
end

--- Yuan from integer fen, as fp gives money: an integer when whole.
function M.yuan(f)
  return f % 100 == 0 and f // 100 or f / 100
end

--- The text without its parenthesised remarks.
function M.strip_parens(s)
  return (tostring(s or ""):gsub("（.-）", ""):gsub("%(.-%)", ""))
end

--- "甲；乙；丙" -> "一是甲；二是乙；三是丙" (a single item stays as it is).
function M.numbered(text)
  local items = {}
  for piece in (tostring(text) .. "；"):gmatch("(.-)；") do
    if piece ~= "" then items[#items + 1] = piece end
  end
  if #items < 2 then return items[1] or "" end
  for i, piece in ipairs(items) do items[i] = words.ordinal(i) .. "是" .. piece end
  return table.concat(items, "；")
end

return M
