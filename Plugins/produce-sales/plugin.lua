-- 消费扶贫: produce bought from registered poor households (eggs, vegetables, ...), one row per
-- sale in the `sales` ledger. The commands are thin; the work is in lib/.
local CHANNELS = { "食堂直采", "工会福利", "集贸市场", "展销会", "电商平台", "直播带货", "832平台", "扶贫专柜", "其他" }
local BUYER_TYPES = { "单位食堂", "工会", "机关单位", "事业单位", "企业", "个人", "其他" }

local function year_arg(help)
  return { name = "year", type = "integer", required = true, help = help or "the year of the sales" }
end

return {
  name = "produce-sales",
  version = "1.0.0",
  api = 1,
  title = "消费扶贫销售台账",
  description = "Sales of farm produce supplied by poor households: record, import, summary, top sellers, "
    .. "Excel export.",
  permissions = { "read", "write:own", "export" },

  ledgers = {
    sales = {
      label = "消费扶贫销售记录",
      summary = "One sale of produce supplied by a household",
      date_field = "date",
      fields = {
        { name = "date", type = "date", required = true, label = "销售日期" },
        { name = "product", type = "text", required = true, label = "产品" },
        { name = "household_id", type = "ref", to = "households", required = true, label = "供货户" },
        { name = "buyer", type = "text", label = "购买方" },
        { name = "buyer_type", type = "enum", values = BUYER_TYPES, label = "购买方类型" },
        { name = "channel", type = "enum", values = CHANNELS, label = "销售渠道" },
        { name = "quantity", type = "number", min = 0, label = "数量" },
        { name = "unit", type = "text", label = "单位", help = "斤, 公斤, 枚, 箱, ..." },
        { name = "unit_price", type = "money", min = 0, label = "单价（元）" },
        { name = "amount", type = "money", min = 0, required = true, label = "金额（元）" },
        { name = "voucher", type = "text", label = "凭证号" },
        { name = "handler", type = "text", label = "经办人" },
        { name = "note", type = "text", label = "备注" },
      },
      derive = { amount = { "quantity", "unit_price" } },
    },
  },

  commands = {
    record = {
      summary = "Record one sale (two of --quantity, --unit-price, --amount give the third)",
      args = {
        { name = "date", type = "date", required = true, help = "day of the sale" },
        { name = "product", type = "text", required = true, help = "鸡蛋, 西红柿, 黄瓜, ..." },
        { name = "household", type = "text", required = true,
          help = "supplying household: id, 户编号 or the head's name" },
        { name = "quantity", type = "number", help = "how much was sold" },
        { name = "unit", type = "text", help = "斤, 公斤, 枚, 箱, ..." },
        { name = "unit_price", type = "money", help = "yuan per unit" },
        { name = "amount", type = "money", help = "yuan in all" },
        { name = "buyer", type = "text", help = "who bought it" },
        { name = "buyer_type", type = "enum", values = BUYER_TYPES },
        { name = "channel", type = "enum", values = CHANNELS },
        { name = "voucher", type = "text", help = "receipt or voucher number" },
        { name = "handler", type = "text", help = "who handled the sale (default: the operator)" },
        { name = "note", type = "text" },
      },
      run = function(args, ctx) return require("lib.record").record(args, ctx) end,
    },
    import = {
      summary = "Import sales from a CSV file (UTF-8 or GB18030), all or nothing",
      args = {
        { name = "file", type = "path", required = true, positional = true,
          help = "the CSV file; header by field name or Chinese label" },
        { name = "encoding", type = "enum", values = { "auto", "utf-8", "gb18030" }, default = "auto" },
      },
      run = function(args, ctx)
        local report = ctx.import_csv("sales", args.file, args.encoding)
        ctx.print(report.text)
        return ctx.result(report, "(" .. report.inserted .. " sales imported)")
      end,
    },
    summary = {
      summary = "Sales of a year grouped: amount, quantity, households benefited, average gain per household",
      args = {
        year_arg(),
        { name = "by", type = "enum", values = { "product", "household", "village", "buyer", "channel", "month" },
          default = "product" },
      },
      run = function(args, ctx) return require("lib.summary").summary(args, ctx) end,
    },
    top = {
      summary = "The households that sold the most in a year",
      args = {
        year_arg(),
        { name = "limit", type = "integer", default = "10", help = "how many households" },
      },
      run = function(args, ctx) return require("lib.summary").top(args, ctx) end,
    },
    export = {
      summary = "The sales of a year as CSV with a BOM (opens in Excel), under exports/",
      args = {
        year_arg(),
      },
      formats = { "csv", "xlsx", help = "CSV (imports back) or an XLSX workbook laid out for A4",
                  output = "消费扶贫销售台账-YEAR.csv/.xlsx" },
      run = function(args, ctx) return require("lib.export").export(args, ctx) end,
    },
  },

  exports = {
    channels = CHANNELS,
    buyer_types = BUYER_TYPES,
  },
}
