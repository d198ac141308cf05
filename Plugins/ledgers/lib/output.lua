-- Writing a ledger: CSV with a UTF-8 BOM (so spreadsheet programs read the Chinese) or an
-- fp.report document, to a file under exports/ or to the command's output.
local M = {}

M.BOM = "\239\187\191"

local function field(v)
  local s = v == nil and "" or (type(v) == "number" and fp.report.number(v):gsub(",", "") or tostring(v))
  if s:find('[",\r\n]') then s = '"' .. s:gsub('"', '""') .. '"' end
  return s
end

--- CSV text: BOM, header, rows, CRLF line ends.
---@param header string[]
---@param rows table[] cells by column (nil: empty)
---@return string
function M.csv(header, rows)
  local lines = {}
  local function line(r)
    local cells = {}
    for i = 1, #header do cells[i] = field(r[i]) end
    lines[#lines + 1] = table.concat(cells, ",")
  end
  line(header)
  for _, r in ipairs(rows) do line(r) end
  return M.BOM .. table.concat(lines, "\r\n") .. "\r\n"
end

--- The kind of an XLSX column from its cells: number when every cell is a number, date when
--- every cell is an ISO date, else text.
local function kind(rows, i)
  local numbers, dates, seen = true, true, false
  for _, r in ipairs(rows) do
    local v = r[i]
    if v ~= nil and v ~= "" then
      seen = true
      if type(v) ~= "number" then numbers = false end
      if type(v) ~= "string" or not v:match("^%d%d%d%d%-%d%d%-%d%d$") then dates = false end
    end
  end
  if not seen then return "text" end
  return numbers and "number" or (dates and "date" or "text")
end

--- Writes the ledger as an XLSX workbook under exports/ (-o, else COMMAND-YEAR.xlsx): the
--- header frozen and repeated on every printed page, wide tables landscape, fitted to A4's width.
---@param args table the command's arguments
---@param ctx fp.Ctx
---@param header string[]
---@param rows table[]
---@return string path
function M.xlsx(args, ctx, header, rows)
  local columns = {}
  for i, label in ipairs(header) do columns[i] = { label = label, kind = kind(rows, i) } end
  local name = ctx.command .. (args.year and ("-" .. args.year) or "")
  local path = ctx.write_xlsx(args.output or (name .. ".xlsx"), {
    { name = M.sheet_names[ctx.command] or ctx.command, title = M.sheet_names[ctx.command], columns = columns,
      rows = rows, landscape = #columns > 6 },
  })
  ctx.print("wrote " .. path)
  return path
end

--- Sheet names by command.
M.sheet_names = { card = "帮扶联系卡", ["record-card"] = "帮扶记录卡", plan = "帮扶联系计划表", register = "镇有册" }

--- Writes text to -o (under exports/) or prints it.
---@param args table the command's arguments (`output`: a file under exports/, or nil to print)
---@param ctx fp.Ctx
---@param text string the rendered ledger
---@return string? path the file written, nil when printed
function M.emit(args, ctx, text)
  if args.output then
    local path = ctx.write_file(args.output, text)
    ctx.print("wrote " .. path)
    return path
  end
  ctx.print(text)
  return nil
end

return M
