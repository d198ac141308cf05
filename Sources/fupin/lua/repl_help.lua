-- help(x) at the REPL prompt (chunk "=fupin.help"): finds what x is in the fp API and
-- prints what FpHelp.swift says about it. Receives `describe(kind, name, detail)`, which
-- returns the text or nil, and the trusted `fp`; returns the help function.
local describe, fp = ...
local type, pairs, rawequal, rawget, getmetatable, print =
      type, pairs, rawequal, rawget, getmetatable, print

-- The name of `f` among the functions of table `t` (raw), if it is one of them.
local function nameIn(t, f)
  if type(t) ~= "table" then return nil end
  for k, v in pairs(t) do
    if rawequal(v, f) and type(k) == "string" then return k end
  end
  return nil
end

-- The methods table of a collection object.
local function methodsOf(collection)
  local mt = getmetatable(collection)
  return type(mt) == "table" and type(rawget(mt, "__index")) == "table" and rawget(mt, "__index") or nil
end

local function identify(x)
  if x == nil then return describe("overview") end
  if type(x) == "string" then return describe("name", x) end
  if rawequal(x, fp) then return describe("fp") end
  if type(x) == "table" then
    local c = rawget(x, "_c")
    if type(c) == "string" then return describe("collection", c) end
    if rawequal(x, rawget(fp, "plugins")) then return describe("plugins") end
    if rawequal(x, rawget(fp, "report")) then return describe("name", "fp.report") end
    for name, commands in pairs(rawget(fp, "plugins") or {}) do
      if rawequal(x, commands) then return describe("plugin", name) end
    end
    return nil
  end
  if type(x) ~= "function" then return nil end
  local name = nameIn(fp, x)
  if name then return describe("function", name) end
  name = nameIn(rawget(fp, "report"), x)
  if name then return describe("name", "fp.report." .. name) end
  for _, object in pairs(fp) do
    if type(object) == "table" and type(rawget(object, "_c")) == "string" then
      name = nameIn(methodsOf(object), x)
      if name then return describe("method", name, rawget(object, "_c")) end
    end
  end
  for plugin, commands in pairs(rawget(fp, "plugins") or {}) do
    name = nameIn(commands, x)
    if name then return describe("command", plugin, name) end
  end
  return nil
end

return function(x)
  print(identify(x) or "help: no help for this " .. type(x) .. " (help() says what there is)")
end
