/// The `fp` Lua API described as data: every function and method with its signature and
/// documentation. The type stubs (`fupin stubs`), `:help` and a test that checks the Lua
/// objects really have these methods are all driven from this one list; the collections and
/// their fields come from FupinCore's `Schema`.
///
/// ```swift
/// for m in FpAPI.collectionMethods { print(m.name, m.signature) }
/// ```
public enum FpAPI {
    /// One documented function or method.
    public struct Member: Sendable {
        public let name: String
        /// LuaLS parameters: (name, type, doc).
        public let parameters: [(String, String, String)]
        /// LuaLS return type(s).
        public let returns: String
        public let summary: String
        public let example: String

        public var signature: String {
            "(" + parameters.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ")"
                + (returns.isEmpty ? "" : " -> \(returns)")
        }
    }

    /// Methods of a collection (`fp.households:get(1)`). A collection is also a query of
    /// all its valid records, so every query method works on it too.
    public static let collectionMethods: [Member] = [
        Member(
            name: "get", parameters: [("id", "integer", "record id")], returns: "fp.Record?",
            summary: "The record with this id, or nil.", example: "fp.households:get(1)"),
        Member(
            name: "find", parameters: [("filter", "fp.Filter", "fields to match")], returns: "fp.Record?",
            summary: "The first record matching the filter, or nil.", example: "fp.households:find{ head_name = '刘三' }"),
        Member(
            name: "all", parameters: [], returns: "fp.Query",
            summary: "The query of every valid record.", example: "fp.villages:all():list()"),
        Member(
            name: "add", parameters: [("fields", "table", "field values by name")], returns: "fp.Record",
            summary: "Validates, inserts and audits a record; returns it with its id.",
            example: "fp.poverty_lines:add{ year = 2021, amount = 4100 }"),
        Member(
            name: "update", parameters: [("id", "integer", "record id"), ("fields", "table", "fields to change")],
            returns: "fp.Record",
            summary: "Validates and changes fields of a record; returns the updated record.",
            example: "fp.households:update(1, { phone = '13800000000' })"),
        Member(
            name: "remove", parameters: [("id", "integer", "record id")], returns: "",
            summary: "Marks the record invalid (or deletes it where the collection keeps no valid flag); audited.",
            example: "fp.visits:remove(3)"),
        Member(
            name: "fields", parameters: [], returns: "fp.Field[]",
            summary: "The collection's fields: name, type, label, required, reference.",
            example: "fp.households:fields()"),
    ]

