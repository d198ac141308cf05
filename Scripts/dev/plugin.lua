-- A stand-in for the plugin host while it is being built: runs a bundled plugin's command,
-- or its specs, with the trusted runner. The plugin's code runs in an environment built from
-- the sandbox's allow-list (docs/plugins.md), so code that reaches for io, os.execute or
-- package fails here as it will under the real host.
--
--   FUPIN_WORKSPACE=demo fupin run Scripts/dev/plugin.lua report annual --year 2019 --format md -o y.md
--   FUPIN_WORKSPACE=demo fupin run Scripts/dev/plugin.lua test report ledgers monitoring
--
-- Files written with ctx.write_file go under $FUPIN_WORKSPACE/exports/. Specs run each `it`
-- in a savepoint that is rolled back afterwards (run them on a scratch sample workspace).
local script = arg and arg[0] or "Scripts/dev/plugin.lua"
local root = script:match("^(.*)/Scripts/dev/[^/]+$") or "."
local workspace = os.getenv("FUPIN_WORKSPACE") or "."

local function readFile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

local ROLLBACK = {}
local Fail = {}

--- Loads a plugin into a sandbox-like environment; returns its manifest and environment.
local function loadPlugin(name)
  local dir = root .. "/Plugins/" .. name
  local env = {}
  for _, k in ipairs { "print", "pairs", "ipairs", "select", "type", "tostring", "tonumber", "error",
                       "assert", "pcall", "xpcall", "next", "rawequal", "rawlen", "rawget", "rawset",
                       "setmetatable", "getmetatable", "string", "table", "math", "utf8", "coroutine" } do
    env[k] = _G[k]
  end
  env.os = { time = os.time, date = os.date, clock = os.clock }
  env.fp = fp
  env._G = env
  env.load = function(chunk, chunkname, mode, e)
    if type(chunk) ~= "string" then error("load: only text chunks in plugins", 2) end
    return load(chunk, chunkname, "t", e or env)
  end
  local loaded = {}
  env.require = function(mod)
    if loaded[mod] ~= nil then return loaded[mod] end
    local path = dir .. "/" .. mod:gsub("%.", "/") .. ".lua"
    local text = readFile(path)
    if not text then error("module '" .. mod .. "' not found in plugin " .. name, 2) end
    local fn = assert(load(text, "@" .. path, "t", env))
    local value = fn(mod)
    if value == nil then value = true end
    loaded[mod] = value
    return value
  end
  local text = assert(readFile(dir .. "/plugin.lua"), "no plugin " .. name .. " in " .. root .. "/Plugins")
  local manifest = assert(load(text, "@" .. dir .. "/plugin.lua", "t", env))()
  return manifest, env, dir
end

local function has(list, x)
  for _, v in ipairs(list or {}) do if v == x then return true end end
  return false
end

--- Parses --name value / flags against a command's declared args.
local function parseArgs(spec, argv)
  local byName, byShort, args = {}, {}, {}
  for _, a in ipairs(spec.args or {}) do
    byName[a.name] = a
    if a.short then byShort[a.short] = a end
  end
  local i = 1
  while i <= #argv do
    local word = argv[i]
    local a
    if word:sub(1, 2) == "--" then a = byName[word:sub(3):gsub("-", "_")]
    elseif word:sub(1, 1) == "-" then a = byShort[word:sub(2)] end
    if not a then error("unknown argument " .. word, 0) end
    if a.type == "bool" then
      args[a.name] = true
    else
      local v = argv[i + 1]
      if v == nil then error("missing value for " .. word, 0) end
      if a.type == "integer" or a.type == "number" or a.type == "money" or a.type == "area" then
        v = tonumber(v) or error(word .. ": not a number: " .. v, 0)
        if a.type == "integer" then v = math.tointeger(v) or error(word .. ": not an integer", 0) end
      elseif a.type == "enum" and not has(a.values, v) then
        error(word .. ": must be one of " .. table.concat(a.values, ", "), 0)
      end
      args[a.name] = v
      i = i + 1
    end
    i = i + 1
  end
  for _, a in ipairs(spec.args or {}) do
    if args[a.name] == nil and a.default ~= nil then args[a.name] = a.default end
    if args[a.name] == nil and a.required then error("--" .. a.name:gsub("_", "-") .. " is required", 0) end
  end
  return args
end

