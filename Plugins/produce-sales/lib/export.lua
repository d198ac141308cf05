-- export: the sales of a year as CSV for Excel (UTF-8 with a BOM, CRLF), or as XLSX (--format xlsx). The header is the
-- ledger's Chinese labels and the household is given by 户编号, so the file imports back
-- with `produce-sales import`.
local C = require("lib.common")
local M = {}

local COLUMNS = {
  { "销售日期", "date" }, { "产品", "product" }, { "户编号", "household" }, { "购买方", "buyer" },
  { "购买方类型", "buyer_type" }, { "销售渠道", "channel" }, { "数量", "quantity" }, { "单位", "unit" },
  { "单价（元）", "unit_price" }, { "金额（元）", "amount" }, { "凭证号", "voucher" }, { "经办人", "handler" },
  { "备注", "note" },
}

--- The export command.
---@param args fp.plugin.ProduceSales.ExportArgs
---@param ctx fp.Ctx
---@return table result ctx.result { path, rows, amount }
function M.export(args, ctx)
  local q = fp.sales:where{ year = args.year }:order_by("date")
  local header = {}
  for i, c in ipairs(COLUMNS) do header[i] = c[1] end
  local lines = { "\239\187\191" .. C.csv_line(header) }
  local numbers, n, total, sheet_rows = {}, 0, 0, {}
  for s in q:iter() do
    local number = numbers[s.household_id]
    if number == nil then
      local h = fp.households:get(s.household_id)
      number = h and h.number or ""
      numbers[s.household_id] = number
    end
    local cells = {}
    for i, c in ipairs(COLUMNS) do
      local f, v = c[2]
      if f == "household" then v = number
      elseif f == "unit_price" or f == "amount" then v = s[f] and string.format("%.2f", s[f])
      elseif f == "quantity" then v = s[f] and C.number(s[f])
      else v = s[f] end
      cells[i] = v
    end
    lines[#lines + 1] = C.csv_line(cells, #COLUMNS)
    local raw = {}
    for i, c in ipairs(COLUMNS) do
      local f = c[2]
      raw[i] = (f == "quantity" or f == "unit_price" or f == "amount") and s[f] or cells[i]
    end
    sheet_rows[#sheet_rows + 1] = raw
    n = n + 1
    total = total + s.amount
  end
  local path
  if args.format == "xlsx" then
    local kinds = { date = "date", quantity = "number", unit_price = "money", amount = "money" }
    local columns = {}
    for i, c in ipairs(COLUMNS) do columns[i] = { label = c[1], kind = kinds[c[2]] or "text" } end
    path = ctx.write_xlsx(args.output or string.format("消费扶贫销售台账-%d.xlsx", args.year), {
      { name = "消费扶贫销售台账", title = args.year .. "年消费扶贫销售台账", columns = columns, rows = sheet_rows,
        totals = { { "合计", nil, nil, nil, nil, nil, nil, nil, nil, C.fen_round(total) } }, landscape = true } })
  else
    path = ctx.write_file(args.output or string.format("消费扶贫销售台账-%d.csv", args.year),
                          table.concat(lines, "\r\n") .. "\r\n")
  end
  ctx.print(string.format("wrote %d sales of %d (%s元) to %s", n, args.year, C.money(total), path))
  return ctx.result({ path = path, rows = n, amount = C.fen_round(total) },
    "(" .. n .. (n == 1 and " row)" or " rows)"))
end

return M