    /// Methods of a query (lazy; runs as one SQL statement at a terminal method).
    public static let queryMethods: [Member] = [
        Member(
            name: "where", parameters: [("filter", "fp.Filter", "conditions, all must hold")], returns: "fp.Query",
            summary:
                "Narrows the query: {field = v}, {field = {'>=', v}}, {'between', a, b}, {'in', {...}}, {'like', '%x%'}, year = 2019.",
            example: "fp.distributions:where{ item = '雏鸡', year = 2019 }"),
        Member(
            name: "order_by",
            parameters: [("field", "string", "field name"), ("direction", "'asc'|'desc'?", "default asc")],
            returns: "fp.Query",
            summary: "Orders the records.", example: "fp.sales:order_by('amount', 'desc')"),
        Member(
            name: "limit", parameters: [("n", "integer", "at most n records")], returns: "fp.Query",
            summary: "Keeps the first n records.", example: "fp.visits:order_by('date', 'desc'):limit(5)"),
        Member(
            name: "offset", parameters: [("n", "integer", "records to skip")], returns: "fp.Query",
            summary: "Skips n records.", example: "fp.visits:order_by('date'):offset(10):limit(10)"),
        Member(
            name: "count", parameters: [], returns: "integer",
            summary: "Number of records (or, after group_by, counts per key).",
            example: "fp.households:where{ standard = '国家' }:count()"),
        Member(
            name: "sum", parameters: [("field", "string", "numeric field")], returns: "number",
            summary: "Sum of a field (money in yuan, exact).",
            example: "fp.funds:where{ direction = 'in' }:sum('amount')"),
        Member(
            name: "avg", parameters: [("field", "string", "numeric field")], returns: "number?",
            summary: "Average of a field.", example: "fp.incomes:avg('amount')"),
        Member(
            name: "min", parameters: [("field", "string", "field")], returns: "any",
            summary: "Smallest value of a field.", example: "fp.distributions:where{ item = '果树苗' }:min('quantity')"),
        Member(
            name: "max", parameters: [("field", "string", "field")], returns: "any",
            summary: "Largest value of a field.", example: "fp.distributions:where{ item = '果树苗' }:max('quantity')"),
        Member(
            name: "count_distinct", parameters: [("field", "string", "field")], returns: "integer",
            summary: "Number of different non-empty values of a field.",
            example: "fp.visits:where{ year = 2019 }:count_distinct('household_id')"),
        Member(
            name: "aggregate",
            parameters: [
                ("figures", "table", "{ name = 'count' | { 'sum'|'avg'|'min'|'max'|'count_distinct', field } }")
            ], returns: "table",
            summary:
                "Several figures in one statement ({ name = value }; after group_by, { [key] = { name = value } }).",
            example: "fp.sales:group_by('product'):aggregate{ n = 'count', amount = { 'sum', 'amount' } }"),
        Member(
            name: "first", parameters: [], returns: "fp.Record?",
            summary: "The first record, or nil.", example: "fp.visits:order_by('date'):first()"),
        Member(
            name: "list", parameters: [], returns: "fp.Record[]",
            summary: "All records as a Lua array.", example: "fp.villages:list()"),
        Member(
            name: "iter", parameters: [], returns: "fun(): fp.Record?",
            summary: "Streams records one at a time (memory stays flat).",
            example: "for h in fp.households:iter() do print(h.head_name) end"),
        Member(
            name: "group_by",
            parameters: [
                ("field", "string", "grouping field"),
                ("period", "'year'|'quarter'|'month'?", "group a date field by period"),
            ], returns: "fp.Grouped",
            summary:
                "Groups the records (a date field by year, quarter or month); then count/count_distinct/sum/avg/min/max return { [key] = value }.",
            example: "fp.distributions:group_by('item'):sum('quantity')"),
    ]

    /// Functions of the `fp` table itself.
    public static let functions: [Member] = [
        Member(
            name: "transaction", parameters: [("fn", "function", "the work")], returns: "any",
            summary: "Runs fn in a savepoint: an error inside rolls back fn's writes only, then is raised again.",
            example: "fp.transaction(function() fp.visits:add{ ... } end)"),
        Member(
            name: "sql",
            parameters: [
                ("sql", "string", "one read-only statement"), ("params", "any[]?", "values for ? placeholders"),
            ],
            returns: "table[]", summary: "Runs a read-only SQL query; write statements are refused.",
            example: "fp.sql('SELECT item, SUM(quantity) AS n FROM distributions GROUP BY item')"),
        Member(
            name: "schema", parameters: [], returns: "table",
            summary: "Every collection with its label and fields.", example: "fp.schema().households.label"),
        Member(
            name: "collections", parameters: [], returns: "string[]",
            summary: "Names of every collection, core and plugin ledgers.", example: "fp.collections()"),
        Member(
            name: "show",
            parameters: [("x", "any", "record, list or query"), ("opts", "table?", "{ limit = n, unmask = bool }")],
            returns: "",
            summary: "Prints records as an aligned table (Chinese-width aware; money formatted; personal data masked).",
            example: "fp.show(fp.households)"),
        Member(
            name: "format", parameters: [("x", "any", "record, list or query"), ("opts", "table?", "as for show")],
            returns: "string", summary: "What fp.show would print, as a string.",
            example: "print(fp.format(fp.villages))"),
        Member(
            name: "days_between", parameters: [("a", "string", "YYYY-MM-DD"), ("b", "string", "YYYY-MM-DD")],
            returns: "integer", summary: "Whole days from date a to date b (negative when b is earlier).",
            example: "fp.days_between('2019-09-12', '2019-12-31')"),
    ]

