-- The summary's appendices: 附件1 the main figures of the year beside the year before, with the
-- change; 附件2 the figures of each village. Both read the ledgers through the same
-- definitions as the summary (lib/definitions, the year-end status), so their numbers are the
-- summary's numbers.
local definitions = require("lib.definitions")

local M = {}
local num = fp.report.number

--- The main figures of `year` for the unit and its villages, by key.
---@param s table the summary's scope (unit, vids, households, status_at of its year)
---@param year integer
---@param status_at fun(h: table, year: integer): string?
---@return table figures
function M.indicators(s, year, status_at)
  local in_v = { "in", s.vids }
  local f = {}
  f.funds_in = fp.funds:where{ year = year, unit_id = s.unit.id, direction = "in" }:sum("amount")
  f.funds_out = fp.funds:where{ year = year, unit_id = s.unit.id, direction = "out" }:sum("amount")
  local material = definitions.material_value(year, s.vids)
  f.material_value = material.total_fen % 100 == 0 and material.total_fen // 100 or material.total_fen / 100
  f.visits = fp.visits:where{ year = year, ["household_id.village_id"] = in_v }:count()
  f.trainings = fp.trainings:where{ year = year, unit_id = s.unit.id }:count()
  f.sales_amount = fp.sales and fp.sales:where{ year = year, ["household_id.village_id"] = in_v }:sum("amount") or 0
  f.afforestation_total = fp.eco_projects:where{ year = year, unit_id = s.unit.id }:sum("completed_area")
  f.ranger_wages = fp.ranger_posts:where{ year = year, unit_id = s.unit.id }:sum("wage")
  local open = 0
  for h in fp.households:where{ village_id = in_v }:iter() do
    local st = status_at(h, year)
    if st == "未脱贫" or st == "返贫" then open = open + 1 end
  end
  f.households_open = open
  return f
end

--- The rows of 附件1, in order: label, key.
M.rows = {
  { "筹措帮扶资金（元）", "funds_in" }, { "支出帮扶资金（元）", "funds_out" },
  { "发放物资价值（元）", "material_value" }, { "入户走访（次）", "visits" }, { "技术培训（次）", "trainings" },
  { "农副产品销售金额（元）", "sales_amount" }, { "完成造林面积（亩）", "afforestation_total" },
  { "护林员工资（元）", "ranger_wages" }, { "年底未脱贫户（户）", "households_open" },
}

local function change(now, before)
  local d = now - before
  if d == 0 then return "持平" end
  local text = (d > 0 and "+" or "−") .. num(math.abs(d))
  if before ~= 0 then text = text .. string.format("（%s%.1f%%）", d > 0 and "+" or "−", math.abs(d) / before * 100) end
  return text
end

--- Adds 附件1 and 附件2 to `doc`; returns the year's indicators (the specs compare them with
--- the summary's figures).
---@param doc table an fp.report document
---@param s table the summary's scope
---@param status_at fun(h: table, year: integer): string?
---@return table indicators of the year
function M.add(doc, s, status_at)
  local now, before = M.indicators(s, s.year, status_at), M.indicators(s, s.year - 1, status_at)
  local rows = {}
  for i, r in ipairs(M.rows) do
    rows[i] = { r[1], now[r[2]], before[r[2]], change(now[r[2]], before[r[2]]) }
  end
  doc:section("附件1：" .. s.year .. "年主要指标同比"):table{
    columns = { "指标", { label = s.year .. "年", align = "right" }, { label = (s.year - 1) .. "年", align = "right" },
                { label = "增减", align = "right" } },
    rows = rows }

  local vrows = {}
  for _, v in ipairs(s.villages) do
    local households, people, open = 0, 0, 0
    for h in fp.households:where{ village_id = v.id }:iter() do
      local st = status_at(h, s.year)
      if st then
        households, people = households + 1, people + (h.size or 0)
        if st == "未脱贫" or st == "返贫" then open = open + 1 end
      end
    end
    local material = definitions.material_value(s.year, { v.id }).total_fen
    vrows[#vrows + 1] = { v.name, households, people, open,
      fp.measures:where{ year = s.year, ["household_id.village_id"] = v.id }:count(),
      material % 100 == 0 and material // 100 or material / 100,
      fp.visits:where{ year = s.year, ["household_id.village_id"] = v.id }:count(),
      fp.sales and fp.sales:where{ year = s.year, ["household_id.village_id"] = v.id }:sum("amount") or 0 }
  end
  doc:section("附件2：" .. s.year .. "年分村情况"):table{
    columns = { "村", { label = "户数", align = "right" }, { label = "人口", align = "right" },
                { label = "年底未脱贫（户）", align = "right" }, { label = "帮扶措施（项）", align = "right" },
                { label = "物资价值（元）", align = "right" }, { label = "走访（次）", align = "right" },
                { label = "销售金额（元）", align = "right" } },
    rows = vrows }
  return now
end

return M
