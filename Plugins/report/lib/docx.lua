-- The summary as pandoc Markdown for a Word document: the title as the document's title
-- (style Title), 一、 as heading 1 (黑体), （一） as heading 2 (楷体), the 落款 and 成文日期 in the
-- reference document's Signature style, the data version in its Version style, each chart an
-- image in the Chart style. pandoc (run by the host) lays it out with reference.docx
-- (Scripts/make-reference-docx.py).
local M = {}

--- A YAML double-quoted string.
local function quoted(s)
  return '"' .. tostring(s):gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

-- The cells of a pipe-table line.
local function cells(line)
  local out = {}
  for cell in line:gsub("^|%s*", ""):gsub("%s*|%s*$", ""):gmatch("([^|]*)") do
    out[#out + 1] = cell:match("^%s*(.-)%s*$")
  end
  return out
end

-- pandoc gives a pipe table's columns the widths of its separator dashes: make them follow the
-- widest cell of each column, so short numbers do not get the room a long label needs.
local function sized(lines)
  local widths = {}
  for i, line in ipairs(lines) do
    if i ~= 2 then
      for c, text in ipairs(cells(line)) do
        -- a header may wrap onto two lines; a cell should not
        local w = fp.report.width(text)
        widths[c] = math.max(widths[c] or 3, i == 1 and (w + 1) // 2 or w)
      end
    end
  end
  local seps = cells(lines[2])
  local parts = {}
  for c, sep in ipairs(seps) do
    local w = widths[c] or 3
    parts[c] = (sep:sub(1, 1) == ":" and ":" or "") .. string.rep("-", w) .. (sep:sub(-1) == ":" and ":" or "")
  end
  lines[2] = "| " .. table.concat(parts, " | ") .. " |"
  return lines
end

-- The Markdown lines with every table's separator sized.
local function size_tables(lines)
  local out, run = {}, {}
  local function flush()
    if #run >= 2 and run[2]:match("^|[%s:%-|]+|$") then run = sized(run) end
    for _, l in ipairs(run) do out[#out + 1] = l end
    run = {}
  end
  for _, line in ipairs(lines) do
    if line:sub(1, 1) == "|" then run[#run + 1] = line else flush(); out[#out + 1] = line end
  end
  flush()
  return out
end

--- The Markdown pandoc turns into the DOCX.
---@param result table what lib/annual's build returned
---@return string markdown
function M.markdown(result)
  -- charts become images (the host rasterises the SVG for Word), each drawing its own title
  local images, n = {}, 0
  local md = result.document:render("md", { svg = true }):gsub("(<svg.-</svg>)", function(svg)
    n = n + 1
    local name = "chart-" .. n .. ".svg"
    images[name] = svg
    return "::: {custom-style=\"Chart\"}\n![](" .. name .. "){width=14cm}\n:::"
  end)
  result.images = images
  local out = { "---", "title: " .. quoted(result.title), "lang: zh-CN", "---", "" }
  local first = true
  for line in (md .. "\n"):gmatch("(.-)\n") do
    if first and line:match("^# ") then
      line = nil   -- the title is the metadata's
    elseif line:match("^### ") then
      line = "## " .. line:sub(5)
    elseif line:match("^## ") then
      line = "# " .. line:sub(4)
    end
    first = false
    local chart = line and line:match("^%*%*(图：.-)%*%*$")
    if chart then
      -- a chart's title stays on the page of its table (ChartTitle keeps with the next paragraph)
      out[#out + 1] = "::: {custom-style=\"ChartTitle\"}"
      out[#out + 1] = chart
      out[#out + 1] = ":::"
    elseif line then
      out[#out + 1] = line
    end
  end
  local c = result.closing
  out[#out + 1] = ""
  out[#out + 1] = "::: {custom-style=\"Signature\"}"
  out[#out + 1] = c.unit .. "\\"
  out[#out + 1] = c.date
  out[#out + 1] = ":::"
  out[#out + 1] = ""
  out[#out + 1] = "::: {custom-style=\"Version\"}"
  out[#out + 1] = c.version
  out[#out + 1] = ":::"
  out[#out + 1] = ""
  if result.appendix then
    -- 附件 begin on a page of their own
    out[#out + 1] = "```{=openxml}"
    out[#out + 1] = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    out[#out + 1] = "```"
    out[#out + 1] = ""
    for line in (result.appendix:render("md") .. "\n"):gmatch("(.-)\n") do
      if line:match("^## ") then line = "# " .. line:sub(4) end
      if not line:match("^# $") and line ~= "#" then out[#out + 1] = line end
    end
  end
  return table.concat(size_tables(out), "\n")
end

return M
