-- luacheck over every .lua file in the tree: `make lint`.
--
-- Trusted Lua (scripts, benchmarks, the chunks embedded in the binary) is checked against
-- all of Lua 5.4. Plugin code is checked against what the plugin sandbox really offers
-- (Sources/LuaKit/lua/sandbox.lua): no io, debug, package, dofile or loadfile, string
-- without dump, os with time/date/clock only, plus the host's `fp` and `require`, so a
-- plugin that reaches for something the sandbox withholds fails here before it fails at
-- run time.

std = "lua54"
max_line_length = 120
-- Build products and scratch workspaces hold no project Lua.
exclude_files = { ".build/**", "Tests/Fuzz/.build/**", ".fupin-sample/**" }

stds.fupin_sandbox = {
  read_globals = {
    "_G", "_VERSION", "assert", "collectgarbage", "error", "getmetatable", "ipairs", "load",
    "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require",
    "select", "setmetatable", "tonumber", "tostring", "type", "xpcall",
    string = { fields = {
      "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
      "packsize", "rep", "reverse", "sub", "unpack", "upper",
    } },
    table = { fields = { "concat", "insert", "move", "pack", "remove", "sort", "unpack" } },
    math = { fields = {
      "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log",
      "max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed",
      "sin", "sqrt", "tan", "tointeger", "type", "ult",
    } },
    utf8 = { fields = { "char", "charpattern", "codepoint", "codes", "len", "offset" } },
    coroutine = { fields = {
      "close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield",
    } },
    os = { fields = { "clock", "date", "time" } },
    -- The plugin's own fp (its permissions, its view).
    "fp",
  },
}

-- Specs run in the plugin's sandbox with the spec helpers (docs/plugins.md "Specs").
stds.fupin_spec = {
  read_globals = { "describe", "it", "expect", "run", "fixture" },
}

files["Plugins"] = { std = "fupin_sandbox" }
files["Benchmarks/plugins"] = { std = "fupin_sandbox" }
files["Plugins/*/tests/*_spec.lua"] = { std = "fupin_sandbox+fupin_spec" }
-- The spec helpers are built inside a plugin's sandbox too.
files["Sources/FupinScripting/lua/plugin_specs.lua"] = { std = "fupin_sandbox" }

-- Scripts (`fupin run`) and the benchmark's script see the trusted `fp`.
files["Scripts"] = { std = "lua54", read_globals = { "fp" } }
files["Benchmarks/annual_summary.lua"] = { std = "lua54", read_globals = { "fp" } }
