-- A first analyst script: the year at a glance, from the ledgers.
--   fupin run Scripts/example.lua 2019
-- A trusted script is one unit of work; this one only reads.
local year = tonumber(arg and arg[1]) or 2019

print(("%d年概况"):format(year))
print(("  帮扶村 %d 个，贫困户 %d 户（国家标准 %d 户），%d 人"):format(
  fp.villages:count(), fp.households:count(),
  fp.households:where{ standard = "国家" }:count(), fp.members:count()))

-- Several figures in one statement.
local funds = fp.funds:where{ year = year, direction = "in" }:aggregate{ n = "count", amount = { "sum", "amount" } }
print(("  筹措资金 %d 笔，%.2f 元"):format(funds.n, funds.amount))

-- Material per village: grouping through the reference household_id → village.
local perVillage = fp.distributions:where{ year = year }:group_by("household_id.village_id"):sum("value")
for id, value in pairs(perVillage) do
  local village = fp.villages:get(id)
  print(("  %s：物资价值 %.2f 元"):format(village and village.name or "?", value))
end

-- Households of one village, through the same reference in a filter.
local visits = fp.visits:where{ year = year, ["household_id.village_id"] = 1 }:count()
print(("  %s 走访 %d 次"):format(fp.villages:get(1) and fp.villages:get(1).name or "村1", visits))

if fp.sales then
  local sales = fp.sales:where{ year = year }:aggregate{ n = "count", amount = { "sum", "amount" } }
  print(("  消费扶贫销售 %d 笔，%.2f 元"):format(sales.n, sales.amount))
end
