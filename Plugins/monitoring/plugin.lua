-- 防返贫监测: scans households' income against the line (and their visits), suggests who to
-- monitor, and lists and sums up the monitoring records. The work is in lib/scan.lua.
local function print_(args, ctx, doc)
  if args.format == "xlsx" then
    local name = (ctx.command == "scan" and "monitoring-scan" or ("monitoring-" .. ctx.command))
      .. (args.year and ("-" .. args.year) or "")
    ctx.print("wrote " .. ctx.write_xlsx(args.output or (name .. ".xlsx"), doc:sheets()))
    return
  end
  local text = doc:render(args.format or "txt")
  if args.output then ctx.print("wrote " .. ctx.write_file(args.output, text)) else ctx.print(text) end
end

-- --format and -o are the host's (the command's `formats`).
local FORMATS = { "txt", "md", "html", "xlsx", help = "text, Markdown, HTML or an XLSX workbook (one sheet per table)",
                  output = "print; for xlsx monitoring-COMMAND-YEAR.xlsx" }

return {
  name = "monitoring",
  version = "1.0.0",
  api = 1,
  title = "防返贫监测",
  description = "Finds households near or below the poverty line, with falling income or without recent visits, "
    .. "and keeps the monitoring records.",
  permissions = { "read", "write", "export" },

  commands = {
    scan = {
      summary = "Scan a year's households; --apply writes monitoring records for the suggestions",
      formats = FORMATS,
      args = {
        { name = "year", type = "integer", required = true },
        { name = "band", type = "number",
          help = "monitoring line as a multiple of the poverty line (default: the workspace setting, 1.5)" },
        { name = "drop", type = "number",
          help = "flag a fall in per-capita income larger than this share (default 0.3)" },
        { name = "days", type = "integer", help = "flag households with no visit in this many days (default 90)" },
        { name = "on", type = "date", help = "the day the scan counts to (default: the year's last day)" },
        { name = "all", type = "bool", help = "list every household, not only those with findings" },
        { name = "apply", type = "bool",
          help = "write a monitoring record for each suggested household not already monitored" },
      },
      run = function(args, ctx)
        local scan, views = require("lib.scan"), require("lib.views")
        if args.band ~= nil and args.band <= 0 then ctx.fail("--band must be positive") end
        if args.drop ~= nil and (args.drop <= 0 or args.drop >= 1) then
          ctx.fail("--drop is a share between 0 and 1, e.g. 0.3")
        end
        local result = scan.run(args)
        local doc = views.scan(result, args)
        print_(args, ctx, doc)
        if args.apply then
          result.added = scan.apply(result)
          ctx.print("added " .. result.added .. (result.added == 1 and " monitoring record" or " monitoring records"))
        end
        local flagged = 0
        for _, f in ipairs(result.households) do if f.suggested then flagged = flagged + 1 end end
        return ctx.result(result, "(" .. #result.households .. " households scanned, " .. flagged .. " suggested)")
      end,
    },
    status = {
      summary = "Record a household's change of 脱贫状态 on the day it took effect (脱贫, 返贫)",
      args = {
        { name = "household", type = "ref", to = "households", required = true, positional = true,
          help = "the household (id, 户编号 or 户主姓名)" },
        { name = "to", type = "enum", values = { "未脱贫", "已脱贫（享受政策）", "已脱贫（不再享受政策）", "返贫" },
          required = true, help = "the new status" },
        { name = "date", type = "date", required = true, help = "the day it took effect (not the day it is typed)" },
        { name = "basis", type = "text", help = "what it rests on, e.g. 2019年脱贫验收" },
      },
      run = function(args, ctx) return require("lib.status").record(args, ctx) end,
    },
    list = {
      summary = "List monitoring records (of a year; --open: risk not yet removed)",
      formats = FORMATS,
      args = {
        { name = "year", type = "integer" },
        { name = "open", type = "bool", help = "only records whose risk is not removed" },
      },
      run = function(args, ctx)
        local views = require("lib.views")
        local filter = {}
        if args.year then filter.year = args.year end
        local doc, n = views.list(filter)
        if args.open then
          local rows = {}
          for m in fp.monitoring:where(filter):iter() do if m.removed_date == nil then rows[#rows + 1] = m.id end end
          filter.id = { "in", rows }
          doc, n = views.list(filter)
        end
        print_(args, ctx, doc)
        return ctx.result({ count = n }, "(" .. n .. (n == 1 and " record)" or " records)"))
      end,
    },
    summary = {
      summary = "Monitoring records by type, open and removed",
      formats = FORMATS,
      args = { { name = "year", type = "integer" } },
      run = function(args, ctx)
        local views = require("lib.views")
        local filter = {}
        if args.year then filter.year = args.year end
        local doc, totals = views.summary(filter, args.year and ("（" .. args.year .. "年）") or "")
        print_(args, ctx, doc)
        local records = totals.total == 1 and " record, " or " records, "
        return ctx.result(totals, "(" .. totals.total .. records .. totals.open .. " open)")
      end,
    },
  },

  exports = {
    --- The scan of a year (what `monitoring scan` shows): { households = { findings… }, … };
    --- opts as lib/scan's run (villages, cadres = false, suggested_only = true narrow it).
    scan = function(opts) return require("lib.scan").run(opts) end,
    --- A household's status on the last day of a year, by the day each change took effect
    --- (fp.status_changes; without one, an exit of a later year not yet counted).
    status_at = function(h, year) return require("lib.scan").status_at(h, year) end,
    --- Every valid household's status_at of a year, by id (their dated changes read once;
    --- with a list of ids, only those households; with a list of years, one table per year).
    statuses_at = function(year, ids) return require("lib.scan").statuses_at(year, ids) end,
  },
}