    /// Domain helpers on specific collections.
    public static let helpers: [(collection: String, member: Member)] = [
        (
            "households",
            Member(
                name: "income", parameters: [("id", "integer", "household id"), ("year", "integer", "year")],
                returns: "fp.Income",
                summary: "Total, costs, net, per capita, the year's line, above/below, monitoring band.",
                example: "fp.households:income(1, 2019).per_capita")
        ),
        (
            "households",
            Member(
                name: "members", parameters: [("id", "integer", "household id")], returns: "fp.Record[]",
                summary: "The household's valid members.", example: "fp.households:members(1)")
        ),
        (
            "households",
            Member(
                name: "village", parameters: [("id", "integer", "household id")], returns: "fp.Record?",
                summary: "The household's village.", example: "fp.households:village(1).name")
        ),
        (
            "households",
            Member(
                name: "cadre", parameters: [("id", "integer", "household id")], returns: "fp.Record?",
                summary: "The cadre currently paired with the household.", example: "fp.households:cadre(1).name")
        ),
    ]

    /// `fp.report` (Sources/FupinScripting/lua/fp_report.lua): documents of sections,
    /// paragraphs, lists, tables and charts rendered to Markdown, A4 HTML with inline SVG, or text.
    public static let report: [Member] = [
        Member(
            name: "document", parameters: [("spec", "table?", "{ title =, subtitle =, css = extra HTML CSS }")],
            returns: "fp.report.Document",
            summary: "A new document; add sections and blocks, then :render('md'|'html'|'txt').",
            example: "local doc = fp.report.document{ title = '物资发放' }"),
        Member(
            name: "svg",
            parameters: [
                (
                    "chart", "table",
                    "{ kind = 'bar'|'line'|'pie', title, unit, data = {{label, value}...} | labels, values | labels, series }"
                )
            ],
            returns: "string", summary: "The inline SVG of a chart (no script, no network).",
            example: "fp.report.svg{ kind = 'pie', data = { { '单位自筹', 30000 }, { '干部职工捐款', 8600 } } }"),
        Member(
            name: "escape", parameters: [("text", "any", "text")], returns: "string",
            summary: "HTML/XML escaping of text and attribute values.", example: "fp.report.escape('<a & b>')"),
        Member(
            name: "number", parameters: [("x", "number", "value"), ("decimals", "integer?", "fixed decimals")],
            returns: "string",
            summary: "Thousands separators: 10050 -> '10,050'.", example: "fp.report.number(10050)"),
        Member(
            name: "wan", parameters: [("yuan", "number", "money in yuan"), ("decimals", "integer?", "default 2")],
            returns: "string",
            summary: "Yuan as 万元, trailing zeros trimmed: 13800 -> '1.38'.", example: "fp.report.wan(13800)"),
        Member(
            name: "width", parameters: [("text", "string", "text")], returns: "integer",
            summary: "Display width in columns (CJK counts 2).", example: "fp.report.width('郝九为')"),
        Member(
            name: "pad",
            parameters: [
                ("text", "string", "text"), ("width", "integer", "columns"),
                ("align", "'left'|'right'?", "default left"),
            ],
            returns: "string", summary: "Pads text to a display width.", example: "fp.report.pad('刘三', 8, 'right')"),
    ]

