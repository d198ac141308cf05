-- describe / it / expect for `fupin test` (chunk "=fupin.spec").
-- Embedded in the binary at build time; see PluginSpecs.swift.
local type, tostring, error, pcall, pairs, ipairs, format, find, sort =
      type, tostring, error, pcall, pairs, ipairs, string.format, string.find, table.sort

local function show(v)
  if type(v) == "string" then return format("%q", v) end
  if type(v) ~= "table" then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  for i, k in ipairs(keys) do
    if i > 8 then parts[#parts + 1] = "..." break end
    parts[#parts + 1] = tostring(k) .. " = " .. show(v[k])
  end
  return "{ " .. table.concat(parts, ", ") .. " }"
end

local function deep(a, b, seen)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  seen = seen or {}
  if seen[a] == b then return true end
  seen[a] = b
  for k, v in pairs(a) do if not deep(v, b[k], seen) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function message_of(err)
  if type(err) == "table" and err.fupin_fail then return err.fupin_fail end
  return tostring(err)
end

local function expect(actual)
  local e = {}
  function e.to_be(expected)
    if actual ~= expected then error("expected " .. show(expected) .. ", got " .. show(actual), 2) end
  end
  function e.to_equal(expected)
    if not deep(actual, expected) then error("expected " .. show(expected) .. ", got " .. show(actual), 2) end
  end
  function e.to_be_truthy()
    if not actual then error("expected a true value, got " .. show(actual), 2) end
  end
  function e.to_be_nil()
    if actual ~= nil then error("expected nil, got " .. show(actual), 2) end
  end
  function e.to_contain(part)
    if type(actual) == "string" then
      if not find(actual, part, 1, true) then error("expected " .. show(actual) .. " to contain " .. show(part), 2) end
      return
    end
    if type(actual) == "table" then
      for _, v in pairs(actual) do if deep(v, part) then return end end
    end
    error("expected " .. show(actual) .. " to contain " .. show(part), 2)
  end
  function e.to_fail(pattern)
    if type(actual) ~= "function" then error("to_fail expects a function", 2) end
    local ok, err = pcall(actual)
    if ok then
      error("expected an error" .. (pattern and (" containing " .. show(pattern)) or "") .. ", but it succeeded", 2)
    end
    local text = message_of(err)
    if pattern and not find(text, pattern, 1, true) then
      error("expected an error containing " .. show(pattern) .. ", got " .. show(text), 2)
    end
  end
  return e
end

-- Returns the spec functions for one file and the list the cases go to.
return function()
  local cases, path = {}, {}
  local function describe(name, body)
    path[#path + 1] = tostring(name)
    body()
    path[#path] = nil
  end
  local function it(name, body)
    local full = {}
    for i, p in ipairs(path) do full[i] = p end
    full[#full + 1] = tostring(name)
    cases[#cases + 1] = { name = table.concat(full, " › "), fn = body }
  end
  return { describe = describe, it = it, expect = expect }, cases
end
