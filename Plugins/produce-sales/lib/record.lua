-- record: one sale from command arguments, validated by the ledger (and its derive rule).
local C = require("lib.common")
local M = {}

--- The record command: one sale, its household found by id, 户编号 or name.
---@param args fp.plugin.ProduceSales.RecordArgs
---@param ctx fp.Ctx
---@return table result ctx.result of the sale
function M.record(args, ctx)
  local given = 0
  for _, k in ipairs({ "quantity", "unit_price", "amount" }) do
    if args[k] ~= nil then given = given + 1 end
  end
  if given < 2 then
    ctx.fail("give two of --quantity, --unit-price and --amount (the third is computed)")
  end
  local h = C.household(args.household, ctx)
  local sale = fp.sales:add{
    date = args.date, product = args.product, household_id = h.id,
    quantity = args.quantity, unit = args.unit, unit_price = args.unit_price, amount = args.amount,
    buyer = args.buyer, buyer_type = args.buyer_type, channel = args.channel,
    voucher = args.voucher, handler = args.handler or ctx.operator, note = args.note,
  }
  local what = ""
  if sale.quantity then
    what = C.number(sale.quantity) .. (sale.unit or "") .. " × " .. C.money(sale.unit_price or 0) .. " = "
  end
  ctx.print(string.format("recorded sale #%d: %s %s %s%s元, supplied by %s %s", sale.id, sale.date, sale.product,
    what, C.money(sale.amount), h.number, h.head_name))
  return ctx.result(sale, "(sale #" .. sale.id .. ")")
end

return M
