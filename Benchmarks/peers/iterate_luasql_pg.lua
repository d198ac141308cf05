-- Peer of `fp.<table>:iter()` on a PostgreSQL store: Debian's lua5.4 with luasql-postgres
-- (lua-sql-postgres) reading every valid row of a table into a Lua table and summing a field.
-- Usage: lua5.4 iterate_luasql_pg.lua 'CONNINFO' [TABLE [FIELD]]   (default: households size)
-- luasql's postgres driver takes a libpq connection string as its "sourcename".
local driver = require "luasql.postgres"
local tbl, field = arg[2] or "households", arg[3] or "size"
assert(tbl:match("^[%w_]+$") and field:match("^[%w_]+$"), "table and field are plain names")
local env = assert(driver.postgres())
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
