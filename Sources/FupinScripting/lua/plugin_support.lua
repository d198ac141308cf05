-- Helpers the plugin host builds plugin objects with (chunk "=fupin.plugins").
-- Embedded in the binary at build time; see PluginSupport.swift.
local setmetatable, tostring, select, error, type, concat, ipairs, pairs =
      setmetatable, tostring, select, error, type, table.concat, ipairs, pairs
local support = {}

-- print for a plugin: its line goes to the host's output (a spec captures it).
function support.make_print(emit)
  return function(...)
    local n = select("#", ...)
    local parts = {}
    for i = 1, n do parts[i] = tostring((select(i, ...))) end
    emit(concat(parts, "\t"))
  end
end

-- What a plugin hands another through `exports`, as a copy: tables copied deeply (raw
-- reads, no metatables, cycles kept), functions wrapped so their results are copies too.
-- The requiring plugin can change its copy, never the exporter's tables.
local rawget, next, pack, unpack = rawget, next, table.pack, table.unpack
local function copy(v, seen)
  local t = type(v)
  if t == "function" then
    return function(...)
      local r = pack(v(...))
      for i = 1, r.n do r[i] = copy(r[i], {}) end
      return unpack(r, 1, r.n)
    end
  end
  if t ~= "table" then return v end
  if seen[v] then return seen[v] end
  local c = {}
  seen[v] = c
  for k, x in next, v do c[copy(k, seen)] = copy(x, seen) end
  return c
end
function support.copy_exports(value) return copy(value, {}) end

-- What a command returns, as plain data for its caller: tables copied (raw reads, cycles
-- kept) without the plugin's metatables, so none of its metamethods runs once the command
-- has ended; the host's own metatables (records, ctx.result's text) stay. Functions and
-- coroutines would run the plugin's code outside its limits and its unit: a function
-- becomes one that says so, a coroutine nil.
local getmt = debug and debug.getmetatable
local function plain(v, seen, name)
  local t = type(v)
  if t == "function" then
    return function()
      error("a function returned by plugin " .. name .. " cannot be called once its command has ended", 2)
    end
  end
  if t == "thread" or t == "userdata" then return nil end
  if t ~= "table" then return v end
  if seen[v] then return seen[v] end
  local c = {}
  seen[v] = c
  for k, x in next, v do
    local key = plain(k, seen, name)
    if key ~= nil then c[key] = plain(x, seen, name) end
  end
  local mt = getmt and getmt(v)
  if type(mt) == "table" and (rawget(mt, "__fp_collection") ~= nil or rawget(mt, "__fp_result") == true) then
    setmetatable(c, mt)
  end
  return c
end
function support.plain_results(name, ...)
  local r = pack(...)
  local seen = {}
  for i = 1, r.n do r[i] = plain(r[i], seen, name) end
  return unpack(r, 1, r.n)
end

-- A stand-in for another plugin's exports, resolved on first use (plugins load in
-- dependency order only after every manifest has been read). Each read is a copy.
function support.make_proxy(name, get)
  return setmetatable({}, {
    __index = function(_, k) return copy(rawget(get(), k), {}) end,
    __newindex = function() error("the exports of " .. name .. " are read-only", 2) end,
    __metatable = false,
  })
end

-- The ctx a command receives.
function support.make_ctx(info, emit, write_file, import_csv)
  local ctx = {}
  for k, v in pairs(info) do ctx[k] = v end
  ctx.print = support.make_print(emit)
  -- A file that cannot be written (missing or read-only folder) is the user's error.
  ctx.write_file = function(path, text, options)
    local written, problem = write_file(path, text, options)
    if written == nil then error({ fupin_fail = problem }, 2) end
    return written
  end
  ctx.fail = function(message)
    error({ fupin_fail = tostring(message) }, 2)
  end
  -- What a command returns to scripts, shown by the shell and the REPL as one line `text`
  -- (the command has printed its output already). Without `text` the shell adds nothing:
  -- for a command whose printed output is the whole answer, such as CSV on stdout that a
  -- trailing line would spoil. A record is copied into a plain table.
  ctx.result = function(value, text)
    if type(value) ~= "table" then error("ctx.result: a table is required (got " .. type(value) .. ")", 2) end
    if getmetatable(value) ~= nil then
      local fields = {}
      for k, v in pairs(value) do fields[k] = v end
      value = fields
    end
    local shown = text == nil and "" or tostring(text)
    return setmetatable(value, { __tostring = function() return shown end, __fp_result = true })
  end
  -- A refused file is the user's error: its rows and columns, no traceback.
  ctx.import_csv = function(ledger, path, encoding)
    local report, problems = import_csv(ledger, path, encoding)
    if report == nil then error({ fupin_fail = problems }, 2) end
    return report
  end
  return ctx
end

-- fp.plugins for trusted code: fp.plugins["produce-sales"].record{ ... }. A plain table of
-- the enabled plugins (so pairs() lists them and the REPL completes them); a disabled one
-- says why.
function support.make_plugins(enabled, commands_of, invoke)
  local plugins = {}
  for _, entry in ipairs(enabled) do
    local name = entry[1]
    local obj = {}
    for _, c in ipairs(entry[2]) do
        local f = function(args, ...)
          if select("#", ...) > 0 or (args ~= nil and type(args) ~= "table") then
            error("call a plugin command with one table: fp.plugins[\"" .. name .. "\"]." .. c .. "{ ... }", 2)
          end
          return invoke(name, c, args or {})
        end
        obj[c] = f
        obj[(c:gsub("-", "_"))] = f
    end
    plugins[name] = setmetatable(obj, { __index = function(_, k)
      error("plugin " .. name .. " has no command '" .. tostring(k) .. "'", 2)
    end })
  end
  return setmetatable(plugins, {
    __index = function(_, name) return commands_of(name) end,
    __newindex = function() error("fp.plugins is read-only", 2) end,
  })
end

return support
