-- fp.report (chunk "=fp.report"): documents rendered to Markdown, HTML and text.
-- Embedded in the binary at build time; FpReport.swift documents it.
-- The host's display-width measure (FpReport.widthNative).
local display_width = ...
local string, table, math = string, table, math
local type, tostring, tonumber, ipairs, error, setmetatable =
      type, tostring, tonumber, ipairs, error, setmetatable

local R = {}

-- Text helpers -----------------------------------------------------------------------------

--- HTML/XML escaping of text and attribute values.
function R.escape(s)
  s = tostring(s == nil and "" or s)
  return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                 ['"'] = "&quot;", ["'"] = "&#39;" }))
end

--- 10050 -> "10,050"; 1234.5 with 2 decimals -> "1,234.50". Integers keep no decimals
--- unless `decimals` is given; other numbers get at most 2, trailing zeros trimmed.
function R.number(x, decimals)
  if x == nil then return "" end
  x = tonumber(x)
  if x == nil then return "" end
  local text
  if decimals then
    text = string.format("%." .. decimals .. "f", x)
  elseif math.type(x) == "integer" or x == math.floor(x) then
    text = string.format("%d", math.floor(x + 0.0))
  else
    text = string.format("%.2f", x):gsub("0+$", ""):gsub("%.$", "")
  end
  local sign, int, frac = text:match("^(%-?)(%d+)(.*)$")
  if not int then return text end
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return sign .. int .. frac
end

--- Yuan as 万元 with up to `decimals` (default 2) decimals, trailing zeros trimmed: 13800 -> "1.38".
function R.wan(yuan, decimals)
  local d = decimals or 2
  local text = string.format("%." .. d .. "f", (tonumber(yuan) or 0) / 10000)
  if text:find("%.") then text = text:gsub("0+$", ""):gsub("%.$", "") end
  return text
end

--- Display width in terminal columns, measured by the host (DisplayWidth): CJK, full-width
--- characters and most emoji count 2, combining marks 0.
function R.width(s)
  return display_width(tostring(s == nil and "" or s))
end

--- Pads to a display width; align "right" pads on the left.
function R.pad(s, width, align)
  s = tostring(s == nil and "" or s)
  local gap = width - R.width(s)
  if gap <= 0 then return s end
  if align == "right" then return string.rep(" ", gap) .. s end
  return s .. string.rep(" ", gap)
end

local function cell(v)
  if v == nil then return "" end
  if type(v) == "number" then return R.number(v) end
  if type(v) == "boolean" then return v and "是" or "否" end
  return tostring(v)
end

-- Charts -----------------------------------------------------------------------------------

local PALETTE = { "#2f6f9f", "#d9822b", "#3c9d5d", "#b8474e", "#7b5ea7", "#8c6d46", "#c65b9b", "#6b7b8c" }
local FONT = 'font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"'

local function f1(x) return string.format("%.1f", x) end

-- Normalises a chart spec into { kind, title, unit, labels = {...}, series = { {name, values} } }.
local function normalise(spec)
  if type(spec) ~= "table" then error("fp.report chart: expects a table such as { kind = 'bar', data = {...} }", 3) end
  local kind = spec.kind or spec.type or "bar"
  if kind ~= "bar" and kind ~= "line" and kind ~= "pie" then
    error("fp.report chart: kind must be 'bar', 'line' or 'pie', not " .. tostring(kind), 3)
  end
  local labels, series = {}, {}
  if spec.series then
    for i, l in ipairs(spec.labels or {}) do labels[i] = tostring(l) end
    for i, s in ipairs(spec.series) do
      local values = {}
      for j, v in ipairs(s.values or {}) do values[j] = tonumber(v) or 0 end
      series[i] = { name = tostring(s.name or ("系列" .. i)), values = values }
    end
  else
    local values = {}
    if spec.data then
      for i, pair in ipairs(spec.data) do
        labels[i] = tostring(pair[1] or pair.label)
        values[i] = tonumber(pair[2] or pair.value) or 0
      end
    else
      for i, l in ipairs(spec.labels or {}) do labels[i] = tostring(l) end
      for i, v in ipairs(spec.values or {}) do values[i] = tonumber(v) or 0 end
    end
    series[1] = { name = tostring(spec.series_name or spec.unit or ""), values = values }
  end
  for _, s in ipairs(series) do
    for i = 1, #labels do if s.values[i] == nil then s.values[i] = 0 end end
  end
  return { kind = kind, title = spec.title and tostring(spec.title) or nil, unit = spec.unit,
           labels = labels, series = series, width = spec.width or 560 }
