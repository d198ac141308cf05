-- The plugin's vocabularies and the allowed status changes, as data.
local M = {}

M.TYPES = { "产业", "就业", "商贸", "公益捐赠", "智力" }
M.STATUSES = { "洽谈", "协调中", "实施中", "已完成", "搁置" }

-- 洽谈 → 协调中 → 实施中 → 已完成; any status → 搁置; 搁置 → 协调中.
M.TRANSITIONS = {
  ["洽谈"] = { "协调中", "搁置" },
  ["协调中"] = { "实施中", "搁置" },
  ["实施中"] = { "已完成", "搁置" },
  ["已完成"] = { "搁置" },
  ["搁置"] = { "协调中" },
}

--- Whether `from` may change to `to`.
---@param from string a status
---@param to string a status
---@return boolean
function M.allowed(from, to)
  for _, s in ipairs(M.TRANSITIONS[from] or {}) do
    if s == to then return true end
  end
  return false
end

return M
