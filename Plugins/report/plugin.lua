-- The annual work summary (年度精准扶贫工作总结), written from the ledgers.
-- The command only reads its arguments and writes the result; the work is in lib/annual.lua.
return {
  name = "report",
  version = "1.0.0",
  api = 1,
  title = "年度精准扶贫工作总结",
  description = "Writes a unit's annual poverty-alleviation work summary from the ledgers, "
    .. "every number with the query behind it.",
  permissions = { "read", "export" },

  commands = {
    annual = {
      summary = "The annual work summary of a unit (Markdown, HTML with charts, or text)",
      args = {
        { name = "year", type = "integer", required = true, help = "the year summarised, e.g. 2019" },
        { name = "unit", type = "text", help = "the helping unit's name (default: the only unit)" },
        { name = "format", type = "enum", values = { "md", "html", "txt" }, default = "md" },
        { name = "output", short = "o", type = "path",
          help = "file to write (a bare name goes under exports/; default: print)" },
        { name = "explain", type = "bool", help = "append every number with the query that produced it" },
      },
      run = function(args, ctx)
        local annual = require("lib.annual")
        local result = annual.build(args, ctx)
        local text = result.document:render(args.format or "md")
        if args.output then
          ctx.print("wrote " .. ctx.write_file(args.output, text))
        else
          ctx.print(text)
        end
        -- for scripts and specs; the shell prints this one-line summary after the text
        return ctx.result({ figures = result.values, explain = result.figures, text = text },
          "(" .. #result.figures .. " numbers, each from a query: --explain lists them)")
      end,
    },
  },
}
