-- Masking of personal data (ID numbers, phones, health ...), the same forms as Fupin's own
-- printouts: 1506**********0118, 138****0201, 0477-***2301. A field is personal data when
-- its collection says so (`:fields()[i].personal`), so plugin ledgers are covered too.
-- Masking a masked value changes nothing (the host masks for plugins without "pii").
local M = {}

local function keep(s, first, last)
  local n = utf8.len(s) or #s
  if n <= first + last then return string.rep("*", n) end
  local head = first > 0 and s:sub(1, utf8.offset(s, first + 1) - 1) or ""
  local tail = s:sub(utf8.offset(s, n - last + 1))
  return head .. string.rep("*", n - first - last) .. tail
end

--- An ID number masked: the first and last four characters kept.
---@param v string
---@return string
function M.id_number(v) return keep(v, 4, 4) end

--- A phone masked: the area code and last four digits (landline), or first three and last four.
---@param v string
---@return string
function M.phone(v)
  local area, rest = v:match("^(0%d+)%-(.+)$")
  if area then return area .. "-" .. keep(rest, 0, 4) end
  return keep(v, 3, 4)
end

--- Any other personal value masked (long ones keep their ends, short ones their first character).
---@param v string
---@return string
function M.other(v)
  local n = utf8.len(v) or #v
  return n > 8 and keep(v, 4, 4) or keep(v, 1, 0)
end

local cache = {}
local function fields_of(collection)
  if not cache[collection] then
    local by_name = {}
    for _, f in ipairs(fp[collection]:fields()) do by_name[f.name] = f end
    cache[collection] = by_name
  end
  return cache[collection]
end

--- The value of `collection.field` as it may be shown (masked unless `unmask`).
---@param collection string
---@param field string
---@param value any
---@param unmask boolean?
---@return any
function M.value(collection, field, value, unmask)
  if value == nil or unmask then return value end
  local f = fields_of(collection)[field]
  if not f or not f.personal then return value end
  local text = tostring(value)
  if text == "" then return text end
  if f.type == "id_number" then return M.id_number(text) end
  if f.type == "phone" then return M.phone(text) end
  return M.other(text)
end

--- A copy of a record with its personal fields masked (unless `unmask`).
---@param collection string
---@param record table?
---@param unmask boolean?
---@return table? copy
function M.record(collection, record, unmask)
  if record == nil then return nil end
  local copy = {}
  for k, v in pairs(record) do copy[k] = M.value(collection, k, v, unmask) end
  return copy
end

return M
