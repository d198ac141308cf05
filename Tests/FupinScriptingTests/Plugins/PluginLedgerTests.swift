import Foundation
import FupinCore
import GRDB
import LuaKit
import Testing

@testable import FupinScripting

/// Plugin ledgers: real tables served as `fp.<ledger>`, derived fields, and migrations that
/// add fields but never drop or retype one silently.
@Suite struct PluginLedgerTests {
    static func sales(_ fields: String = "", derive: Bool = true) -> String {
        """
        { name = "shop", version = "1.0.0", api = 1, permissions = { "read", "write" },
          ledgers = { sales = { label = "销售记录", fields = {
            { name = "date", type = "date", required = true, label = "日期" },
            { name = "household_id", type = "ref", to = "households", label = "供货户" },
            { name = "product", type = "text", required = true, label = "产品" },
            { name = "channel", type = "enum", values = { "食堂直采", "集贸市场" }, label = "渠道" },
            { name = "quantity", type = "number", min = 0, label = "数量" },
            { name = "unit_price", type = "money", min = 0, label = "单价" },
            { name = "amount", type = "money", min = 0, label = "金额" },
            \(fields)
          }\(derive ? ", derive = { amount = { \"quantity\", \"unit_price\" } }" : "") } } }
        """
    }

    @Test func aLedgerIsACollectionLikeTheCoreOnes() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("shop", PluginLedgerTests.sales())
        let host = try fixture.host()
        let r = try FpTestSupport.run(
            host,
            """
            local h = fp.households:first()
            local a = fp.sales:add{ date = '2019-11-02', household_id = h.id, product = '鸡蛋', channel = '食堂直采', quantity = 12.5, unit_price = 6.4 }
            local b = fp.sales:add{ date = '2019-12-01', product = '番茄', quantity = 4, amount = 10 }
            local c = fp.sales:add{ date = '2018-12-01', product = '黄瓜', unit_price = 2, amount = 9 }
            fp.sales:update(a.id, { quantity = 10 })
            return a.amount, b.unit_price, c.quantity, fp.sales:get(a.id).amount, fp.sales:where{ year = 2019 }:sum('amount'),
                   fp.sales:group_by('product'):count()['番茄'], fp.sales:fields()[1].label
            """)
        #expect(r[0].doubleValue == 80)
        #expect(r[1].doubleValue == 2.5)
        #expect(r[2].doubleValue == 4.5)
        #expect(r[3].doubleValue == 64, "changing the quantity recomputes the amount")
        #expect(r[4].doubleValue == 74)
        #expect(r[5].intValue == 1)
        #expect(r[6].stringValue == "日期")
        let stored = try host.workspace.read { db in try Int64.fetchAll(db, sql: "SELECT amount FROM sales ORDER BY id")
        }
        #expect(stored == [6400, 1000, 900], "money is stored as integer fen")
        let audited = try host.workspace.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE collection = 'sales'")
        }
        #expect(audited == 4)
    }

    @Test(arguments: [
        ("{ date = '2019-02-30', product = 'x' }", "sales.date"),
        ("{ date = '2019-01-01' }", "sales.product"),
        ("{ date = '2019-01-01', product = 'x', channel = '网店' }", "sales.channel"),
        (
            "{ date = '2019-01-01', product = 'x', household_id = 99999 }",
            "sales.household_id: 99999 is not the id of a record of households"
        ),
        ("{ date = '2019-01-01', product = 'x', quantity = -2 }", "sales.quantity"),
        (
            "{ date = '2019-01-01', product = 'x', quantity = 2, unit_price = 3, amount = 7 }",
            "sales.amount: 7 does not equal quantity 2 × unit_price 3 = 6"
        ),
        ("{ date = '2019-01-01', product = 'x', unit_price = 3.333 }", "sales.unit_price"),
    ])
    func badLedgerInputNamesFieldAndValueAndWritesNothing(fields: String, message: String) throws {
        let fixture = try PluginFixture()
        try fixture.plugin("shop", PluginLedgerTests.sales())
        let host = try fixture.host()
        do {
            try FpTestSupport.run(host, "fp.sales:add\(fields)")
            Issue.record("accepted \(fields)")
        } catch let error as LuaError {
            #expect(error.message.contains(message), "\(error.message)")
        }
        #expect(try FpTestSupport.count(host, "sales") == 0)
    }

    @Test func addingAFieldMigratesDroppingOrRetypingIsRefused() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("shop", PluginLedgerTests.sales())
        let host = try fixture.host(inFolder: true)
        try FpTestSupport.run(host, "fp.sales:add{ date = '2019-11-02', product = '鸡蛋', quantity = 2, unit_price = 3 }")

        try fixture.plugin("shop", PluginLedgerTests.sales("{ name = \"buyer\", type = \"text\", label = \"购买方\" },"))
        try host.reloadPlugins()
        #expect(PluginFixture.problem(host, "shop") == "")
        let r = try FpTestSupport.run(
            host, "fp.sales:update(1, { buyer = '区林业局食堂' }) return fp.sales:get(1).buyer, fp.sales:get(1).amount")
        #expect(r[0].stringValue == "区林业局食堂")
        #expect(r[1].doubleValue == 6, "old rows keep their data")

        // Dropping the new field again is refused: the plugin is disabled, the column and data stay.
        try fixture.plugin("shop", PluginLedgerTests.sales())
        try host.reloadPlugins()
        #expect(
            PluginFixture.problem(host, "shop").contains(
                "sales.buyer: the field is in the database but no longer declared"))
        #expect(host.workspace.schema["sales"] == nil, "a disabled plugin's ledger is not served")
        let kept = try host.workspace.read { db in try String.fetchOne(db, sql: "SELECT buyer FROM sales WHERE id = 1")
        }
        #expect(kept == "区林业局食堂")

        // Retyping is refused too.
        try fixture.plugin("shop", PluginLedgerTests.sales("{ name = \"buyer\", type = \"integer\" },"))
        try host.reloadPlugins()
        #expect(
            PluginFixture.problem(host, "shop").contains("sales.buyer: the field was text and is now declared integer"))
    }

    @Test func transitionsAreEnforcedOnEveryWrite() throws {
        let fixture = try PluginFixture()
        try fixture.plugin(
            "deals",
            PluginFixture.manifest(
                "deals",
                """
                permissions = { "read", "write" },
                ledgers = { deals = { fields = { { name = "status", type = "enum", values = { "洽谈", "协调中", "实施中", "已完成", "搁置" } } },
                  transitions = { status = { ["洽谈"] = { "协调中", "搁置" }, ["协调中"] = { "实施中", "搁置" }, ["已完成"] = {} } } } }
                """))
        let host = try fixture.host()
        let r = try FpTestSupport.run(
            host,
            """
            local d = fp.deals:add{ status = '协调中' }
            local ok, err = pcall(fp.deals.update, fp.deals, d.id, { status = '已完成' })
            fp.deals:update(d.id, { status = '实施中' })
            fp.deals:update(d.id, { status = '已完成' })     -- 实施中 has no entry: free
            local ok2, err2 = pcall(fp.deals.update, fp.deals, d.id, { status = '搁置' })
            return ok, err, fp.deals:get(d.id).status, ok2, err2
            """)
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue?.contains("deals.status: 已完成 cannot follow 协调中 (after 协调中 comes 实施中, 搁置)") == true)
        #expect(r[2].stringValue == "已完成")
        #expect(r[4].stringValue?.contains("after 已完成 comes nothing: it is final") == true)
    }

    @Test func aTextFieldMayBecomeAStricterTextType() throws {
        let fixture = try PluginFixture()
        let ledger = { (type: String) in
            PluginFixture.manifest(
                "firms",
                "permissions = { 'read', 'write' }, ledgers = { firms = { fields = { { name = 'code', type = '\(type)' } } } }"
            )
        }
        try fixture.plugin("firms", ledger("text"))
        let host = try fixture.host()
        try FpTestSupport.run(host, "fp.firms:add{ code = 'old value' }")
        try fixture.plugin("firms", ledger("credit_code"))
        try host.reloadPlugins()
        #expect(PluginFixture.problem(host, "firms") == "")
        #expect(throws: LuaError.self) { try FpTestSupport.run(host, "fp.firms:add{ code = '123' }") }
        #expect(try FpTestSupport.run(host, "return fp.firms:get(1).code").first?.stringValue == "old value")
        try fixture.plugin("firms", ledger("money"))
        try host.reloadPlugins()
        #expect(PluginFixture.problem(host, "firms").contains("was credit_code and is now declared money"))
    }

    @Test func loadingACurrentLedgerWritesNothing() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("shop", PluginLedgerTests.sales())
        let host = try fixture.host(inFolder: true)
        let version = { try host.workspace.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? -1 } }
        let before = try version()
        try host.reloadPlugins()
        try host.reloadPlugins()
        #expect(try version() == before, "the ledger was current: no write transaction")
        try fixture.plugin("shop", PluginLedgerTests.sales("{ name = \"buyer\", type = \"text\" },"))
        try host.reloadPlugins()
        #expect(try version() != before, "a new field is a migration")
        #expect(PluginFixture.problem(host, "shop") == "")
    }

    @Test func twoPluginsCannotShareALedger() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("shop", PluginLedgerTests.sales())
        try fixture.plugin(
            "copycat", PluginLedgerTests.sales().replacingOccurrences(of: "\"shop\"", with: "\"copycat\""))
        let host = try fixture.host()
        #expect(PluginFixture.problem(host, "shop") == "" || PluginFixture.problem(host, "copycat") == "")
        let problems = PluginFixture.problem(host, "shop") + PluginFixture.problem(host, "copycat")
        #expect(problems.contains("ledger sales is already declared by plugin"))
    }

    @Test func aLedgerMayReferToALedgerOfAPluginItRequires() throws {
        let fixture = try PluginFixture()
        try fixture.plugin(
            "firms",
            PluginFixture.manifest(
                "firms",
                """
                permissions = { "read", "write" }, exports = { kinds = { "产业", "就业" } },
                ledgers = { firms = { fields = { { name = "name", type = "text", required = true } } } }
                """))
        try fixture.plugin(
            "deals",
            PluginFixture.manifest(
                "deals",
                """
                requires = { "firms >= 1" }, permissions = { "read", "write" },
                ledgers = { deals = { fields = { { name = "firm_id", type = "ref", to = "firms", required = true } } } },
                commands = { kinds = { run = function() return require("firms").kinds[2] end } }
                """))
        let host = try fixture.host()
        let r = try FpTestSupport.run(
            host, "local f = fp.firms:add{ name = '伊泰集团' } return fp.deals:add{ firm_id = f.id }.firm_id")
        #expect(r.first?.intValue == 1)
        #expect(try host.run("deals", "kinds").first?.stringValue == "就业")
    }
}

