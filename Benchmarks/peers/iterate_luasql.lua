-- Peer of `fp.<table>:iter()`: Debian's lua5.4 with luasql (lua-sql-sqlite3) reading every
-- valid row of a table into a Lua table and summing a field, on the same workspace file.
-- Usage: lua5.4 iterate_luasql.lua WORKSPACE/fupin.sqlite [TABLE [FIELD]]   (default: households size)
local driver = require "luasql.sqlite3"
local tbl, field = arg[2] or "households", arg[3] or "size"
assert(tbl:match("^[%w_]+$") and field:match("^[%w_]+$"), "table and field are plain names")
local env = assert(driver.sqlite3())
local con = assert(env:connect(arg[1]))
local cur = assert(con:execute("SELECT * FROM " .. tbl .. " WHERE valid = 1"))
local row, sum, n = cur:fetch({}, "a"), 0, 0
while row do
  n = n + 1
  sum = sum + (tonumber(row[field]) or 0)
  row = cur:fetch({}, "a")
end
cur:close() con:close() env:close()
print(n, sum)
