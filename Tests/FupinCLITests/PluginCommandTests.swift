import Foundation
import Testing

/// `fupin plugins`, `fupin PLUGIN COMMAND`, generated `--help`, and `fupin test`, run as the
/// real binary over a workspace holding one plugin (bundled plugins switched off).
@Suite struct PluginCommandTests {
    static let manifest = """
        return {
          name = "shop", version = "1.2.0", api = 1, title = "小卖部", description = "Sales of a test shop.",
          permissions = { "read", "write", "export" },
          ledgers = { sales = { label = "销售记录", fields = {
            { name = "date", type = "date", required = true, label = "日期" },
            { name = "product", type = "text", required = true, label = "产品" },
            { name = "quantity", type = "number", min = 0, label = "数量" },
            { name = "unit_price", type = "money", min = 0, label = "单价" },
            { name = "amount", type = "money", min = 0, label = "金额" },
          }, derive = { amount = { "quantity", "unit_price" } } } },
          commands = {
            record = { summary = "Record one sale", args = {
                { name = "date", type = "date", required = true, help = "day of the sale" },
                { name = "product", type = "text", required = true },
                { name = "quantity", type = "number" },
                { name = "unit_price", type = "money" },
                { name = "channel", type = "enum", values = { "食堂直采", "集贸市场" }, default = "集贸市场" },
              }, run = function(args, ctx)
                local s = fp.sales:add{ date = args.date, product = args.product, quantity = args.quantity, unit_price = args.unit_price }
                ctx.print(("%s %s %.2f via %s"):format(s.date, s.product, s.amount, args.channel))
              end },
            total = { summary = "Total of a year", args = { { name = "year", type = "integer", required = true } },
              run = function(args, ctx) return fp.sales:where{ year = args.year }:sum("amount") end },
            last = { summary = "The last sale", run = function(args, ctx)
                local s = fp.sales:order_by("id", "desc"):first()
                return ctx.result(s, "(sale #" .. s.id .. ")")
              end },
            save = { summary = "Write a file", args = { { name = "output", short = "o", type = "path", required = true } },
              run = function(args, ctx) ctx.print(ctx.write_file(args.output, "ok")) end },
            dump = { summary = "The sales as CSV", run = function(args, ctx)
                ctx.print("date,product")
                for s in fp.sales:iter() do ctx.print(s.date .. "," .. s.product) end
                return ctx.result{ rows = fp.sales:count() }
              end },
          },
        }
        """

    static let spec = """
        describe("record", function()
          it("adds a sale", function()
            local _, out = run("record", { date = "2019-11-02", product = "鸡蛋", quantity = 2, unit_price = 3 })
            expect(out).to_contain("6.00")
            expect(fp.sales:count()).to_be(1)
          end)
          it("starts from a clean ledger again", function() expect(fp.sales:count()).to_be(0) end)
          it("refuses a bad date", function()
            expect(function() run("record", { date = "2019-02-30", product = "x" }) end).to_fail("2019-02-30")
          end)
        end)
        """

    /// A workspace with the sample data and the shop plugin in its plugins/ folder.
    static func workspace(spec: String = spec) throws -> (URL, [String: String]) {
        let folder = try FupinBinary.scratchFolder()
        let env = [
            "FUPIN_BUNDLED_PLUGINS": "", "FUPIN_PLUGIN_PATH": "",
            "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
        ]
        let plugin = folder.appendingPathComponent("ws/plugins/shop")
        try FileManager.default.createDirectory(
            at: plugin.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try manifest.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        try spec.write(to: plugin.appendingPathComponent("tests/record_spec.lua"), atomically: true, encoding: .utf8)
        let ws = folder.appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", ws.path, "--sample"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return (ws, env)
    }

    @Test func commandsRunFromTheShellWithTypedArguments() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let record = try FupinBinary.run(
            [
                "shop", "record", "--date", "2019-11-02", "--product", "鸡蛋", "--quantity", "12.5",
                "--unit-price", "6.4", "--workspace", ws.path,
            ], environment: env)
        #expect(record.status == 0, "\(record.stderr)")
        #expect(record.stdout == "2019-11-02 鸡蛋 80.00 via 集贸市场\n")
        let total = try FupinBinary.run(["--workspace", ws.path, "shop", "total", "--year=2019"], environment: env)
        #expect(total.stdout == "80\n" || total.stdout == "80.0\n")
        let audit = try FupinBinary.run(
            [
                "eval", "--workspace", ws.path,
                "return fp.sql('SELECT source FROM audit_log ORDER BY id DESC LIMIT 1')[1].source",
            ], environment: env)
        #expect(audit.stdout == "plugin:shop:record\n")
        let dry = try FupinBinary.run(
            [
                "shop", "record", "--date", "2019-11-03", "--product", "番茄", "--quantity", "1", "--unit-price", "2",
                "--dry-run", "--workspace", ws.path,
            ], environment: env)
        #expect(dry.status == 0)
        #expect(dry.stderr.contains("dry run: nothing was written"))
        #expect(dry.stderr.contains("sales: 1 added"))
        let count = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.sales:count()"], environment: env)
        #expect(count.stdout == "1\n")
    }

