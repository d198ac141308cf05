-- The Lua side of `fp` (chunk "=fp"): collection and query objects over the natives.
-- Embedded in the binary at build time; FpPrelude.swift says what it receives and returns.
local native, names, report_chunk = ...
local setmetatable, type, error, pairs, ipairs, select =
      setmetatable, type, error, pairs, ipairs, select

local Query = {}
local QueryMT = { __index = Query, __name = "fp.query" }

local function derive(q, key, value)
  local n = { _c = q._c, _f = q._f, _o = q._o, _l = q._l, _s = q._s, _g = q._g }
  n[key] = value
  return setmetatable(n, QueryMT)
end

local function append(list, item)
  local n = {}
  for i = 1, #(list or {}) do n[i] = list[i] end
  n[#n + 1] = item
  return n
end

local function checkSelf(q, method)
  if type(q) ~= "table" or q._c == nil then
    error("fp: call " .. method .. " with ':' (query:" .. method .. "(...))", 3)
  end
end

function Query:where(filter)
  checkSelf(self, "where")
  if type(filter) ~= "table" then error("where expects a table such as { year = 2019 }", 2) end
  return derive(self, "_f", append(self._f, filter))
end

function Query:order_by(field, direction)
  checkSelf(self, "order_by")
  if type(field) ~= "string" then error("order_by expects a field name", 2) end
  if direction ~= nil and direction ~= "asc" and direction ~= "desc" then
    error("order_by direction must be 'asc' or 'desc'", 2)
  end
  return derive(self, "_o", append(self._o, { field, direction == "desc" }))
end

function Query:limit(n)
  checkSelf(self, "limit")
  if math.type(n) ~= "integer" or n < 0 then error("limit expects a non-negative integer", 2) end
  return derive(self, "_l", n)
end

function Query:offset(n)
  checkSelf(self, "offset")
  if math.type(n) ~= "integer" or n < 0 then error("offset expects a non-negative integer", 2) end
  return derive(self, "_s", n)
end

-- group_by(field [, period]): a period ("year", "quarter", "month") groups a date field.
function Query:group_by(field, period)
  checkSelf(self, "group_by")
  if type(field) ~= "string" then error("group_by expects a field name", 2) end
  if period ~= nil then
    if period ~= "year" and period ~= "quarter" and period ~= "month" then
      error("group_by period must be 'year', 'quarter' or 'month'", 2)
    end
    field = period .. "(" .. field .. ")"
  end
  return derive(self, "_g", field)
end

-- count, first, list and iter take no arguments: `list{ limit = 2 }` read all the rows and
-- said nothing, so an argument is refused with the method that does what it likely meant.
local function checkNoArguments(q, method, n, first)
  if n == 0 then return end
  local hint = type(first) == "table" and " (filter with :where{...}, cap rows with :limit(n))"
    or type(first) == "string" and " (a field's values: :group_by(field) or :aggregate{...})" or ""
  error(q._c .. ":" .. method .. " takes no arguments, got " .. type(first) .. hint, 3)
end

function Query:count(...)
  checkSelf(self, "count") checkNoArguments(self, "count", select("#", ...), ...)
  return native.run(self, "count")
end
function Query:sum(f) checkSelf(self, "sum") return native.run(self, "sum", f) end
function Query:avg(f) checkSelf(self, "avg") return native.run(self, "avg", f) end
function Query:min(f) checkSelf(self, "min") return native.run(self, "min", f) end
function Query:max(f) checkSelf(self, "max") return native.run(self, "max", f) end
function Query:count_distinct(f) checkSelf(self, "count_distinct") return native.run(self, "count_distinct", f) end
function Query:first(...)
  checkSelf(self, "first") checkNoArguments(self, "first", select("#", ...), ...)
  return native.run(self, "first")
end
function Query:aggregate(spec) checkSelf(self, "aggregate") return native.run(self, "aggregate", spec) end
function Query:list(...)
  checkSelf(self, "list") checkNoArguments(self, "list", select("#", ...), ...)
  return native.run(self, "list")
end

function Query:iter(...)
  checkSelf(self, "iter") checkNoArguments(self, "iter", select("#", ...), ...)
  local cursor = native.open(self)
  local nextRecord = native.next
  return function() return nextRecord(cursor) end
end

QueryMT.__tostring = function(q)
  return "fp.query(" .. q._c .. ")"
end

-- Collections: a query of every valid record, plus record methods.
local Collection = {}

-- A record id is an integer (1.0 will do); the error names the method and the value.
local function checkId(q, method, id)
  if math.type(id) == "integer" or (math.type(id) == "float" and id == math.floor(id)) then return end
  local shown = type(id) == "string" and string.format("%q", id) or tostring(id)
  error(q._c .. ":" .. method .. ": the id must be an integer record id (got " .. type(id) .. " " .. shown .. ")", 3)
end

function Collection:get(id) checkSelf(self, "get") checkId(self, "get", id) return native.get(self._c, id) end
function Collection:find(filter) checkSelf(self, "find") return self:where(filter):first() end
function Collection:all() checkSelf(self, "all") return setmetatable({ _c = self._c }, QueryMT) end
function Collection:add(fields) checkSelf(self, "add") return native.add(self._c, fields) end
function Collection:update(id, fields)
  checkSelf(self, "update") checkId(self, "update", id)
  return native.update(self._c, id, fields)
end
function Collection:remove(id)
  checkSelf(self, "remove") checkId(self, "remove", id)
  return native.remove(self._c, id)
end
function Collection:fields() checkSelf(self, "fields") return native.fields(self._c) end

local helpers = {}
helpers.households = {
  income = function(_, id, year) return native.income(id, year) end,
  members = function(self, id) return self._fp.members:where{ household_id = id }:order_by("id"):list() end,
  village = function(self, id)
    local h = self:get(id)
    return h and h.village_id and self._fp.villages:get(h.village_id) or nil
  end,
  cadre = function(self, id)
    local p = self._fp.pairings:where{ household_id = id }:order_by("start_date", "desc"):first()
    return p and self._fp.cadres:get(p.cadre_id) or nil
  end,
}

local fp = {}
local function makeCollection(name)
  local methods = {}
  for k, v in pairs(Query) do methods[k] = v end
  for k, v in pairs(Collection) do methods[k] = v end
  for k, v in pairs(helpers[name] or {}) do methods[k] = v end
  local mt = { __index = methods, __name = "fp.collection",
               __tostring = function() return "fp." .. name end }
  return setmetatable({ _c = name, _fp = fp }, mt)
end

-- Adds a collection object per new collection and drops those of ledgers that went away.
local made = {}
function fp._refresh(list)
  local present = {}
  for _, name in ipairs(list) do
    present[name] = true
    if fp[name] == nil then fp[name] = makeCollection(name); made[name] = true end
  end
  for name in pairs(made) do
    if not present[name] then fp[name] = nil; made[name] = nil end
  end
end
fp._refresh(names)
fp.audit = makeCollection("audit_log")

function fp.transaction(fn) return native.transaction(fn) end
function fp.sql(sql, params) return native.sql(sql, params) end
function fp.collections() return native.collections() end
function fp.format(x, opts) return native.format(x, opts) end
-- fp._print: where fp.show prints (a plugin's fp prints through the plugin's output).
function fp.show(x, opts) (fp._print or print)(native.format(x, opts)) end
function fp.schema() return native.schema() end

-- fp.days_between: whole days from one ISO date to another, by the proleptic Gregorian
-- calendar (no time zone or clock involved), so plugins count days alike.
local month_days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function day_number(iso)
  if type(iso) ~= "string" then return nil end
  local y, m, d = iso:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
  if y == nil then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  if m < 1 or m > 12 or d < 1 or d > (m == 2 and leap and 29 or month_days[m]) then return nil end
  -- days from 1970-01-01, counting years from March so that the leap day comes last
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local year_of_era = y - era * 400
  local day_of_year = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
  return era * 146097 + year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year - 719468
end
function fp.days_between(a, b)
  local from, to = day_number(a), day_number(b)
  if from == nil or to == nil then
    error("fp.days_between: " .. tostring(from == nil and a or b) .. " is not a date (YYYY-MM-DD)", 2)
  end
  return to - from
end

-- fp.report: documents, tables and SVG charts rendered to Markdown, HTML and text.
-- Plain Lua, kept in lua/fp_report.lua beside this file, compiled by the host on first
-- use (compiling it is most of an fp's making), then a plain table.
fp.report = setmetatable({}, { __index = function(t, k)
  setmetatable(t, nil)
  for name, value in pairs(report_chunk(native.display_width)) do
    if rawget(t, name) == nil then rawset(t, name, value) end
  end
  return rawget(t, k)
end })

return fp