    /// Methods of an `fp.report` document and of its sections.
    public static let reportMethods: [Member] = [
        Member(
            name: "section", parameters: [("title", "string", "heading")], returns: "fp.report.Section",
            summary: "Adds a section (nested under this one) and returns it.",
            example: "local s = doc:section('一、工作开展情况')"),
        Member(
            name: "paragraph", parameters: [("text", "string", "text")], returns: "fp.report.Section",
            summary: "Adds a paragraph.", example: "s:paragraph('全年发放物资5种。')"),
        Member(
            name: "list", parameters: [("items", "string[]", "items"), ("opts", "table?", "{ ordered = true }")],
            returns: "fp.report.Section",
            summary: "Adds a bulleted or numbered list.", example: "s:list({ '一是…', '二是…' }, { ordered = true })"),
        Member(
            name: "table",
            parameters: [
                ("spec", "table", "{ columns = { 'name' | { key, label, align } }, rows, totals?, caption?, empty? }")
            ],
            returns: "fp.report.Section",
            summary: "Adds a table (numbers right-aligned and grouped; a bold totals row).",
            example: "s:table{ columns = { '物资', '数量' }, rows = { { '雏鸡', 60 } }, totals = { '合计', 60 } }"),
        Member(
            name: "chart", parameters: [("spec", "table", "as fp.report.svg")], returns: "fp.report.Section",
            summary: "Adds a chart: SVG in HTML, a data table in Markdown, bars of # in text.",
            example: "s:chart{ kind = 'bar', title = '按物资（元）', data = { { '果树苗', 1688 } } }"),
        Member(
            name: "page_break", parameters: [], returns: "fp.report.Section",
            summary: "Starts a new printed page (HTML) or a rule (Markdown).", example: "doc:page_break()"),
        Member(
            name: "render",
            parameters: [
                ("format", "'md'|'html'|'txt'", "output format"),
                ("opts", "table?", "{ svg = true } embeds SVG in Markdown"),
            ],
            returns: "string", summary: "The whole document as Markdown, self-contained A4 HTML, or text.",
            example: "doc:render('html')"),
    ]

    /// The `ctx` a plugin command's `run(args, ctx)` receives: its fields, then its functions.
    public static let ctxFields: [(name: String, type: String, summary: String)] = [
        ("plugin", "string", "the plugin's name"),
        ("command", "string", "the command's name"),
        ("operator", "string", "who runs it (recorded in the audit log)"),
        ("today", "string", "the day taken as today, YYYY-MM-DD: the day of --as-of, else the local date"),
    ]

    /// Functions of a command's `ctx`.
    public static let ctx: [Member] = [
        Member(
            name: "print", parameters: [("...", "any", "values, tab-separated")], returns: "",
            summary: "Prints a line to the command's output.", example: "ctx.print('recorded', n, 'sales')"),
        Member(
            name: "write_file",
            parameters: [
                ("path", "string", "file under exports/"), ("text", "string", "contents"),
                (
                    "options", "{ convert: 'docx', reference: string? }?",
                    "convert Markdown to Word with pandoc, styled by a file of the plugin"
                ),
            ],
            returns: "string",
            summary: "Writes a file under the workspace's exports/ (needs 'export'); returns its full path.",
            example: "ctx.write_file('sales-2019.csv', text)"),
        Member(
            name: "write_xlsx",
            parameters: [
                ("path", "string", "file under exports/"),
                ("sheets", "table[]", "{ name, title, landscape, columns, rows, totals } each"),
            ],
            returns: "string",
            summary: "Writes an XLSX workbook under exports/ (needs 'export'), laid out for A4; returns its full path.",
            example: "ctx.write_xlsx('register.xlsx', doc:sheets())"),
        Member(
            name: "fail", parameters: [("message", "string", "what went wrong")], returns: "",
            summary: "Ends the command with a user error (no traceback); nothing it wrote is kept.",
            example: "ctx.fail('no unit named ' .. args.unit)"),
        Member(
            name: "import_csv",
            parameters: [
                ("ledger", "string", "one of the plugin's ledgers"), ("path", "string", "a path argument's value"),
                ("encoding", "'auto'|'utf-8'|'gb18030'?", "default auto"),
            ],
            returns: "table",
            summary: "Imports a CSV file into one of the plugin's own ledgers, all or nothing (needs 'write').",
            example: "ctx.import_csv('sales', args.file)"),
        Member(
            name: "result",
            parameters: [
                ("value", "table", "what scripts get (a record is copied)"),
                ("text", "string?", "the line the shell shows (none when absent)"),
            ],
            returns: "table",
            summary: "What every command returns: a table for scripts, shown as one line by the shell and the REPL.",
            example: "return ctx.result(sale, '(sale #' .. sale.id .. ')')"),
    ]
}