/// `fupin stubs` describes the loaded plugins: ledgers as collections, commands with their
/// typed arguments, exports.
@Suite struct PluginStubTests {
    @Test func stubsDescribeLedgersCommandsAndExports() throws {
        let fixture = try PluginFixture()
        try fixture.plugin(
            "shop",
            PluginLedgerTests.sales().replacingOccurrences(
                of: "ledgers = {",
                with: """
                    exports = { total = function() end },
                    commands = { ["record-sale"] = { summary = "Record one sale", args = {
                      { name = "date", type = "date", required = true, help = "day of the sale" },
                      { name = "quantity", type = "number" }, { name = "apply", type = "bool" } }, run = function() end } },
                    ledgers = {
                    """))
        let host = try fixture.host()
        let manifests = host.plugins?.plugins.compactMap(\.manifest) ?? []
        let stub = StubGenerator(schema: host.workspace.schema, plugins: manifests).render()
        #expect(stub.contains("---@class fp.SalesRecord: fp.Record"))
        #expect(stub.contains("---@field [\"shop\"] fp.plugin.Shop"))
        #expect(stub.contains("---@class fp.plugin.Shop.RecordSaleArgs"))
        #expect(stub.contains("---@field date string day of the sale (required)"))
        #expect(stub.contains("---@field quantity? number"))
        #expect(stub.contains("---@field apply? boolean"))
        #expect(stub.contains("---@field record_sale fun(args: fp.plugin.Shop.RecordSaleArgs): any Record one sale"))
        #expect(stub.contains("---@class fp.plugin.Shop.Exports"))
        #expect(stub.contains("---@field total any"))
        // The stub is still Lua that compiles.
        let lua = try LuaState(libraries: .all)
        _ = try lua.load(string: stub, chunkName: "=fp.lua", mode: "t")
    }
}
