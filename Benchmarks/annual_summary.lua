-- The figures of a unit's annual work summary, computed with `fp` queries (each one SQL statement).
-- Written as a stand-in for the annual report plugin before it existed; it stays as the
-- like-for-like benchmark against the same figures as hand-written SQL (annual_summary.sql).
-- The plugin itself (`fupin report annual --year 2019 --unit 林业局`) is timed beside it.
--
-- Usage: fupin run Benchmarks/annual_summary.lua YEAR UNIT_ID --workspace DIR
-- Prints one line per figure, "key<TAB>value", money and areas in integer fen / hundredths,
-- sorted, so the output can be compared with the SQL peer's.
-- Written as an analyst would: each ledger is filtered in SQL (one statement per query) and read
-- once — a count is the sum of its groups, several figures of the same rows come from one
-- `aggregate`, and the unit's households are reached through their village reference.
local year, unit = tonumber(arg[1]) or 2019, tonumber(arg[2]) or 1
local out = {}
local function put(key, value) out[#out + 1] = key .. "\t" .. value end
local function hundredths(x) return string.format("%d", math.floor(x * 100 + 0.5)) end
local function put_groups(prefix, t, scale)
  for k, v in pairs(t) do put(prefix .. k, scale and hundredths(v) or string.format("%d", v)) end
end

-- villages and households helped by the unit
local village_ids = {}
for v in fp.villages:where{ unit_id = unit }:iter() do village_ids[#village_ids + 1] = v.id end
local households = fp.households:where{ village_id = { "in", village_ids } }
put("villages", #village_ids)
local by_status, n_households = households:group_by("status"):count(), 0
for _, n in pairs(by_status) do n_households = n_households + n end
put("households", n_households)
put_groups("households_by_status.", by_status)

-- funds in and out, by source
local funds = fp.funds:where{ unit_id = unit, year = year }
put_groups("funds_in.", funds:where{ direction = "in" }:group_by("source"):sum("amount"), true)
put_groups("funds_out.", funds:where{ direction = "out" }:group_by("source"):sum("amount"), true)

-- distributions in the unit's villages, by item (quantity and value)
local quantity, value = {}, {}
local by_item = fp.distributions:where{ village_id = { "in", village_ids }, year = year }
  :group_by("item"):aggregate{ quantity = { "sum", "quantity" }, value = { "sum", "value" } }
for item, f in pairs(by_item) do quantity[item], value[item] = f.quantity, f.value end
put_groups("distributions_quantity.", quantity)
put_groups("distributions_value.", value, true)

-- produce sold for the unit's households, by product (the produce-sales plugin's ledger;
-- through fp.sql until that plugin registers fp.sales)
if fp.sales then
  -- through the reference: the sales of households of the unit's villages
  put_groups("sales.", fp.sales:where{ ["household_id.village_id"] = { "in", village_ids }, year = year }
    :group_by("product"):sum("amount"), true)
else
  local rows = fp.sql([[SELECT product, SUM(amount) AS amount FROM sales
    WHERE household_id IN (SELECT id FROM households WHERE valid = 1 AND village_id IN
      (SELECT id FROM villages WHERE unit_id = ? AND valid = 1))
    AND valid = 1 AND date >= ? AND date < ? GROUP BY product]],
    { unit, string.format("%d-01-01", year), string.format("%d-01-01", year + 1) })
  for _, r in ipairs(rows) do put("sales." .. r.product, string.format("%d", r.amount)) end
end

-- eco projects: planned and completed areas
local projects, planned, completed = 0, 0, 0
for e in fp.eco_projects:where{ unit_id = unit, year = year }:iter() do
  projects, planned, completed = projects + 1, planned + (e.planned_area or 0), completed + (e.completed_area or 0)
end
put("eco_projects", projects)
put("eco_planned_area", hundredths(planned))
put("eco_completed_area", hundredths(completed))

-- ranger posts and their wages
local rangers, wages = 0, 0
for r in fp.ranger_posts:where{ unit_id = unit, year = year }:iter() do rangers, wages = rangers + 1, wages + r.wage end
put("rangers", rangers)
put("ranger_wages", hundredths(wages))

-- trainings and their attendees
local training_ids = {}
for t in fp.trainings:where{ unit_id = unit, year = year }:iter() do training_ids[#training_ids + 1] = t.id end
put("trainings", #training_ids)
put("training_attendees", fp.training_attendees:where{ training_id = { "in", training_ids } }:count())

-- visits by the unit's cadres
local cadre_ids = {}
for c in fp.cadres:where{ unit_id = unit }:iter() do cadre_ids[#cadre_ids + 1] = c.id end
local by_mode, n_visits = fp.visits:where{ cadre_id = { "in", cadre_ids }, year = year }:group_by("mode"):count(), 0
for _, n in pairs(by_mode) do n_visits = n_visits + n end
put("visits", n_visits)
put_groups("visits_by_mode.", by_mode)

table.sort(out)
print(table.concat(out, "\n"))
