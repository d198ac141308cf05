-- The monitoring plugin's printouts, as fp.report documents (Markdown or text).
local scan = require("lib.scan")
local M = {}
local R = fp.report
local num = R.number

local function village_name(id)
  local v = id and fp.villages:get(id)
  return v and v.name or ""
end

--- The scan's findings as a document: one row per household with findings (all with --all).
---@param result table what scan.run returned
---@param opts fp.plugin.Monitoring.ScanArgs
---@return fp.report.Document
function M.scan(result, opts)
  local doc = R.document{ title = result.year .. "年防返贫监测排查" }
  local rows, flagged, findings, factor = {}, 0, 0, opts.band
  for _, f in ipairs(result.households) do
    local h = f.household
    if not factor and f.band and f.line and f.line > 0 then factor = math.floor(f.band / f.line * 100 + 0.5) / 100 end
    if f.suggested then flagged = flagged + 1 end
    if #f.reasons > 0 then findings = findings + 1 end
    if f.suggested or #f.reasons > 0 or opts.all then
      rows[#rows + 1] = { h.head_name, village_name(h.village_id), h.status or "",
        f.has_income and num(f.per_capita, 2) or "—", f.line and num(f.line) or "—", f.band and num(f.band, 2) or "—",
        f.change and string.format("%+.1f%%", f.change * 100) or "—", f.last_visit or "从未",
        table.concat(f.reasons, "；"), f.suggested or "" }
    end
  end
  local s = doc:section("需要关注的户")
  s:paragraph(string.format("截至%s，排查%d户，%d户有风险提示，建议纳入监测%d户（监测线为贫困线的%s倍，收入下降超过%s%%、%d天以上未走访即提示）。",
    result.as_of, #result.households, findings, flagged, factor and num(factor) or "—",
    num((opts.drop or scan.defaults.drop) * 100), opts.days or scan.defaults.days))
  s:table{ columns = { "户主", "村", "脱贫状态", { label = "人均纯收入", align = "right" }, { label = "贫困线", align = "right" },
    { label = "监测线", align = "right" }, { label = "同比", align = "right" }, "最近走访", "风险提示", "建议监测类型" },
    rows = rows, empty = "（没有需要关注的户）" }
  local idle = {}
  for _, c in ipairs(result.cadres) do idle[#idle + 1] = c.name .. (c.post and ("（" .. c.post .. "）") or "") end
  doc:section("全年没有走访记录的帮扶责任人"):paragraph(#idle > 0 and table.concat(idle, "、") or "无：每位帮扶责任人都有走访记录。")
  return doc, flagged
end

--- The monitoring records matching `filter`, as a document.
---@param filter fp.MonitoringFilter
---@return fp.report.Document
---@return integer count
function M.list(filter)
  local doc = R.document{ title = "防返贫监测对象" }
  local rows = {}
  for m in fp.monitoring:where(filter):order_by("identified_date"):order_by("id"):iter() do
    local h = fp.households:get(m.household_id)
    rows[#rows + 1] = { m.id, h and h.head_name or "", h and village_name(h.village_id) or "", m.risk_type,
      m.identified_date, m.removed_date or "未消除", m.reason or "" }
  end
  doc:table{ columns = { { label = "编号", align = "right" }, "户主", "村", "监测对象类型", "识别风险日期", "风险消除日期", "风险原因" },
    rows = rows, empty = "（没有监测记录）" }
  return doc, #rows
end

--- Monitoring records by type: how many, open and removed.
---@param filter fp.MonitoringFilter
---@param label string? added to the title
---@return fp.report.Document
---@return table totals { total, open, by_type }
function M.summary(filter, label)
  local doc = R.document{ title = "防返贫监测汇总" .. (label or "") }
  local by_type = fp.monitoring:where(filter):group_by("risk_type"):count()
  local rows, total, open = {}, 0, 0
  for _, t in ipairs(fp.monitoring:fields()) do
    if t.name == "risk_type" then
      for _, value in ipairs(t.values or {}) do
        local n = by_type[value] or 0
        local o = 0
        for m in fp.monitoring:where(filter):where{ risk_type = value }:iter() do
          if m.removed_date == nil then o = o + 1 end
        end
        rows[#rows + 1] = { value, n, o, n - o }
        total, open = total + n, open + o
      end
    end
  end
  doc:table{ columns = { "监测对象类型", { label = "户数", align = "right" }, { label = "风险未消除", align = "right" },
    { label = "风险已消除", align = "right" } }, rows = rows, totals = { "合计", total, open, total - open } }
  return doc, { total = total, open = open, by_type = by_type }
end

return M
