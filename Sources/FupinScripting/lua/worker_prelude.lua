-- The Lua side of a plugin's worker (chunk "=fp", like the prelude): fp's natives as
-- requests to the host, require, print and the command's ctx, all inside the worker's own
-- Lua state.
-- Embedded in the binary at build time; WorkerPrelude.swift documents its arguments.
local rpc, notify, support, fp_prelude, report_source, names, env, display_width = ...
local type, error, pcall, load, rawget, pack, unpack, ipairs, pairs, assert =
      type, error, pcall, load, rawget, table.pack, table.unpack, ipairs, pairs, assert
local raw_getmetatable, tostring = debug.getmetatable, tostring

-- fp's natives: each a request the host answers under this plugin's permissions and view,
-- except the display-width measure fp.report uses, which needs no host. `prefix` names the
-- view: "" the plugin's own, "fixture." a spec's fixture fp (every permission, scratch data).
local function plain(q)
  if type(q) ~= "table" then return q end
  -- A query crosses as its description only (a collection object also holds fp itself).
  return { _c = q._c, _f = q._f, _o = q._o, _l = q._l, _s = q._s, _g = q._g }
end
local function make_native(prefix)
  local native = { display_width = display_width }
  for _, name in ipairs{ "run", "get", "add", "update", "remove", "fields", "collections",
                         "sql", "income", "schema" } do
    local fn = prefix .. name
    native[name] = function(...) return rpc(fn, ...) end
  end
  local run_fn, format_fn, open_fn, next_fn = prefix .. "run", prefix .. "format", prefix .. "open", prefix .. "next"
  function native.run(q, ...) return rpc(run_fn, plain(q), ...) end
  function native.format(x, opts)
    if type(x) == "table" and rawget(x, "_c") ~= nil then x = plain(x) end
    return rpc(format_fn, x, opts)
  end
  -- iter: the host streams records in batches; the cursor itself stays in the host.
  function native.open(q) return { _h = rpc(open_fn, plain(q)), _buf = {}, _i = 1, _n = 0 } end
  function native.next(c)
    if type(c) ~= "table" or c._h == nil then error("expected an iterator", 2) end
    local i = c._i
    if i > c._n then
      if c._done then return nil end
      local batch = rpc(next_fn, c._h)
      c._buf, i, c._n = batch, 1, #batch
      if c._n == 0 then c._done = true return nil end
    end
    local buf = c._buf
    local r = buf[i]
    buf[i] = nil
    c._i = i + 1
    return r
  end
  -- fp.transaction: a savepoint in the host around a function that runs here.
  function native.transaction(fn)
    if type(fn) ~= "function" then error("fp.transaction expects a function", 2) end
    rpc("savepoint")
    local r = pack(pcall(fn))
    if r[1] then rpc("release") return unpack(r, 2, r.n) end
    rpc("rollback")
    error(r[2], 0)
  end
  return native
end

-- fp.report, compiled when a command first reaches into it (the fp prelude asks for it
-- lazily: it is most of the prelude).
local function report_chunk(width)
  return assert(load(report_source, "=fp.report", "t"))(width)
end

local fp = fp_prelude(make_native(""), names, report_chunk)
local emit = function(line) notify("print", line) end
local print = support.make_print(emit)
fp._print = print

-- require: the plugin's own modules (their source comes from the host) and copies of the
-- exports of plugins it lists in requires.
local modules, loading = {}, {}
local function require(name)
  if type(name) ~= "string" then error("require expects a module name", 2) end
  local m = modules[name]
  if m ~= nil then return m end
  if loading[name] then error("require '" .. name .. "': a module requires itself (loop)", 2) end
  local found = rpc("module", name)
  if found.source == nil then
    -- Another plugin's exports: plain data copied here; each exported function runs in a
    -- worker of its own plugin, with that plugin's permissions, when called.
    local exports = found.exports
    if type(exports) == "table" then
      for key, value in pairs(exports) do
        if type(value) == "table" and rawget(value, "fupin.function") == true then
          exports[key] = function(...) return unpack(rpc("export_call", name, key, pack(...))) end
        end
      end
    end
    modules[name] = exports
    return exports
  end
  local f, problem = load(found.source, found.chunk, "t", env)
  if not f then error(problem, 0) end
  loading[name] = true
  local ok, result = pcall(f, name)
  loading[name] = nil
  if not ok then error(result, 0) end
  if result == nil then result = true end
  modules[name] = result
  return result
