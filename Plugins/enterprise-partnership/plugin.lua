-- 百企帮百村: enterprises, the projects they run with the villages, and each project's dated
-- progress log with enforced status transitions. The commands are thin; the work is in lib/.
local vocab = require("lib.vocab")
local TYPES, STATUSES = vocab.TYPES, vocab.STATUSES

-- The day counted to. Its default, ctx.today, is the day of --as-of when the command reads the
-- ledgers as they stood then.
local function on()
  return { name = "on", type = "date", help = "count days up to this date (default: today, or the day of --as-of)" }
end

local function run(module, fn)
  return function(args, ctx) return require(module)[fn](args, ctx) end
end

return {
  name = "enterprise-partnership",
  version = "1.0.0",
  api = 1,
  title = "百企帮百村项目台账",
  description = "Enterprises helping villages: projects, investment, jobs, households, and a dated progress log "
    .. "with enforced status transitions.",
  permissions = { "read", "write:own", "export" },

  ledgers = {
    enterprises = {
      label = "帮扶企业",
      summary = "An enterprise taking part in 百企帮百村",
      fields = {
        { name = "name", type = "text", required = true, unique = true, label = "企业名称" },
        { name = "credit_code", type = "credit_code", unique = true, label = "统一社会信用代码",
          help = "18 characters with the GB 32100-2015 check character (checked on every write)" },
        { name = "kind", type = "text", label = "企业类型" },
        { name = "contact", type = "text", label = "联系人" },
        { name = "phone", type = "phone", label = "联系电话" },
        { name = "address", type = "text", label = "地址" },
        { name = "note", type = "text", label = "备注" },
      },
    },
    partnerships = {
      label = "村企结对项目",
      summary = "One project of an enterprise with a village",
      date_field = "start_date",
      fields = {
        { name = "enterprise_id", type = "ref", to = "enterprises", required = true, label = "企业" },
        { name = "village_id", type = "ref", to = "villages", required = true, label = "结对村" },
        { name = "project", type = "text", required = true, label = "项目名称" },
        { name = "type", type = "enum", values = TYPES, required = true, label = "项目类型" },
        { name = "start_date", type = "date", label = "启动日期" },
        { name = "planned_investment", type = "money", min = 0, label = "计划投资（元）" },
        { name = "actual_investment", type = "money", min = 0, label = "实际到位（元）" },
        { name = "purpose", type = "text", label = "项目目的",
          help = "what the project is for, in the summary's words, e.g. 解决村民就业问题" },
        { name = "participation", type = "text", label = "带贫方式" },
        { name = "households", type = "integer", min = 0, label = "受益户数" },
        { name = "people", type = "integer", min = 0, label = "受益人数" },
        { name = "jobs", type = "integer", min = 0, label = "带动就业（人）" },
        { name = "collective_income", type = "money", min = 0, label = "村集体增收（元）" },
        { name = "status", type = "enum", values = STATUSES, required = true, default = "洽谈", label = "状态" },
        { name = "blockers", type = "text", label = "存在问题" },
        { name = "note", type = "text", label = "备注" },
      },
      -- Enforced on every write, from commands and scripts alike.
      transitions = { status = vocab.TRANSITIONS },
    },
    partnership_progress = {
      label = "项目进展记录",
      summary = "A dated entry of a project's progress log (a status change follows the allowed transitions)",
      fields = {
        { name = "partnership_id", type = "ref", to = "partnerships", required = true, label = "项目" },
        { name = "date", type = "date", required = true, label = "日期" },
        { name = "from_status", type = "enum", values = STATUSES, label = "原状态" },
        { name = "status", type = "enum", values = STATUSES, label = "状态" },
        { name = "note", type = "text", label = "进展情况" },
        { name = "invested", type = "money", min = 0, label = "本次到位资金（元）" },
        { name = "blockers", type = "text", label = "存在问题" },
        { name = "handler", type = "text", label = "记录人" },
      },
    },
  },

  commands = {
    add = {
      summary = "Add a project (and its enterprise when new)",
      args = {
        { name = "enterprise", type = "text", required = true,
          help = "enterprise id or name (a new name adds the enterprise)" },
        { name = "credit_code", type = "text", help = "统一社会信用代码 of a new enterprise (checked)" },
        { name = "contact", type = "text", help = "contact person of a new enterprise" },
        { name = "phone", type = "phone", help = "phone of a new enterprise" },
        { name = "village", type = "text", required = true, help = "village id or name" },
        { name = "project", type = "text", required = true, help = "what the project is" },
        { name = "type", type = "enum", values = TYPES, required = true },
        { name = "date", type = "date", help = "start date (default: today)" },
        { name = "status", type = "enum", values = STATUSES, default = "洽谈", help = "status at the start" },
        { name = "planned_investment", type = "money", help = "yuan" },
        { name = "participation", type = "text", help = "how households take part (带贫方式)" },
        { name = "households", type = "integer" },
        { name = "people", type = "integer" },
        { name = "jobs", type = "integer" },
        { name = "collective_income", type = "money", help = "yuan a year for the village collective" },
        { name = "blockers", type = "text", help = "what holds it up" },
        { name = "note", type = "text" },
      },
      run = run("lib.projects", "add"),
    },
    progress = {
      summary = "Log progress of a project, maybe changing its status (transitions enforced)",
      args = {
        { name = "id", type = "integer", required = true, positional = true, help = "the project (partnership id)" },
        { name = "date", type = "date", help = "default: today" },
        { name = "status", type = "enum", values = STATUSES, help = "the new status" },
        { name = "note", type = "text", help = "what happened" },
        { name = "invested", type = "money", help = "investment that arrived (adds to the actual investment), yuan" },
        { name = "blockers", type = "text", help = "what holds it up now (replaces the project's)" },
        { name = "clear_blockers", type = "bool", help = "nothing holds it up any more" },
        { name = "households", type = "integer", help = "households benefiting now" },
        { name = "people", type = "integer", help = "people benefiting now" },
        { name = "jobs", type = "integer", help = "jobs created so far" },
        { name = "collective_income", type = "money", help = "village collective income a year, yuan" },
        { name = "handler", type = "text", help = "who logs it (default: the operator)" },
      },
      run = run("lib.projects", "progress"),
    },
    status = {
      summary = "One table of the projects: status, days since last progress, investment, jobs, households",
      args = {
        on(),
        { name = "status", type = "enum", values = STATUSES, help = "only projects with this status" },
        { name = "village", type = "text", help = "only this village (id or name)" },
      },
      formats = { "txt", "xlsx", help = "a text table, or an XLSX workbook under exports/ laid out for A4",
                  output = "print; for xlsx 百企帮百村项目.xlsx" },
      run = run("lib.views", "status"),
    },
    stalled = {
      summary = "Unfinished projects without progress for N days, with their blockers",
      args = {
        { name = "days", type = "integer", default = 90, help = "days without progress" },
        on(),
      },
      run = run("lib.views", "stalled"),
    },
    summary = {
      summary = "The projects of a year: by status and type, investment, jobs, households, progress logged",
      args = { { name = "year", type = "integer", required = true } },
      run = run("lib.views", "summary"),
    },
  },

  exports = {
    types = TYPES,
    statuses = STATUSES,
    transitions = vocab.TRANSITIONS,
    credit_code = function(code) return require("lib.credit_code").problem(code) end,
  },
}
