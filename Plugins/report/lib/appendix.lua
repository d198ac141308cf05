-- The summary's appendices: 附件1 the main figures of the year beside the year before, with the
-- change; 附件2 the figures of each village. Both read the ledgers with the summary's filters,
-- its material value (lib/definitions' sum of the distributions' fen) and its year-end status,
-- so their numbers are the summary's numbers.

local M = {}
local num = fp.report.number

-- Fen from a sum fp gives in yuan (exact: the database summed integer fen).
local function fen(yuan) return math.floor(yuan * 100 + 0.5) end

-- Yuan from fen, as fp gives money: an integer when whole.
local function yuan(f) return f % 100 == 0 and f // 100 or f / 100 end

-- The valid households of the villages (the appendix's tables count them), read once.
local function village_households(s)
  if s.village_households == nil then
    s.village_households = fp.households:where{ village_id = { "in", s.vids } }:list()
  end
  return s.village_households
end

--- The figures of each village in the summary's year, by village id (households, people and
--- open at the year's end; measures, material in fen, visits, sales in fen). Measures, visits
--- and material come from the summary's own passes by household (its measure_households and
--- visited_households figures, the material pass), sales from one query by household; each
--- household is put in its village — every household of the villages, as
--- `household_id.village_id` reaches them, valid or not.
---@return table by_village
function M.villages(s, status_at)
  local in_v = { "in", s.vids }
  local by, village_of = {}, {}
  for _, v in ipairs(s.villages) do
    by[v.id] = { households = 0, people = 0, open = 0, measures = 0, material = 0, visits = 0, sales = 0 }
  end
  for _, h in ipairs(village_households(s)) do
    village_of[h.id] = h.village_id
    local st, t = status_at(h, s.year), by[h.village_id]
    if st and t then
      t.households, t.people = t.households + 1, t.people + (h.size or 0)
      if st == "未脱贫" or st == "返贫" then t.open = t.open + 1 end
    end
  end
  for h in fp.households:where{ village_id = in_v, valid = false }:iter() do village_of[h.id] = h.village_id end
  local function add(field, per_household, as_fen)
    for id, x in pairs(per_household or {}) do
      local t = by[village_of[id]]
      if t then t[field] = t[field] + (as_fen and fen(x) or x) end
    end
  end
  add("measures", s.F.values["measure_households"])
  add("visits", s.F.values["visited_households"])
  add("material", s.material_fen)
  if fp.sales then
    local sales = fp.sales:where{ year = s.year, ["household_id.village_id"] = in_v }
    add("sales", sales:group_by("household_id"):sum("amount"), true)
  end
  return by
end

--- The main figures of `year` for the unit and its villages, by key. `villages` (what
--- M.villages gave for the same year) supplies the sums over villages instead of a query.
---@param s table the summary's scope (unit, vids, households, status_at of its year)
---@param year integer
---@param status_at fun(h: table, year: integer): string?
---@param villages? table
---@return table figures
function M.indicators(s, year, status_at, villages)
  local in_v = { "in", s.vids }
  local f = {}
  f.funds_in = fp.funds:where{ year = year, unit_id = s.unit.id, direction = "in" }:sum("amount")
  f.funds_out = fp.funds:where{ year = year, unit_id = s.unit.id, direction = "out" }:sum("amount")
  if villages then
    local material, visits, sales = 0, 0, 0
    for _, t in pairs(villages) do
      material, visits, sales = material + t.material, visits + t.visits, sales + t.sales
    end
    f.material_value, f.visits, f.sales_amount = yuan(material), visits, yuan(sales)
  else
    -- lib/definitions' material_value in one sum (the rows hold integer fen)
    f.material_value = fp.distributions:where{ year = year, ["household_id.village_id"] = in_v }:sum("value")
    f.visits = fp.visits:where{ year = year, ["household_id.village_id"] = in_v }:count()
    f.sales_amount = fp.sales and fp.sales:where{ year = year, ["household_id.village_id"] = in_v }:sum("amount") or 0
  end
  f.trainings = fp.trainings:where{ year = year, unit_id = s.unit.id }:count()
  f.afforestation_total = fp.eco_projects:where{ year = year, unit_id = s.unit.id }:sum("completed_area")
  f.ranger_wages = fp.ranger_posts:where{ year = year, unit_id = s.unit.id }:sum("wage")
  local open = 0
  for _, h in ipairs(village_households(s)) do
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
  local villages = M.villages(s, status_at)
  local now, before = M.indicators(s, s.year, status_at, villages), M.indicators(s, s.year - 1, status_at)
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
    local t = villages[v.id]
    vrows[#vrows + 1] = { v.name, t.households, t.people, t.open, t.measures, yuan(t.material), t.visits,
                          yuan(t.sales) }
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
