-- The summary as pandoc Markdown for a Word document: the title as the document's title
-- (style Title), 一、 as heading 1 (黑体), （一） as heading 2 (楷体), the 落款 and 成文日期 in the
-- reference document's Signature style, the data version in its Version style. pandoc (run by
-- the host) lays it out with reference.docx (Scripts/make-reference-docx.py).
local M = {}

--- A YAML double-quoted string.
local function quoted(s)
  return '"' .. tostring(s):gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

--- The Markdown pandoc turns into the DOCX.
---@param result table what lib/annual's build returned
---@return string markdown
function M.markdown(result)
  local md = result.document:render("md")
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
  return table.concat(out, "\n")
end

return M
