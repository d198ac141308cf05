-- 户有卡、村有表、镇有册: household contact and record cards, the village plan table and the
-- town register, from the core ledgers. Commands are thin; the work is in lib/cards.lua.
-- --format and -o are the host's (each command's `formats`).
local FORMATS = { "md", "html", "csv", "xlsx",
                  help = "Markdown, A4 HTML (one card per page), CSV with a BOM or an XLSX workbook laid out for A4",
                  output = "print; for xlsx COMMAND-YEAR.xlsx" }

local function common(extra)
  local args = {
    { name = "year", type = "integer", help = "the year of the plans (default: the latest year with measures)" },
    { name = "unmask", type = "bool", help = "show ID numbers and phones in full (needs the pii permission)" },
  }
  for _, a in ipairs(extra) do table.insert(args, 1, a) end
  return args
end

-- Prints (or writes) the ledger and returns it to scripts as { text, path }. The result has no
-- line of its own: the printed ledger is the whole answer (CSV on stdout must stay CSV).
local function render(args, ctx, document, csv)
  local out = require("lib.output")
  local text
  if args.format == "xlsx" then
    local header, rows = csv()
    local path = out.xlsx(args, ctx, header, rows)
    return ctx.result{ path = path }
  elseif args.format == "csv" then
    text = out.csv(csv())
  else
    text = document():render(args.format or "md")
  end
  return ctx.result{ text = text, path = out.emit(args, ctx, text) }
end

return {
  name = "ledgers",
  version = "1.0.0",
  api = 1,
  title = "帮扶台账（户有卡、村有表、镇有册）",
  description = "Household contact and record cards, village plan tables and the town register, "
    .. "as Markdown, print-ready HTML or CSV.",
  requires = { "report >= 1.1" },   -- the figures it shares with the summary are defined there
  permissions = { "read", "export", "pii" },

  commands = {
    card = {
      summary = "帮扶联系卡: the contact card of one household or of all",
      formats = FORMATS,
      args = common { { name = "household", type = "text", help = "household id or 户编号 (default: all)" } },
      run = function(args, ctx)
        local cards = require("lib.cards")
        local list, year = cards.households(args, ctx), cards.year(args, ctx)
        return render(args, ctx,
          function() return cards.contact_document(list, year, args.unmask) end,
          function() return cards.contact_csv(list, year, args.unmask) end)
      end,
    },
    ["record-card"] = {
      summary = "帮扶记录卡: dated help given to one household or to all",
      formats = FORMATS,
      args = common { { name = "household", type = "text", help = "household id or 户编号 (default: all)" } },
      run = function(args, ctx)
        local cards = require("lib.cards")
        local list = cards.households(args, ctx)
        return render(args, ctx,
          function() return cards.record_document(list, args.year) end,
          function()
            local header = { "户编号", "户主" }
            for _, c in ipairs(cards.record_columns) do header[#header + 1] = type(c) == "table" and c.label or c end
            local rows = {}
            for _, h in ipairs(list) do
              for _, r in ipairs(cards.record_rows(h, args.year)) do
                rows[#rows + 1] = { h.number, h.head_name, table.unpack(r) }
              end
            end
            return header, rows
          end)
      end,
    },
    plan = {
      summary = "帮扶联系计划表: the plan table of a village (default: every village)",
      formats = FORMATS,
      args = common { { name = "village", type = "text", help = "village id or name (default: all)" } },
      run = function(args, ctx)
        local cards = require("lib.cards")
        local villages, year = cards.villages(args, ctx), cards.year(args, ctx)
        return render(args, ctx,
          function() return cards.plan_document(villages, year) end,
          function() return cards.plan_csv(villages, year) end)
      end,
    },
    register = {
      summary = "镇有册: a town's village plan tables bound together with totals",
      formats = FORMATS,
      args = common { { name = "town", type = "text", help = "town id or name (default: all)" } },
      run = function(args, ctx)
        local cards = require("lib.cards")
        local towns, year = cards.towns(args, ctx), cards.year(args, ctx)
        return render(args, ctx,
          function() return cards.register_document(towns, year) end,
          function() return cards.register_csv(towns, year) end)
      end,
    },
  },

}
