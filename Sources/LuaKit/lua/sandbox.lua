-- The sandbox builder (chunk "=luakit.sandbox"): called with the globals, returns
-- build(allowed) -> env. Embedded in the binary at build time; see LuaSandbox.swift.
local G = ...
local function copy(t, except)
  local c = {}
  for k, v in G.pairs(t or {}) do if not (except and except[k]) then c[k] = v end end
  return c
end
local type, error, pairs, setmetatable, getmetatable, load =
      G.type, G.error, G.pairs, G.setmetatable, G.getmetatable, G.load
local tostring = G.tostring
local stringlib = G.string
local libs = { table = copy(G.table), math = copy(G.math), utf8 = copy(G.utf8), coroutine = copy(G.coroutine) }
local os = G.os or {}
local ostime, osdate, osclock, gc = os.time, os.date, os.clock, G.collectgarbage
local base = {}
for _, k in G.ipairs { "assert", "error", "ipairs", "next", "pairs", "pcall", "print", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall",
    "_VERSION" } do
  base[k] = G[k]
end
local dumpless = copy(stringlib, { dump = true })

-- The shared string metatable serves methods without `dump`, once and for all.
local smt = getmetatable("")
if smt and smt.__index == stringlib then smt.__index = dumpless end

local function locked(name)
  return setmetatable({}, {
    __index = function() error("the " .. name .. " cannot be read in the sandbox", 2) end,
    __newindex = function() error("the " .. name .. " cannot be changed in the sandbox", 2) end,
    __metatable = false,
  })
end
local lockedStringMeta = locked("string metatable")

local function build()
  local env = copy(base)
  env.string = copy(dumpless)
  for name, lib in pairs(libs) do env[name] = copy(lib) end
  env.os = { time = ostime, date = osdate, clock = osclock }
  env.getmetatable = function(o)
    if type(o) == "string" then return lockedStringMeta end
    return getmetatable(o)
  end
  -- No finalizers: a __gc runs whenever the collector gets to it — after the code that
  -- armed it has ended, outside its limits and its unit of work, even while the host
  -- shuts down. Lua marks an object for finalization only if its metatable has a __gc
  -- field when set, so refusing it here covers a field added later too.
  env.setmetatable = function(t, mt)
    if type(mt) == "table" and G.rawget(mt, "__gc") ~= nil then
      error("setmetatable: finalizers (__gc) are not allowed in the sandbox "
        .. "(they would run after the command ends)", 2)
    end
    return setmetatable(t, mt)
  end
  env.collectgarbage = function(opt)
    if opt == "count" then return gc("count") end
    error("collectgarbage('" .. tostring(opt) .. "') is not allowed in the sandbox", 2)
  end
  -- load(chunk, name [, mode, env]): mode and env are ignored; text only, into this env.
  env.load = function(chunk, name)
    if type(chunk) == "string" and chunk:byte(1) == 27 then
      return nil, "binary chunks are not allowed in the sandbox"
    end
    return load(chunk, name, "t", env)
  end
  env._G = env
  setmetatable(env, { __metatable = "the sandbox environment is locked" })
  return env
end
return build
