-- Words of the summary that depend on data: ordinals, dates, the verb for an item's unit.
-- Kept as data here so a bureau can change its wording without touching the logic.
local M = {}

local DIGITS = { "一", "二", "三", "四", "五", "六", "七", "八", "九" }

--- 1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (enough for numbered paragraphs).
---@param n integer
---@return string
function M.ordinal(n)
  if n < 10 then return DIGITS[n] end
  local tens, ones = n // 10, n % 10
  return (tens > 1 and DIGITS[tens] or "") .. "十" .. (ones > 0 and DIGITS[ones] or "")
end

--- "2018-03-01" -> "2018年3月".
---@param iso string YYYY-MM-DD
---@return string
function M.date(iso)
  local y, m = tostring(iso):match("^(%d+)-(%d+)")
  if not y then return tostring(iso) end
  return y .. "年" .. tonumber(m) .. "月"
end

--- How material is handed out, by its unit: per household (many) or as a named gift.
M.verbs = {
  ["株"] = { many = "栽植", to = "为", gift = "栽植" },
  ["亩"] = { many = "种植", to = "为", gift = "种植" },
  default = { many = "发放", to = "给", gift = "送去" },
}

--- The verb for material of this unit (many: handed to many households), and for a gift
--- its preposition ("为"/"给").
---@param unit string
---@param many boolean
---@return string verb
---@return string preposition
function M.verb(unit, many)
  local v = M.verbs[unit] or M.verbs.default
  return many and v.many or v.gift, v.to
end

--- Items that reached at most this many households are told as gifts to named households.
M.named_gift_limit = 3

--- The last character of a unit's name it calls itself by (全局, 我局, 局领导).
M.unit_words = { "局", "委", "办", "院", "厅", "所", "站" }

return M