local function makeCtx(manifest, command, sink)
  local ctx = { plugin = manifest.name, command = command, operator = os.getenv("USER") or "dev" }
  function ctx.print(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    local line = table.concat(parts, "\t")
    if sink then sink[#sink + 1] = line else print(line) end
  end
  function ctx.write_file(path, text)
    if not has(manifest.permissions, "export") then error("plugin " .. manifest.name .. " has no export permission", 2) end
    if type(path) ~= "string" or path == "" or path:sub(1, 1) == "/" or path:find("%.%.") then
      error("write_file: " .. tostring(path) .. " leaves exports/", 2)
    end
    local full = workspace .. "/exports/" .. path
    local dir = full:match("^(.*)/[^/]+$")
    os.execute("mkdir -p '" .. dir:gsub("'", "") .. "'")
    local f = assert(io.open(full, "wb"))
    f:write(text)
    f:close()
    return full
  end
  function ctx.fail(message) error(setmetatable({ message = tostring(message) }, Fail), 2) end
  return ctx
end

local function runCommand(manifest, command, args, sink)
  local spec = manifest.commands and manifest.commands[command]
  if not spec then error("plugin " .. manifest.name .. " has no command " .. tostring(command), 0) end
  local ok, result = pcall(spec.run, args, makeCtx(manifest, command, sink))
  if not ok then
    if getmetatable(result) == Fail then error(result.message, 0) end
    error(result, 0)
  end
  return result
end

--- Runs the specs of one plugin; returns passed, failed.
local function runSpecs(name)
  local manifest, env, dir = loadPlugin(name)
  local passed, failed = 0, 0
  local prefix = {}
  env.describe = function(title, body)
    prefix[#prefix + 1] = title
    body()
    prefix[#prefix] = nil
  end
  env.it = function(title, body)
    local full = name .. ": " .. table.concat(prefix, " ") .. " " .. title
    local ok, err = pcall(fp.transaction, function()
      body()
      error(ROLLBACK)
    end)
    if not ok and err == ROLLBACK then
      passed = passed + 1
      print("  ok   " .. full)
    else
      failed = failed + 1
      print("  FAIL " .. full .. "\n       " .. tostring(type(err) == "table" and err.message or err))
    end
  end
  env.run = function(command, args)
    local out = {}
    local result = runCommand(manifest, command, args or {}, out)
    return result, table.concat(out, "\n")
  end
  env.expect = function(x)
    local e = {}
    local function deep(a, b)
      if type(a) ~= "table" or type(b) ~= "table" then return a == b end
      for k, v in pairs(a) do if not deep(v, b[k]) then return false end end
      for k in pairs(b) do if a[k] == nil then return false end end
      return true
    end
    function e.to_be(y) if x ~= y then error("expected " .. tostring(y) .. ", got " .. tostring(x), 2) end end
    function e.to_equal(y) if not deep(x, y) then error("values differ (deep)", 2) end end
    function e.to_be_truthy() if not x then error("expected a true value, got " .. tostring(x), 2) end end
    function e.to_be_nil() if x ~= nil then error("expected nil, got " .. tostring(x), 2) end end
    function e.to_contain(s)
      if type(x) == "string" then
        if not x:find(s, 1, true) then error("text does not contain " .. tostring(s), 2) end
      elseif not has(x, s) then error("list does not contain " .. tostring(s), 2) end
    end
    function e.to_fail(pattern)
      local ok, err = pcall(x)
      if ok then error("expected an error", 2) end
      local text = type(err) == "table" and err.message or tostring(err)
      if pattern and not text:find(pattern, 1, true) then error("error '" .. text .. "' does not mention " .. pattern, 2) end
    end
    return e
  end
  local files = {}
  local list = io.popen("ls '" .. dir .. "/tests' 2>/dev/null")
  for file in list:lines() do if file:match("_spec%.lua$") then files[#files + 1] = file end end
  list:close()
  table.sort(files)
  for _, file in ipairs(files) do
    print(name .. "/tests/" .. file)
    local path = dir .. "/tests/" .. file
    local chunk = assert(load(assert(readFile(path)), "@" .. path, "t", env))
    chunk()
  end
  return passed, failed
end

local argv = { ... }
if argv[1] == "test" then
  local total, bad = 0, 0
  for i = 2, #argv do
    local p, f = runSpecs(argv[i])
    total, bad = total + p + f, bad + f
  end
  print(string.format("%d specs, %d failed", total, bad))
  if bad > 0 then error(bad .. " spec(s) failed", 0) end
else
  local plugin, command = argv[1], argv[2]
  if not plugin or not command then
    error("usage: fupin run Scripts/dev/plugin.lua PLUGIN COMMAND [--arg value ...] | test PLUGIN...", 0)
  end
  local manifest = loadPlugin(plugin)
  local rest = { table.unpack(argv, 3) }
  local spec = manifest.commands and manifest.commands[command]
  if not spec then error("plugin " .. plugin .. " has no command " .. command, 0) end
  runCommand(manifest, command, parseArgs(spec, rest))
end
