-- Numbers with their provenance. Each figure is computed by running a Lua expression over
-- `fp`, and that very expression is what --explain prints, so the explanation can never
-- drift from the computation.
local M = {}
M.__index = M

--- A Lua literal for a value used in a query text.
local function lit(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if t == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = lit(x) end
    return "{ " .. table.concat(parts, ", ") .. " }"
  end
  return tostring(v)
end
M.lit = lit

--- A filter literal with keys in the given order: filter({ {"year", 2019}, {"item", "雏鸡"} }).
---@param pairs_ table[] { field, value } pairs, in order
---@return string literal
function M.filter(pairs_)
  local parts = {}
  for _, kv in ipairs(pairs_) do
    local key = kv[1]:match("^[%a_][%w_]*$") and kv[1] or ("[" .. string.format("%q", kv[1]) .. "]")
    if kv[2] ~= nil then parts[#parts + 1] = key .. " = " .. lit(kv[2]) end
  end
  return "{ " .. table.concat(parts, ", ") .. " }"
end

--- A new, empty set of figures (q, pick and known add to it).
---@return table figures
function M.new()
  return setmetatable({ list = {}, values = {} }, M)
end

--- Runs `code` (an expression over fp) and records it under `key` with a human `label`.
---@param key string
---@param label string
---@param code string an expression over fp
---@return any value
function M:q(key, label, code)
  local fn, err = load("return " .. code, "=" .. key, "t")
  if not fn then error("report: bad query for " .. key .. ": " .. tostring(err)) end
  local value = fn()
  self.list[#self.list + 1] = { key = key, label = label, value = value, query = code }
  self.values[key] = value
  return value
end

--- A figure that is one entry of a shared query's result: `base` (an expression over fp,
--- typically an `aggregate`) runs once per report however many figures read from it, and
--- --explain shows `base["a"]["b"]`, which evaluates to the same number.
---@param key string
---@param label string
---@param base string an expression over fp
---@param ... any the keys into its result
---@return any value
function M:pick(key, label, base, ...)
  self.memo = self.memo or {}
  local result = self.memo[base]
  if result == nil then
    local fn, err = load("return " .. base, "=" .. key, "t")
    if not fn then error("report: bad query for " .. key .. ": " .. tostring(err)) end
    result = fn()
    self.memo[base] = result
  end
  local value, code = result, base
  for _, k in ipairs({ ... }) do
    value = value ~= nil and value[k] or nil
    code = code .. "[" .. lit(k) .. "]"
  end
  if #{ ... } > 0 and code:sub(1, #base) == base then code = "(" .. base .. ")" .. code:sub(#base + 1) end
  self.list[#self.list + 1] = { key = key, label = label, value = value, query = code }
  self.values[key] = value
  return value
end

--- A figure computed on a pass the report makes anyway (one read of a ledger serving many
--- figures); `code` is the query that gives the same value, which --explain shows and the
--- specs run again to check that the two agree.
---@param key string
---@param label string
---@param value any
---@param code string the query giving the same value
---@return any value
function M:known(key, label, value, code)
  self.list[#self.list + 1] = { key = key, label = label, value = value, query = code }
  self.values[key] = value
  return value
end

--- How many entries of a table --explain shows before saying how many there are.
M.shown = 8

--- A value as --explain shows it: a table by key (numbers first, in order), at most `M.shown`
--- entries and then the count, e.g. `{1=3, 2=5, …（共 4,012 项）}`.
---@param v any
---@return string
function M.show(v)
  if type(v) == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      local ta, tb = type(a), type(b)
      if ta ~= tb then return ta == "number" end
      if ta == "number" then return a < b end
      return tostring(a) < tostring(b)
    end)
    local parts = {}
    for i = 1, math.min(#keys, M.shown) do parts[i] = tostring(keys[i]) .. "=" .. M.show(v[keys[i]]) end
    if #keys > M.shown then parts[#parts + 1] = "…（共 " .. fp.report.number(#keys) .. " 项）" end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  if type(v) == "number" then return fp.report.number(v) end
  return tostring(v)
end

return M
