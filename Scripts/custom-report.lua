-- An analyst's own report with fp.report: each household's income against the poverty line
-- over two years, with a chart per village, written as HTML (or Markdown / text).
--
--   fupin run --workspace demo Scripts/custom-report.lua 2019 html incomes-2019.html
--
-- Arguments: year (default 2019), format md|html|txt (default md), output file (default: print).
local year = tonumber(arg and arg[1]) or 2019
local format = arg and arg[2] or "md"
local output = arg and arg[3]

local R = fp.report
local line = fp.poverty_lines:find{ year = year }
local doc = R.document{ title = year .. "年帮扶户收入对照", subtitle = "人均纯收入与贫困线（元/人·年）" }

local intro = doc:section("说明")
local first = fp.households:first()
local sample = first and fp.households:income(first.id, year)
local factor = (sample and sample.band and sample.line) and R.number(sample.band / sample.line) or "1.5"
if line then
  intro:paragraph(year .. "年贫困线为每人" .. R.number(line.amount) .. "元；人均纯收入按家庭收入台账计算"
    .. "（总收入减生产经营支出，教育、医疗等补助不计入），监测线为贫困线的" .. factor .. "倍（工作区设置）。")
else
  intro:paragraph("贫困线台账中没有" .. year .. "年的标准，下表只列收入。")
end

for v in fp.villages:order_by("id"):iter() do
  local sec = doc:section(v.name)
  local rows, labels, last, this = {}, {}, {}, {}
  for h in fp.households:where{ village_id = v.id }:order_by("id"):iter() do
    local now, before = fp.households:income(h.id, year), fp.households:income(h.id, year - 1)
    rows[#rows + 1] = { h.head_name, h.size, before.per_capita, now.per_capita,
                        now.line and (now.above and "高于" or "低于") or "—", now.in_band and "是" or "否" }
    labels[#labels + 1] = h.head_name
    last[#last + 1], this[#this + 1] = before.per_capita, now.per_capita
  end
  sec:table{ columns = { "户主", { label = "人口", align = "right" },
                         { label = (year - 1) .. "年人均纯收入", align = "right" },
                         { label = year .. "年人均纯收入", align = "right" }, "对照贫困线", "在监测线内" },
             rows = rows, empty = "（本村没有建档立卡户）" }
  if #rows > 0 then
    sec:chart{ kind = "bar", title = v.name .. "人均纯收入（元）", labels = labels,
               series = { { name = tostring(year - 1), values = last }, { name = tostring(year), values = this } } }
  end
end

local text = doc:render(format)
if output then
  local f = assert(io.open(output, "w"))
  f:write(text)
  f:close()
  print("wrote " .. output)
else
  print(text)
end