end

local function maxValue(c)
  local m = 0
  for _, s in ipairs(c.series) do for _, v in ipairs(s.values) do if v > m then m = v end end end
  return m
end

local SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart" width="%d" height="%d"'
  .. ' viewBox="0 0 %d %d" role="img" %s font-size="12">'
local TITLE = '<text x="%d" y="20" text-anchor="middle" font-size="14" font-weight="bold">%s</text>'
-- A legend entry: a colour square of side %d, then the text.
local SWATCH = '<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/><text x="%d" y="%d">%s</text>'

local function svgOpen(w, h, title)
  local out = { string.format(SVG_OPEN, w, h, w, h, FONT) }
  if title then
    out[#out + 1] = "<title>" .. R.escape(title) .. "</title>"
    out[#out + 1] = string.format(TITLE, w // 2, R.escape(title))
  end
  return out
end

local function emptyChart(out, w, h)
  out[#out + 1] = string.format('<text x="%d" y="%d" text-anchor="middle" fill="#666">无数据</text>', w // 2, h // 2)
end

-- Horizontal bars: labels on the left (Chinese labels stay readable), values at the bar ends.
local function barSVG(c)
  local n, nseries = #c.labels, #c.series
  local barH = nseries > 1 and 14 or 20
  local rowH = barH * nseries + 10
  local top, w = c.title and 34 or 12, c.width
  local legendH = nseries > 1 and 22 or 0
  local h = top + math.max(n, 1) * rowH + 12 + legendH
  local out = svgOpen(w, h, c.title)
  if n == 0 then emptyChart(out, w, h); out[#out + 1] = "</svg>"; return table.concat(out, "\n") end
  local labelW = 12
  for _, l in ipairs(c.labels) do labelW = math.max(labelW, R.width(l) * 7 + 12) end
  labelW = math.min(labelW, w // 3)
  local x0, valueW = labelW, 90
  local plotW = w - x0 - valueW
  local m = maxValue(c)
  out[#out + 1] = string.format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>',
    x0, top - 4, x0, top + n * rowH)
  for i, label in ipairs(c.labels) do
    local y = top + (i - 1) * rowH
    out[#out + 1] = string.format('<text x="%d" y="%s" text-anchor="end">%s</text>',
      x0 - 6, f1(y + rowH / 2 + 4), R.escape(label))
    for j, s in ipairs(c.series) do
      local v = s.values[i]
      local bw = m > 0 and plotW * v / m or 0
      local by = y + 5 + (j - 1) * barH
      out[#out + 1] = string.format('<rect x="%d" y="%s" width="%s" height="%d" fill="%s"><title>%s</title></rect>',
        x0, f1(by), f1(math.max(bw, 0)), barH - 2, PALETTE[(j - 1) % #PALETTE + 1],
        R.escape(label .. "：" .. R.number(v)))
      out[#out + 1] = string.format('<text x="%s" y="%s" fill="#333">%s</text>', f1(x0 + bw + 4), f1(by + barH - 5),
        R.escape(R.number(v) .. (c.unit and nseries == 1 and (" " .. c.unit) or "")))
    end
  end
  if nseries > 1 then
    local lx, ly = x0, h - 10
    for j, s in ipairs(c.series) do
      out[#out + 1] = string.format(SWATCH, lx, ly - 9, 10, 10, PALETTE[(j - 1) % #PALETTE + 1], lx + 14, ly,
        R.escape(s.name))
      lx = lx + 24 + R.width(s.name) * 7
    end
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n")
end

local function lineSVG(c)
  local w, h = c.width, 300
  local top = c.title and 40 or 16
  local left, right, bottom = 64, 20, 48
  local out = svgOpen(w, h, c.title)
  local n = #c.labels
  if n == 0 then emptyChart(out, w, h); out[#out + 1] = "</svg>"; return table.concat(out, "\n") end
  local m = maxValue(c)
  if m <= 0 then m = 1 end
  local plotW, plotH = w - left - right, h - top - bottom
  local function px(i) return left + (n == 1 and plotW / 2 or plotW * (i - 1) / (n - 1)) end
  local function py(v) return top + plotH - plotH * v / m end
  for k = 0, 4 do
    local v = m * k / 4
    local y = py(v)
    out[#out + 1] = string.format('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#ddd"/>',
      left, f1(y), w - right, f1(y))
    out[#out + 1] = string.format('<text x="%d" y="%s" text-anchor="end" fill="#555">%s</text>',
      left - 6, f1(y + 4), R.number(math.floor(v + 0.5)))
  end
  out[#out + 1] = string.format('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>',
    left, top + plotH, w - right, top + plotH)
  for i, label in ipairs(c.labels) do
    out[#out + 1] = string.format('<text x="%s" y="%d" text-anchor="middle">%s</text>',
      f1(px(i)), top + plotH + 18, R.escape(label))
  end
  for j, s in ipairs(c.series) do
    local color, points = PALETTE[(j - 1) % #PALETTE + 1], {}
    for i = 1, n do points[#points + 1] = f1(px(i)) .. "," .. f1(py(s.values[i])) end
    out[#out + 1] = string.format('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>',
      color, table.concat(points, " "))
    for i = 1, n do
      out[#out + 1] = string.format('<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>',
        f1(px(i)), f1(py(s.values[i])), color, R.escape(c.labels[i] .. "：" .. R.number(s.values[i])))
    end
    if #c.series > 1 or s.name ~= "" then
      local lx = left + (j - 1) * 120
      out[#out + 1] = string.format(SWATCH, lx, h - 16, 10, 10, color, lx + 14, h - 7, R.escape(s.name))
    end
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n")
end

local function pieSVG(c)
  local values, labels = c.series[1].values, c.labels
  local n = #labels
  local legendRows = math.max(n, 1)
  local top = c.title and 34 or 10
  local r = 90
  local w = c.width
  local h = math.max(top + 2 * r + 20, top + legendRows * 20 + 20)
  local cx, cy = 20 + r, top + r + 6
  local out = svgOpen(w, h, c.title)
  local total = 0
  for _, v in ipairs(values) do if v > 0 then total = total + v end end
  if total <= 0 then emptyChart(out, w, h); out[#out + 1] = "</svg>"; return table.concat(out, "\n") end
  local angle = -math.pi / 2
  for i, label in ipairs(labels) do
    local v = math.max(values[i], 0)
    local color = PALETTE[(i - 1) % #PALETTE + 1]
    local share = v / total
    local tip = R.escape(label .. "：" .. R.number(v) .. "（" .. string.format("%.1f", share * 100) .. "%）")
    if share >= 0.9999 then
      out[#out + 1] = string.format('<circle cx="%d" cy="%d" r="%d" fill="%s"><title>%s</title></circle>',
        cx, cy, r, color, tip)
    elseif share > 0 then
      local a2 = angle + share * 2 * math.pi
      local x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
      local x2, y2 = cx + r * math.cos(a2), cy + r * math.sin(a2)
      out[#out + 1] = string.format(
        '<path d="M %d %d L %s %s A %d %d 0 %d 1 %s %s Z" fill="%s" stroke="#fff"><title>%s</title></path>',
        cx, cy, f1(x1), f1(y1), r, r, share > 0.5 and 1 or 0, f1(x2), f1(y2), color, tip)
      angle = a2
    end
    local ly = top + 14 + (i - 1) * 20
    local text = label .. "  " .. R.number(v) .. (c.unit and (" " .. c.unit) or "")
      .. "（" .. string.format("%.1f", share * 100) .. "%）"
    out[#out + 1] = string.format(SWATCH, cx + r + 30, ly - 10, 12, 12, color, cx + r + 48, ly, R.escape(text))
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n")
end

--- The SVG text of a chart: { kind = "bar"|"line"|"pie", title, unit, data = {{label, value}...} }
--- or { labels = {...}, values = {...} } or { labels = {...}, series = {{ name, values }...} }.
function R.svg(spec)
  local c = normalise(spec)
  if c.kind == "line" then return lineSVG(c) end
  if c.kind == "pie" then return pieSVG(c) end
  return barSVG(c)
end

-- Documents --------------------------------------------------------------------------------

local Container = {}
local ContainerMT = { __index = Container, __name = "fp.report.section" }

local function container(kind, title, level)
  return setmetatable({ kind = kind, title = title, level = level, blocks = {} }, ContainerMT)
end

local function checkSelf(self, method)
  if type(self) ~= "table" or getmetatable(self) ~= ContainerMT then
    error("fp.report: call " .. method .. " with ':' (doc:" .. method .. "(...))", 3)
  end
end

--- Adds a section (a heading and its own blocks) and returns it.
function Container:section(title)
  checkSelf(self, "section")
  local s = container("section", tostring(title or ""), (self.level or 0) + 1)
  self.blocks[#self.blocks + 1] = s
  return s
end

function Container:paragraph(text)
  checkSelf(self, "paragraph")
  if text == nil then error("fp.report paragraph: expects text", 2) end
  self.blocks[#self.blocks + 1] = { kind = "paragraph", text = tostring(text) }
  return self
end

function Container:list(items, opts)
  checkSelf(self, "list")
  local copy = {}
  for i, item in ipairs(items or {}) do copy[i] = tostring(item) end
  self.blocks[#self.blocks + 1] = { kind = "list", items = copy, ordered = opts and opts.ordered or false }
  return self
end

--- { columns = { "名称" | { key =, label =, align = "right" } ... }, rows = { {...} | { key = v } },
---   caption =, totals = { ... } (a last row, bold) }
function Container:table(spec)
  checkSelf(self, "table")
  if type(spec) ~= "table" or type(spec.columns) ~= "table" then
    error("fp.report table: expects { columns = {...}, rows = {...} }", 2)
  end
  local columns = {}
  for i, c in ipairs(spec.columns) do
    if type(c) == "table" then
      columns[i] = { key = c.key or i, label = tostring(c.label or c.key or ""), align = c.align, code = c.code }
    else
      columns[i] = { key = i, label = tostring(c) }
    end
  end
  -- the cells as shown, and as given (numbers stay numbers for a spreadsheet)
  local function row(r, raw)
    local out, given = {}, {}
    for i, c in ipairs(columns) do
      local v = r[c.key]
      if v == nil and c.key ~= i then v = r[i] end
      out[i] = cell(v)
      given[i] = type(v) == "number" and v or (v ~= nil and cell(v) or nil)
      if c.align == nil and type(v) == "number" then c.numeric = true end
    end
    raw[#raw + 1] = given
    return out
  end
  local rows, raw, raw_totals = {}, {}, {}
  for i, r in ipairs(spec.rows or {}) do rows[i] = row(r, raw) end
  self.blocks[#self.blocks + 1] = { kind = "table", columns = columns, rows = rows, raw = raw,
    caption = spec.caption and tostring(spec.caption) or nil,
    totals = spec.totals and row(spec.totals, raw_totals) or nil, raw_totals = raw_totals,
    empty = spec.empty }
  return self
end

--- The document's tables as sheets for ctx.write_xlsx: one per table, named by its section
--- (or the document's title), numbers kept as numbers, wide tables landscape.
---@return table[] sheets
function Container:sheets()
  checkSelf(self, "sheets")
  local sheets = {}
  local function walk(c, name)
    for _, b in ipairs(c.blocks) do
      if b.kind == "section" then
        walk(b, b.title ~= "" and b.title or name)
      elseif b.kind == "table" then
        local columns = {}
        for i, col in ipairs(b.columns) do
          columns[i] = { label = col.label, kind = (col.numeric or col.align == "right") and "number" or "text" }
        end
        sheets[#sheets + 1] = { name = name, title = b.caption or name, columns = columns, rows = b.raw,
          totals = b.raw_totals, landscape = #columns > 6 }
      end
    end
  end
  walk(self, self.title ~= "" and self.title or "Sheet")
  return sheets
end

function Container:chart(spec)
  checkSelf(self, "chart")
  local c = normalise(spec)
  self.blocks[#self.blocks + 1] = { kind = "chart", chart = c, spec = spec }
  return self
end

--- Starts a new printed page here (HTML: CSS page break; Markdown and text: a rule).
function Container:page_break()
  checkSelf(self, "page_break")
  self.blocks[#self.blocks + 1] = { kind = "page_break" }
  return self
end

local function alignOf(c) return c.align or (c.numeric and "right") or "left" end

-- Markdown
local function mdEscape(s) return (tostring(s):gsub("|", "\\|"):gsub("\n", " ")) end

local function mdTable(b, out)
  if b.caption then out[#out + 1] = "**" .. b.caption .. "**"; out[#out + 1] = "" end
  if #b.rows == 0 and b.empty then out[#out + 1] = b.empty; out[#out + 1] = ""; return end
  local head, rule = {}, {}
  for i, c in ipairs(b.columns) do
    head[i] = mdEscape(c.label)
    rule[i] = alignOf(c) == "right" and "---:" or (alignOf(c) == "center" and ":---:" or "---")
  end
  out[#out + 1] = "| " .. table.concat(head, " | ") .. " |"
  out[#out + 1] = "| " .. table.concat(rule, " | ") .. " |"
  local function line(r, bold)
    local cells = {}
    for i = 1, #b.columns do
      local v = mdEscape(r[i] or "")
      if b.columns[i].code and v ~= "" then v = "`" .. v .. "`" end
      cells[i] = (bold and v ~= "") and ("**" .. v .. "**") or v
    end
    out[#out + 1] = "| " .. table.concat(cells, " | ") .. " |"
  end
  for _, r in ipairs(b.rows) do line(r) end
  if b.totals then line(b.totals, true) end
  out[#out + 1] = ""
end

local function mdBlocks(blocks, out, opts)
  for _, b in ipairs(blocks) do
    if b.kind == "section" then
      out[#out + 1] = string.rep("#", math.min(b.level + 1, 6)) .. " " .. b.title
      out[#out + 1] = ""
      mdBlocks(b.blocks, out, opts)
    elseif b.kind == "paragraph" then
      out[#out + 1] = b.text
      out[#out + 1] = ""
    elseif b.kind == "list" then
      for i, item in ipairs(b.items) do out[#out + 1] = (b.ordered and (i .. ". ") or "- ") .. item end
      out[#out + 1] = ""
    elseif b.kind == "table" then
      mdTable(b, out)
    elseif b.kind == "chart" then
      local c = b.chart
      if opts.svg then
        out[#out + 1] = R.svg(b.spec)
        out[#out + 1] = ""
      else
        local cols = { "项目" }
        for _, s in ipairs(c.series) do
          cols[#cols + 1] = { label = s.name ~= "" and s.name or (c.unit or "数值"), align = "right" }
        end
        local rows = {}
        for i, l in ipairs(c.labels) do
          local r = { l }
          for _, s in ipairs(c.series) do r[#r + 1] = s.values[i] end
          rows[i] = r
        end
        local t = setmetatable({ blocks = {} }, ContainerMT)
        t:table{ columns = cols, rows = rows, caption = "图：" .. (c.title or ""), empty = "（无数据）" }
        mdTable(t.blocks[1], out)
      end
    elseif b.kind == "page_break" then
      out[#out + 1] = "---"
      out[#out + 1] = ""
    end
  end
end

-- Plain text
--- `s` without trailing spaces. (Not `gsub("%s+$", "")`: the pattern tries every start
--- position, which is quadratic in the length of a run of spaces.)
local function rtrim(s)
  local n = #s
  while n > 0 and s:byte(n) == 32 do n = n - 1 end
  return s:sub(1, n)
end

local function txtTable(b, out)
  if b.caption then out[#out + 1] = b.caption end
  if #b.rows == 0 and b.empty then out[#out + 1] = b.empty; out[#out + 1] = ""; return end
  local widths = {}
  local all = { (function() local h = {} for i, c in ipairs(b.columns) do h[i] = c.label end return h end)() }
  for _, r in ipairs(b.rows) do all[#all + 1] = r end
  if b.totals then all[#all + 1] = b.totals end
  for _, r in ipairs(all) do
    for i = 1, #b.columns do widths[i] = math.max(widths[i] or 0, R.width(r[i] or "")) end
  end
  local last = #b.columns
  for k, r in ipairs(all) do
    local cells = {}
    for i, c in ipairs(b.columns) do
      local align = k > 1 and alignOf(c) or "left"
      -- a left-aligned last cell is not padded: one long cell would pad every other row to it
      cells[i] = (i == last and align == "left") and cell(r[i]) or R.pad(r[i] or "", widths[i], align)
    end
    out[#out + 1] = rtrim(table.concat(cells, "  "))
    if k == 1 then
      local rule = {}
      for i = 1, #b.columns do rule[i] = string.rep("-", widths[i]) end
      out[#out + 1] = table.concat(rule, "  ")
    end
  end
  out[#out + 1] = ""
end

--- Text width of a line of `--format txt`.
R.text_width = 100

-- Closing punctuation never starts a line (it stays with the character before it).
local CLOSING = { ["，"] = true, ["。"] = true, ["；"] = true, ["："] = true, ["、"] = true, ["）"] = true,
                  ["”"] = true, ["》"] = true, ["！"] = true, ["？"] = true }

-- A paragraph as lines of at most R.text_width columns: breaks between characters of CJK
-- text, never inside a run of letters and digits (10,050 or 3.86 stay whole).
local function wrap(text, first)
  local units = {}
  for run, char in text:gmatch("([%w%.,%%%-]*)([^%w%.,%%%-]?)") do
    if run ~= "" then units[#units + 1] = run end
    if char ~= "" then units[#units + 1] = char end
  end
  -- gmatch above splits UTF-8 sequences byte by byte; join them back into characters
  local chars, buffer = {}, ""
  for _, u in ipairs(units) do
    if u:byte(1) >= 0x80 then
      buffer = buffer .. u
      if utf8.len(buffer) then chars[#chars + 1] = buffer; buffer = "" end
    else
      if buffer ~= "" then chars[#chars + 1] = buffer; buffer = "" end
      chars[#chars + 1] = u
    end
  end
  if buffer ~= "" then chars[#chars + 1] = buffer end
  local lines, line, width = {}, first, R.width(first)
  local limit = R.text_width - 2   -- room for a closing mark kept on the line
  for _, c in ipairs(chars) do
    local w = R.width(c)
    if width + w > limit and width > 0 and not CLOSING[c] and line ~= first then
      lines[#lines + 1] = line
      line, width = "", 0
    end
    line, width = line .. c, width + w
  end
  lines[#lines + 1] = line
  return lines
end

local function txtBlocks(blocks, out)
  for _, b in ipairs(blocks) do
    if b.kind == "section" then
      out[#out + 1] = b.title
      if b.level == 1 then out[#out + 1] = string.rep("=", math.max(R.width(b.title), 4)) end
      out[#out + 1] = ""
      txtBlocks(b.blocks, out)
    elseif b.kind == "paragraph" then
      for _, line in ipairs(wrap(b.text, "　　")) do out[#out + 1] = line end
      out[#out + 1] = ""
    elseif b.kind == "list" then
      for i, item in ipairs(b.items) do out[#out + 1] = (b.ordered and (i .. ". ") or "  - ") .. item end
      out[#out + 1] = ""
    elseif b.kind == "table" then
      txtTable(b, out)
    elseif b.kind == "chart" then
      local c = b.chart
      out[#out + 1] = "图：" .. (c.title or "")
      local lw, m = 0, maxValue(c)
      for _, l in ipairs(c.labels) do lw = math.max(lw, R.width(l)) end
      for i, l in ipairs(c.labels) do
        for _, s in ipairs(c.series) do
          local v = s.values[i]
          local bar = m > 0 and string.rep("#", math.floor(30 * v / m + 0.5)) or ""
          local name = #c.series > 1 and (l .. "（" .. s.name .. "）") or l
          out[#out + 1] = R.pad(name, lw + (#c.series > 1 and 16 or 0)) .. "  " .. R.pad(bar, 30) .. "  "
            .. R.number(v) .. (c.unit and (" " .. c.unit) or "")
        end
      end
      if #c.labels == 0 then out[#out + 1] = "（无数据）" end
      out[#out + 1] = ""
    elseif b.kind == "page_break" then
      out[#out + 1] = "\f"
    end
  end
end

-- HTML
R.css = [[
@page { size: A4; margin: 20mm 18mm 20mm 18mm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 10.5pt; } }
@page wide { size: A4 landscape; margin: 15mm 15mm 18mm 15mm; }
table.wide { page: wide; }
html { background: #fff; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif;
       font-size: 12pt; line-height: 1.75; color: #000; max-width: 174mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 0.3em; }
.subtitle { text-align: center; margin: 0 0 1.2em; }
h2 { font-size: 14pt; margin: 1.1em 0 0.4em; }
h3 { font-size: 12.5pt; margin: 0.9em 0 0.3em; }
h4, h5, h6 { font-size: 12pt; margin: 0.8em 0 0.3em; }
h1, h2, h3, h4, h5, h6, caption, figcaption { break-after: avoid; page-break-after: avoid; }
thead { display: table-header-group; }
th { word-break: keep-all; }
td.num, th, .nb { white-space: nowrap; }
p { text-indent: 2em; margin: 0.35em 0; text-align: justify; }
ul, ol { margin: 0.3em 0 0.3em 2em; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; font-size: 10.5pt; }
caption { font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #333; padding: 2pt 5pt; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; white-space: nowrap; }
tr.totals td { font-weight: bold; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0.8em 0; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 10.5pt; color: #333; }
code { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 9pt; overflow-wrap: anywhere; }
.page-break { break-after: page; page-break-after: always; height: 0; }
.empty { color: #555; }
@media screen { body { padding: 12mm; box-shadow: 0 0 4mm #ccc; } }
@media print { body { max-width: none; padding: 0; } }
]]

--- Units that print on the line of their number (HTML): 3.86万元, 10,050亩, 30—40株.
R.units = { "万元", "元", "亩", "株", "只", "头", "台", "户", "人次", "人", "次", "项", "个", "笔", "年", "%" }

--- HTML text with each number and its unit in a span that does not break (longer units first,
--- so 人次 is not taken for 人; a number already wrapped follows a '>' and is left alone).
function R.keep_units(html)
  local s = " " .. html
  for _, u in ipairs(R.units) do
    local pattern, unit = u:gsub("%%", "%%%%"), u:gsub("%%", "%%%%")
    s = s:gsub("([^>%d,%.])(%d[%d,%.]*)" .. pattern, '%1<span class="nb">%2' .. unit .. "</span>")
  end
  return s:sub(2)
end

local function htmlTable(b, out)
  -- more than six columns print across the page (the named page "wide")
  out[#out + 1] = #b.columns > 6 and '<table class="wide">' or "<table>"
  if b.caption then out[#out + 1] = "<caption>" .. R.escape(b.caption) .. "</caption>" end
  local head = {}
  for i, c in ipairs(b.columns) do head[i] = "<th>" .. R.escape(c.label) .. "</th>" end
  out[#out + 1] = "<thead><tr>" .. table.concat(head) .. "</tr></thead>"
  out[#out + 1] = "<tbody>"
  if #b.rows == 0 and b.empty then
    out[#out + 1] = string.format('<tr><td class="empty" colspan="%d">%s</td></tr>', #b.columns, R.escape(b.empty))
  end
  local function line(r, class)
    local cells = {}
    for i, c in ipairs(b.columns) do
      local a = alignOf(c)
      local text = R.escape(r[i] or "")
      if c.code and text ~= "" then text = "<code>" .. text .. "</code>" end
      cells[i] = (a == "right" and '<td class="num">' or "<td>") .. text .. "</td>"
    end
    out[#out + 1] = (class and ('<tr class="' .. class .. '">') or "<tr>") .. table.concat(cells) .. "</tr>"
  end
  for _, r in ipairs(b.rows) do line(r) end
  if b.totals then line(b.totals, "totals") end
  out[#out + 1] = "</tbody></table>"
end

local function htmlBlocks(blocks, out)
  for _, b in ipairs(blocks) do
    if b.kind == "section" then
      local h = math.min(b.level + 1, 6)
      out[#out + 1] = '<section>'
      out[#out + 1] = string.format("<h%d>%s</h%d>", h, R.escape(b.title), h)
      htmlBlocks(b.blocks, out)
      out[#out + 1] = "</section>"
    elseif b.kind == "paragraph" then
      out[#out + 1] = "<p>" .. R.keep_units(R.escape(b.text)) .. "</p>"
    elseif b.kind == "list" then
      local tag = b.ordered and "ol" or "ul"
      out[#out + 1] = "<" .. tag .. ">"
      for _, item in ipairs(b.items) do out[#out + 1] = "<li>" .. R.escape(item) .. "</li>" end
      out[#out + 1] = "</" .. tag .. ">"
    elseif b.kind == "table" then
      htmlTable(b, out)
    elseif b.kind == "chart" then
      out[#out + 1] = '<figure class="chart">'
      -- the figcaption names the chart: the drawing does not repeat the title
      local untitled = {}
      for k, v in pairs(b.spec) do untitled[k] = v end
      untitled.title = nil
      out[#out + 1] = R.svg(untitled)
      if b.chart.title then out[#out + 1] = "<figcaption>图：" .. R.escape(b.chart.title) .. "</figcaption>" end
      out[#out + 1] = "</figure>"
    elseif b.kind == "page_break" then
      out[#out + 1] = '<div class="page-break"></div>'
    end
  end
end

--- Renders the document: "md" (Markdown; opts.svg embeds charts as SVG instead of tables),
--- "html" (self-contained, A4 print CSS, inline SVG) or "txt".
function Container:render(format, opts)
  checkSelf(self, "render")
  opts = opts or {}
  format = format or "md"
  local out = {}
  if format == "md" or format == "markdown" then
    if self.title and self.title ~= "" then out[#out + 1] = "# " .. self.title; out[#out + 1] = "" end
    if self.subtitle then out[#out + 1] = self.subtitle; out[#out + 1] = "" end
    mdBlocks(self.blocks, out, opts)
    return (table.concat(out, "\n"):gsub("\n+$", "\n"))
  elseif format == "txt" or format == "text" then
    if self.title and self.title ~= "" then out[#out + 1] = self.title; out[#out + 1] = "" end
    if self.subtitle then out[#out + 1] = self.subtitle; out[#out + 1] = "" end
    txtBlocks(self.blocks, out)
    return (table.concat(out, "\n"):gsub("\n+$", "\n"))
  elseif format == "html" then
    out[#out + 1] = "<!DOCTYPE html>"
    out[#out + 1] = '<html lang="zh-CN">'
    out[#out + 1] = "<head>"
    out[#out + 1] = '<meta charset="utf-8"/>'
    out[#out + 1] = '<meta name="generator" content="fupin fp.report"/>'
    out[#out + 1] = "<title>" .. R.escape(self.title or "") .. "</title>"
    out[#out + 1] = "<style>" .. R.css .. (opts.css or self.css or "") .. "</style>"
    out[#out + 1] = "</head>"
    out[#out + 1] = "<body>"
    if self.title and self.title ~= "" then out[#out + 1] = "<h1>" .. R.escape(self.title) .. "</h1>" end
    if self.subtitle then out[#out + 1] = '<div class="subtitle">' .. R.escape(self.subtitle) .. "</div>" end
    htmlBlocks(self.blocks, out)
    out[#out + 1] = "</body>"
    out[#out + 1] = "</html>"
    return table.concat(out, "\n") .. "\n"
  end
  error("fp.report render: format must be 'md', 'html' or 'txt', not " .. tostring(format), 2)
end

--- A new document: { title =, subtitle =, css = extra CSS for HTML }.
function R.document(spec)
  if spec ~= nil and type(spec) ~= "table" then spec = { title = tostring(spec) } end
  spec = spec or {}
  local d = container("document", spec.title and tostring(spec.title) or "", 0)
  d.subtitle = spec.subtitle and tostring(spec.subtitle) or nil
  d.css = spec.css
  return d
end

return R
