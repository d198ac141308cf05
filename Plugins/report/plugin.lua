-- The annual work summary (年度精准扶贫工作总结), written from the ledgers.
-- The command only reads its arguments and writes the result; the work is in lib/annual.lua.
-- Its ledger is the workspace's own wording (report_phrases), which overrides lib/phrases.lua
-- phrase by phrase; the documents it cites are the core documents register (fp.documents).
return {
  name = "report",
  version = "1.1.0",
  api = 1,
  title = "年度精准扶贫工作总结",
  description = "Writes a unit's annual poverty-alleviation work summary from the ledgers, "
    .. "every number with the query behind it.",
  requires = { "monitoring >= 1.0" },   -- statuses at year end and the monitoring scan, defined once there
  permissions = { "read", "export", "write:own" },

  ledgers = {
    report_phrases = {
      label = "总结措辞",
      summary = "The workspace's wording of one phrase of the summary (overrides the plugin's)",
      fields = {
        { name = "key", type = "text", required = true, unique = true, label = "措辞名",
          help = "a key of the report plugin's lib/phrases.lua, e.g. organisation.lead" },
        { name = "text", type = "text", required = true, label = "措辞",
          help = "figures by name in braces, as --explain names them: {households}, {funds_in|wan}" },
      },
    },
  },

  commands = {
    annual = {
      summary = "The annual work summary of a unit (Markdown, HTML with charts, or text)",
      args = {
        { name = "year", type = "integer", required = true, help = "the year summarised, e.g. 2019" },
        { name = "unit", type = "text", help = "the helping unit's name (default: the only unit)" },
        { name = "date", type = "date", help = "成文日期 (default: the 工作总结 of the year in documents, else 31 December)" },
        { name = "explain", type = "bool", help = "append every number with the query that produced it" },
      },
      formats = { "md", "html", "txt", "docx", "xlsx", output = "print; for docx the title .docx",
        help = "docx: a Word document laid out under GB/T 9704-2012 (needs pandoc); xlsx: its figures and tables" },
      run = function(args, ctx)
        local annual = require("lib.annual")
        local result = annual.build(args, ctx)
        if args.format == "docx" then
          local text = require("lib.docx").markdown(result)
          local path = ctx.write_file(args.output or (result.title .. ".docx"), text,
            { convert = "docx", reference = "reference.docx", images = result.images })
          ctx.print("wrote " .. path)
          return ctx.result({ figures = result.values, explain = result.figures, text = text, path = path,
                              version = result.version }, "(" .. #result.figures .. " numbers)")
        end
        if args.format == "xlsx" then
          -- the summary's figures (each with its query) and its tables, one sheet each
          local rows = {}
          for i, f in ipairs(result.figures) do
            local value = type(f.value) == "number" and f.value or require("lib.figures").show(f.value)
            rows[i] = { i, f.label, value, f.query }
          end
          local sheets = { { name = "主要数字", title = result.title .. "：主要数字", rows = rows, landscape = true,
            columns = { { label = "序号", kind = "integer" }, "数字", { label = "结果", kind = "number" },
                        { label = "查询", width = 80 } } } }
          for _, sheet in ipairs(result.document:sheets()) do sheets[#sheets + 1] = sheet end
          local path = ctx.write_xlsx(args.output or (result.title .. ".xlsx"), sheets)
          ctx.print("wrote " .. path)
          return ctx.result({ figures = result.values, explain = result.figures, path = path, version = result.version,
                              indicators = result.indicators }, "(" .. #result.figures .. " numbers)")
        end
        local text = result.document:render(args.format or "md")
        if args.output then
          ctx.print("wrote " .. ctx.write_file(args.output, text))
        else
          ctx.print(text)
        end
        -- for scripts and specs; the shell prints this one-line summary after the text
        return ctx.result({ figures = result.values, explain = result.figures, text = text,
                            version = result.version, indicators = result.indicators },
          "(" .. #result.figures .. " numbers, each from a query: --explain lists them)")
      end,
    },
  },

  exports = {
    --- The value of material handed to each household of the villages in a year, in fen
    --- (the figure 物资价值 of the summary, the cards and the register).
    material_value = function(year, village_ids)
      return require("lib.definitions").material_value(year, village_ids)
    end,
  },
}
