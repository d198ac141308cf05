-- Figures shown by more than one document, defined once: the summary, the cards and the
-- register (ledgers plugin, through this plugin's exports) all read them from here.
local M = {}

--- The material handed to households of the villages in a year: value in fen per household,
--- the total in fen and the number of records. 物资价值 is what was handed out (distributions),
--- never a measure's planned funds nor a wage.
---@param year integer
---@param village_ids integer[]
---@return table figures { per_household = { [household_id] = fen }, total_fen, records }
function M.material_value(year, village_ids)
  local per, total, records = {}, 0, 0
  local rows = fp.distributions:where{ year = year, ["household_id.village_id"] = { "in", village_ids } }
  for d in rows:iter() do
    local fen = math.floor((d.value or 0) * 100 + 0.5)
    per[d.household_id] = (per[d.household_id] or 0) + fen
    total, records = total + fen, records + 1
  end
  return { per_household = per, total_fen = total, records = records }
end

return M