    /// `ctx.result`: the shell prints the command's one line; a script gets the record's fields
    /// as a plain table (not the record object, whose writes would bypass the command).
    @Test func resultsPrintTheirLineAndGiveScriptsATable() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        _ = try FupinBinary.run(
            [
                "shop", "record", "--date", "2019-11-02", "--product", "鸡蛋", "--quantity", "2",
                "--unit-price", "3", "--workspace", ws.path,
            ], environment: env)
        let shell = try FupinBinary.run(["shop", "last", "--workspace", ws.path], environment: env)
        #expect(shell.status == 0, "\(shell.stderr)")
        #expect(shell.stdout == "(sale #1)\n")
        let script = try FupinBinary.run(
            [
                "eval", "--workspace", ws.path,
                """
                local r = fp.plugins.shop.last{}
                return r.product, r.amount, getmetatable(r).__index == nil, tostring(r)
                """,
            ], environment: env)
        #expect(script.stdout == "鸡蛋\t6\ttrue\t(sale #1)\n", "\(script.stderr)")
    }

    /// `ctx.result` without its line: the shell prints only the command's own output (CSV stays
    /// CSV, as the ledgers plugin needs); a script still gets the table.
    @Test func aResultWithoutTextAddsNoLine() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        _ = try FupinBinary.run(
            [
                "shop", "record", "--date", "2019-11-02", "--product", "鸡蛋", "--quantity", "2",
                "--unit-price", "3", "--workspace", ws.path,
            ], environment: env)
        let shell = try FupinBinary.run(["shop", "dump", "--workspace", ws.path], environment: env)
        #expect(shell.status == 0, "\(shell.stderr)")
        #expect(shell.stdout == "date,product\n2019-11-02,鸡蛋\n")
        let script = try FupinBinary.run(
            [
                "eval", "--workspace", ws.path,
                """
                local r = fp.plugins.shop.dump{}
                return r.rows, tostring(r) == ""
                """,
            ], environment: env)
        #expect(script.stdout.hasSuffix("1\ttrue\n"), "\(script.stdout)\(script.stderr)")
    }

    @Test(arguments: [
        (["--date", "2019-02-30", "--product", "x"], "shop record: --date: 2019-02-30"),
        (["--product", "x"], "shop record: --date is required"),
        (["--date", "2019-01-01", "--product", "x", "--colour", "red"], "unknown option --colour"),
        (["--date", "2019-01-01", "--product", "x", "--channel", "网店"], "--channel: 网店"),
        (["--date", "2019-01-01", "--product", "x", "--quantity"], "--quantity needs a value"),
        (["--date", "2019-01-01", "--product", "x", "--quantity", "lots"], "--quantity: lots"),
        (["--date", "2019-01-01", "--product", "x", "stray"], "unexpected argument 'stray'"),
    ])
    func badArgumentsAreUsageErrorsAndWriteNothing(arguments: [String], message: String) throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let r = try FupinBinary.run(["shop", "record"] + arguments + ["--workspace", ws.path], environment: env)
        #expect(r.status == 64)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains("See: fupin shop record --help"))
        let count = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.sales:count()"], environment: env)
        #expect(count.stdout == "0\n")
    }

    @Test func failuresInsideTheCommandExitOneWithThePluginsPosition() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        // A path with a folder that the user typed is written where it says (relative to the
        // current folder); a missing folder is the user's error, without a traceback.
        let beside = try FupinBinary.run(
            ["shop", "save", "-o", "../beside.txt", "--workspace", ws.path], directory: ws, environment: env)
        #expect(beside.status == 0, "\(beside.stderr)")
        #expect(beside.stdout == ws.deletingLastPathComponent().appendingPathComponent("beside.txt").path + "\n")
        let missing = try FupinBinary.run(
            ["shop", "save", "-o", "no/such/a.txt", "--workspace", ws.path], directory: ws, environment: env)
        #expect(missing.status == 1)
        #expect(
            missing.stderr == "fupin: shop save: cannot write no/such/a.txt: there is no folder \(ws.path)/no/such\n")
        let saved = try FupinBinary.run(["shop", "save", "-o", "a.txt", "--workspace", ws.path], environment: env)
        #expect(saved.stdout == ws.appendingPathComponent("exports/a.txt").path + "\n")
        let unknown = try FupinBinary.run(["shop", "refund", "--workspace", ws.path], environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no such command (commands: dump, last, record, save, total)"))
        let nothing = try FupinBinary.run(["nosuch", "--workspace", ws.path], environment: env)
        #expect(nothing.status != 0)
        #expect(nothing.stderr.contains("unknown command 'nosuch'"))
    }

    @Test func helpIsGeneratedFromTheManifest() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let help = try FupinBinary.run(["shop", "record", "--help", "--workspace", ws.path], environment: env)
        #expect(help.status == 0)
        #expect(help.stdout.contains("OVERVIEW: Record one sale"))
        #expect(help.stdout.contains("USAGE: fupin shop record [options]"))
        #expect(help.stdout.contains("--date <YYYY-MM-DD>"))
        #expect(help.stdout.contains("day of the sale (required)"))
        #expect(help.stdout.contains("--unit-price <yuan>"))
        #expect(help.stdout.contains("(食堂直采|集贸市场) (default: 集贸市场)"))
        let plugin = try FupinBinary.run(["shop", "--help", "--workspace", ws.path], environment: env)
        #expect(plugin.stdout.contains("shop 1.2.0 — 小卖部"))
        #expect(plugin.stdout.contains("total"))
    }

    @Test func importAndExportTakePluginLedgers() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let csv = ws.appendingPathComponent("sales.csv")
        try "日期,产品,数量,单价\n2019-11-02,鸡蛋,10,6.4\n2019-11-03,番茄,4,2\n".write(to: csv, atomically: true, encoding: .utf8)
        let imported = try FupinBinary.run(["import", "sales", csv.path, "--workspace", ws.path], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("2 inserted"))
        let exported = try FupinBinary.run(
            ["export", "sales", "--format", "csv", "--where", "product=鸡蛋", "--workspace", ws.path], environment: env)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("2019-11-02,鸡蛋,10,6.40,64.00"), "the amount was derived")
        let bad = try FupinBinary.run(["import", "salez", csv.path, "--workspace", ws.path], environment: env)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("salez is not a collection; one of: units"))
        #expect(bad.stderr.contains("sales"))
    }

    @Test func pluginsListAndInfo() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let broken = ws.appendingPathComponent("plugins/broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try "return { name = 'broken', version = '1.0.0', api = 1, requires = { 'shop >= 2' } }"
            .write(to: broken.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let list = try FupinBinary.run(["plugins", "--workspace", ws.path], environment: env)
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix("shop") && $0.contains("1.2.0") && $0.contains("workspace") && $0.contains("enabled")
                    && $0.contains("小卖部")
            })
        #expect(
            lines.contains {
                $0.hasPrefix("broken") && $0.contains("disabled")
                    && $0.contains("requires shop >= 2 but shop 1.2.0 is installed")
            })
        let info = try FupinBinary.run(["plugins", "info", "shop", "--workspace", ws.path], environment: env)
        #expect(info.stdout.contains("permissions: read, write, export"))
        #expect(info.stdout.contains("ledger sales (销售记录): date date, product text"))
        #expect(
            info.stdout.contains("command record: Record one sale [--date --product --quantity --unit-price --channel]")
        )
    }

    @Test func testRunsSpecsOnAScratchWorkspace() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let r = try FupinBinary.run(["test", "--workspace", ws.path], environment: env)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("✓ record › adds a sale"))
        #expect(r.stdout.hasSuffix("3 passed, 0 failed\n"))
        let count = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.sales:count()"], environment: env)
        #expect(count.stdout == "0\n", "the real workspace is untouched")

        let (failing, env2) = try PluginCommandTests.workspace(
            spec: "it('fails', function() expect(1 + 1).to_be(3) end)")
        let f = try FupinBinary.run(["test", "shop", "--workspace", failing.path], environment: env2)
        #expect(f.status == 1)
        #expect(f.stdout.contains("✗ fails"))
        #expect(f.stdout.contains("shop/tests/record_spec.lua:1: expected 3, got 2"))
        #expect(f.stdout.hasSuffix("0 passed, 1 failed\n"))
    }
}
