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
