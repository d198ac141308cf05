-- summary and top: every figure is one fp query on fp.sales (see README, "Bundled plugins").
local C = require("lib.common")
local M = {}

local BY_LABEL = { product = "产品", household = "供货户", village = "行政村", buyer = "购买方", channel = "销售渠道", month = "月份" }

-- "300 枚；55 斤": quantities summed per unit (different units are never added together).
local function quantities(q)
  local by_unit = q:group_by("unit"):sum("quantity")
  local units = {}
  for unit in pairs(by_unit) do units[#units + 1] = unit end
  table.sort(units)
  local parts = {}
  for _, unit in ipairs(units) do
    if by_unit[unit] and by_unit[unit] ~= 0 then
      parts[#parts + 1] = C.number(by_unit[unit]) .. (unit ~= "" and (" " .. unit) or "")
    end
  end
  return table.concat(parts, "；"), by_unit
end

-- The groups of one grouping: { label, query } in the order shown.
local function groups(q, by, year)
  local list = {}
  if by == "month" then
    for m = 1, 12 do
      local from = string.format("%d-%02d-01", year, m)
      local before = m == 12 and string.format("%d-01-01", year + 1) or string.format("%d-%02d-01", year, m + 1)
      local sub = q:where{ date = { ">=", from } }:where{ date = { "<", before } }
      if sub:count() > 0 then list[#list + 1] = { label = string.format("%d-%02d", year, m), query = sub } end
    end
    return list
  end
  if by == "village" then
    -- One grouped statement through the reference (sales → households → village), so the
    -- figures stay one query each at any scale.
    local amounts = q:group_by("household_id.village_id"):sum("amount")
    for _, v in ipairs(C.keys_by_value(amounts)) do
      local village = v ~= "" and fp.villages:get(v) or nil
      list[#list + 1] = { label = village and village.name or "（未知）",
                          query = q:where{ ["household_id.village_id"] = v }, key = v }
    end
    return list
  end
  local field = by == "household" and "household_id" or by
  local amounts = q:group_by(field):sum("amount")
  local label = by == "household" and C.household_labeller() or function(k) return k == "" and "（未填）" or k end
  for _, key in ipairs(C.keys_by_value(amounts)) do
    list[#list + 1] = { label = label(key), query = q:where{ [field] = key }, key = key }
  end
  return list
end

-- One row of figures for a query.
local function figures(label, q)
  local amount = q:sum("amount")
  local households = C.count_keys(q:group_by("household_id"):count())
  local qtext, by_unit = quantities(q)
  return {
    label = label, sales = q:count(), quantity = by_unit, amount = amount, households = households,
    average = households > 0 and C.fen_round(amount / households) or nil, quantity_text = qtext,
  }
end

local function shown(row, by)
  return {
    [BY_LABEL[by]] = row.label, ["笔数"] = row.sales, ["数量"] = row.quantity_text,
    ["金额（元）"] = C.money(row.amount), ["受益户数"] = row.households,
    ["户均增收（元）"] = row.average and C.money(row.average) or "",
  }
end

--- The summary command: a year's sales grouped --by product, household, village, ...
---@param args fp.plugin.ProduceSales.SummaryArgs
---@param ctx fp.Ctx
---@return table result ctx.result { year, by, rows, total }
function M.summary(args, ctx)
  local by = args.by or "product"
  local q = fp.sales:where{ year = args.year }
  local rows, out = {}, {}
  for _, g in ipairs(groups(q, by, args.year)) do
    local row = figures(g.label, g.query)
    row.key = g.key
    rows[#rows + 1] = row
    out[#out + 1] = shown(row, by)
  end
  local total = figures("合计", q)
  out[#out + 1] = shown(total, by)
  ctx.print(string.format("%d年消费扶贫销售汇总（按%s）", args.year, BY_LABEL[by]))
  if total.sales == 0 then
    ctx.print(string.format("no sales recorded in %d", args.year))
  else
    local fields = { BY_LABEL[by], "笔数", "数量", "金额（元）", "受益户数", "户均增收（元）" }
    ctx.print(fp.format(out, { fields = fields, limit = #out, footer = false }))
  end
  return ctx.result({ year = args.year, by = by, rows = rows, total = total },
    string.format("(%d sales, %s yuan, %d households)", total.sales, C.money(total.amount), total.households))
end

--- The top command: the households that sold the most in a year.
---@param args fp.plugin.ProduceSales.TopArgs
---@param ctx fp.Ctx
---@return table result ctx.result of the rows
function M.top(args, ctx)
  local q = fp.sales:where{ year = args.year }
  local amounts = q:group_by("household_id"):sum("amount")
  local counts = q:group_by("household_id"):count()
  local keys = C.keys_by_value(amounts)
  local limit = args.limit or 10
  local rows, out = {}, {}
  for rank = 1, math.min(limit, #keys) do
    local id = keys[rank]
    local h = fp.households:get(id)
    local village = h and fp.villages:get(h.village_id)
    local products = C.keys_by_value(q:where{ household_id = id }:group_by("product"):sum("amount"))
    local row = {
      rank = rank, household_id = id, number = h and h.number, head_name = h and h.head_name,
      village = village and village.name, sales = counts[id], amount = amounts[id], products = products,
    }
    rows[#rows + 1] = row
    out[#out + 1] = {
      ["名次"] = rank, ["户编号"] = row.number, ["户主"] = row.head_name, ["行政村"] = row.village,
      ["笔数"] = row.sales, ["金额（元）"] = C.money(row.amount), ["产品（按金额）"] = table.concat(products, "、"),
    }
  end
  ctx.print(string.format("%d年消费扶贫销售额前%d户（共%d户有销售）", args.year, #rows, #keys))
  if #rows > 0 then
    local fields = { "名次", "户编号", "户主", "行政村", "笔数", "金额（元）", "产品（按金额）" }
    ctx.print(fp.format(out, { fields = fields, limit = #out, footer = false }))
  end
  return ctx.result(rows, "(" .. #rows .. (#rows == 1 and " household)" or " households)"))
end

return M
