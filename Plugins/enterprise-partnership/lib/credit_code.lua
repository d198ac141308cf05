-- 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and the capitals without I, O, S,
-- V, Z; the last is a check character: with the weights 3^(i-1) mod 31 of the first 17,
-- check = 31 - (Σ value × weight mod 31), where 31 stands for 0.
local M = {}

M.ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local VALUE = {}
for i = 1, #M.ALPHABET do VALUE[M.ALPHABET:sub(i, i)] = i - 1 end
local WEIGHTS = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 }

--- The check character of the first 17 characters, or nil when one is not allowed.
---@param first17 string
---@return string?
function M.check_character(first17)
  local total = 0
  for i = 1, 17 do
    local v = VALUE[first17:sub(i, i)]
    if v == nil then return nil end
    total = total + v * WEIGHTS[i]
  end
  local c = 31 - total % 31
  if c == 31 then c = 0 end
  return M.ALPHABET:sub(c + 1, c + 1)
end

--- nil when `code` is a valid code; else the reason it is not (in English, for the error).
---@param code any
---@return string? reason nil when the code is valid
function M.problem(code)
  if type(code) ~= "string" then return "is not text" end
  if #code ~= 18 then return "has " .. utf8.len(code) .. " characters; a unified social credit code has 18" end
  for i = 1, 18 do
    local ch = code:sub(i, i)
    if VALUE[ch] == nil then
      return "has '" .. ch .. "' at position " .. i .. " (allowed: digits and capitals except I, O, S, V, Z)"
    end
  end
  local want = M.check_character(code:sub(1, 17))
  if code:sub(18) ~= want then
    return "fails the check character (GB 32100-2015): the 18th should be " .. want
  end
  return nil
end

--- The normalised code (trimmed, upper-case), or an error naming field and value.
---@param code any
---@param field string the field named in the error
---@param fail fun(message: string) raises the error
---@return string code normalised
function M.checked(code, field, fail)
  local text = tostring(code):gsub("^%s+", ""):gsub("%s+$", ""):upper()
  local why = M.problem(text)
  if why then fail(field .. ": " .. tostring(code) .. " " .. why) end
  return text
end

return M