end

-- Runs the command: reads the manifest, finds the command's run, calls it with the
-- arguments and a ctx. Returns the count of results, the results, and for each the text
-- ctx.result gave it (what the shell shows).
local function run_command(source, chunk, command, args, info)
  local f, problem = load(source, chunk, "t", env)
  if not f then error(problem, 0) end
  local manifest = f()
  local commands = type(manifest) == "table" and rawget(manifest, "commands")
  local entry = type(commands) == "table" and rawget(commands, command)
  local run = type(entry) == "table" and rawget(entry, "run")
  if type(run) ~= "function" then error("plugin.lua has no function commands." .. command .. ".run", 0) end
  local write_file = function(path, text, options) return rpc("write_file", path, text, options) end
  local import_csv = function(ledger, path, encoding) return rpc("import_csv", ledger, path, encoding) end
  local ctx = support.make_ctx(info, emit, write_file, import_csv)
  ctx.write_xlsx = function(path, sheets) return rpc("write_xlsx", path, sheets) end
  local results = pack(run(args, ctx))
  local shown = {}
  for i = 1, results.n do
    local mt = type(results[i]) == "table" and raw_getmetatable(results[i])
    if type(mt) == "table" and rawget(mt, "__tostring") ~= nil then shown[i] = tostring(results[i]) end
  end
  return results, shown
end

-- Reads the manifest: what plugin.lua returns (the host keeps its shape, not its functions).
local function read_manifest(source, chunk)
  local f, problem = load(source, chunk, "t", env)
  if not f then error(problem, 0) end
  return (f())
end

-- Calls the function `key` of the plugin's exports (for another plugin's worker, through the
-- host): returns its results as a list with their count in n.
local function call_export(source, chunk, key, args)
  local manifest = read_manifest(source, chunk)
  local exports = type(manifest) == "table" and rawget(manifest, "exports")
  local f = type(exports) == "table" and rawget(exports, key)
  if type(f) ~= "function" then error("exports." .. tostring(key) .. " is not a function", 0) end
  return pack(f(unpack(args, 1, args.n)))
end

-- A spec file (`fupin test`): loaded into this plugin's environment with a fixture fp, the
-- plugin's commands as run(name, args) (each in a worker of its own, through the host) and
-- describe / it / expect from `spec_library`. Returns the names of its cases; run_case(i)
-- then runs one (the host opens and rolls back a unit of work around each).
local cases
local function load_spec(source, chunk, spec_library)
  local api, list = spec_library()
  rawset(env, "fixture", fp_prelude(make_native("fixture."), names, report_chunk))
  -- The result keeps the text the shell shows for it (ctx.result), as in-process.
  rawset(env, "run", function(command, args)
    local result, printed, shown = rpc("spec_run", command, args)
    if shown ~= nil and type(result) == "table" then
      setmetatable(result, { __tostring = function() return shown end })
    end
    return result, printed
  end)
  -- What a spec prints is not part of `fupin test`'s output.
  rawset(env, "print", function() end)
  for _, key in ipairs{ "describe", "it", "expect" } do rawset(env, key, api[key]) end
  local f, problem = load(source, chunk, "t", env)
  if not f then error(problem, 0) end
  f()
  cases = {}
  local shown = {}
  for _, entry in ipairs(list) do
    if type(entry.fn) == "function" then
      cases[#cases + 1] = entry.fn
      shown[#shown + 1] = entry.name
    end
  end
  return shown
end

local function run_case(i)
  local fn = cases and cases[i]
  if fn == nil then error("no case " .. tostring(i), 0) end
  fn()
end

return { fp = fp, print = print, require = require, run_command = run_command, read_manifest = read_manifest,
         call_export = call_export, load_spec = load_spec, run_case = run_case }
