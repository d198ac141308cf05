import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// Writes validate, audit with their source, and roll back with their unit.
@Suite struct FpWriteTests {
    let host: FupinHost
    init() throws { host = try FpTestSupport.sampleHost() }

    func counts() throws -> (Int, Int) {
        (try FpTestSupport.count(host, "visits"), try FpTestSupport.count(host, "audit_log"))
    }

    @Test func addUpdateRemoveAreAudited() throws {
        let before = try counts()
        let r = try FpTestSupport.run(
            host,
            """
            local h = fp.households:find{ head_name = '杨来才' }
            local c, h = fp.cadres:first(), fp.households:first()
            local v = fp.visits:add{ date = '2019-12-01', cadre_id = c.id, household_id = h.id, mode = '入户', content = '送去雏鸡' }
            fp.visits:update(v.id, { result = '已养殖' })
            fp.visits:remove(v.id)
            return v.id, fp.visits:get(v.id).valid, fp.visits:where{ id = v.id }:count()
            """)
        #expect(r[1].boolValue == false, "removal marks the record invalid")
        #expect(r[2].intValue == 0, "invalid records leave queries")
        let after = try counts()
        #expect(after.0 == before.0 + 1, "nothing is deleted")
        #expect(after.1 == before.1 + 3)
        let sources = try host.workspace.read { db in
            try String.fetchAll(db, sql: "SELECT source || ':' || action FROM audit_log ORDER BY id DESC LIMIT 3")
        }
        #expect(sources == ["test:remove", "test:update", "test:insert"])
    }

    @Test func badInputNamesCollectionFieldAndValueAndWritesNothing() throws {
        let before = try counts()
        do {
            try FpTestSupport.run(host, "fp.households:add{ head_name = 'x', head_id_number = '152701198001011235' }")
            Issue.record("should fail")
        } catch let e as LuaError {
            #expect(e.message.contains("households.head_id_number: 152701198001011235 fails the ID check digit"))
            #expect(e.message.hasPrefix("test:1:"))
        }
        for bad in [
            "fp.visits:add{ date = '2019-02-30', mode = '入户' }",
            "fp.funds:add{ date = '2019-01-01', direction = 'in', amount = -5, source = 'x' }",
            "fp.funds:add{ date = '2019-01-01', direction = 'in', amount = 1.234, source = 'x' }",
            "fp.visits:add{ nosuch = 1 }",
            "fp.visits:add{ household_id = 999999, date = '2019-01-01' }",
            "fp.households:update(1, { standard = '火星' })",
        ] {
            #expect(throws: LuaError.self, "\(bad)") { try FpTestSupport.run(host, bad) }
        }
        #expect(try counts() == before)
    }

    @Test func failingUnitRollsBackEverything() throws {
        let before = try counts()
        #expect(throws: LuaError.self) {
            try FpTestSupport.run(
                host,
                """
                local c, h = fp.cadres:first(), fp.households:first()
                for i = 1, 5 do fp.visits:add{ date = '2019-12-0' .. i, cadre_id = c.id, household_id = h.id, mode = '电话' } end
                error('late failure')
                """)
        }
        #expect(try counts() == before)
    }

    @Test func transactionNestsAsASavepoint() throws {
        let before = try counts()
        let r = try FpTestSupport.run(
            host,
            """
            local c, h = fp.cadres:first(), fp.households:first()
            fp.visits:add{ date = '2019-12-01', cadre_id = c.id, household_id = h.id, mode = '电话' }
            local ok, err = pcall(fp.transaction, function()
              fp.visits:add{ date = '2019-12-02', cadre_id = c.id, household_id = h.id, mode = '电话' }
              error('inner')
            end)
            local inner = fp.transaction(function()
              return fp.visits:add{ date = '2019-12-03', cadre_id = c.id, household_id = h.id, mode = '电话' }.id
            end)
            return ok, type(inner)
            """)
        #expect(r[0].boolValue == false)
        #expect(r[1].stringValue == "number")
        #expect(try counts().0 == before.0 + 2, "the failed savepoint's visit is gone, the others stay")
    }

    @Test func dryRunReportsAndLeavesTheDatabaseUnchanged() throws {
        let dump = {
            try self.host.workspace.read { db in
                try String.fetchAll(db, sql: "SELECT group_concat(quote(id) || quote(date), ',') FROM visits")
            }
        }
        let before = (try counts(), try dump())
        let (_, changes) = try host.runUnit(dryRun: true) {
            try host.lua.run(
                string:
                    "local c, h = fp.cadres:first(), fp.households:first() fp.visits:add{ date = '2019-12-09', cadre_id = c.id, household_id = h.id, mode = '入户' }"
            )
        }
        #expect(changes?.entries.count == 1)
        #expect(changes?.description.contains("visits: 1 added") == true)
        #expect(try counts() == before.0)
        #expect(try dump() == before.1)
    }

    @Test func viewWithoutWritesRefusesAndMasks() throws {
        host.view = FpView(source: "plugin:report:annual", allowsWrites: false, masksPersonalData: true)
        do {
            try FpTestSupport.run(host, "fp.visits:add{ date = '2019-12-01', mode = '入户' }")
            Issue.record("should refuse")
        } catch let e as LuaError {
            #expect(e.message.contains("no 'write' permission"))
        }
        let id = try FpTestSupport.run(host, "return fp.households:find{ head_name = '刘三' }.head_id_number").first?
            .stringValue
        #expect(id?.contains("*") == true)
        let streamed = try FpTestSupport.run(
            host, "for h in fp.households:iter() do return h.head_id_number, h.phone end"
        ).map(\.stringValue)
        #expect(streamed.allSatisfy { $0?.contains("*") == true })
        #expect(throws: LuaError.self) {
            try FpTestSupport.run(host, "fp.sql('SELECT head_id_number FROM households')")
        }
    }

    @Test func iteratorsDoNotOutliveTheirUnit() throws {
        let it = try FpTestSupport.run(host, "return fp.households:iter()").first
        let f = try #require(it?.functionValue)
        #expect(throws: LuaError.self) { _ = try host.runUnit { try f.call() } }
    }
}

/// `fp.audit`: the audit log as a read-only collection.
@Suite struct FpAuditTests {
    @Test func theAuditLogIsQueryableAndReadOnly() throws {
        let host = try FpTestSupport.sampleHost()
        let r = try FpTestSupport.run(
            host,
            """
            local before = fp.audit:count()
            fp.towns:add{ name = '新镇' }
            local last = fp.audit:order_by('id', 'desc'):first()
            return fp.audit:count() - before, last.collection, last.action, last.source, last.operator,
                   fp.audit:where{ collection = 'towns', action = 'insert' }:count() >= 1
            """)
        #expect(r[0].intValue == 1)
        #expect(r[1].stringValue == "towns")
        #expect(r[2].stringValue == "insert")
        #expect(r[3].stringValue == "test")
        #expect(r[4].stringValue == "测试员")
        #expect(r[5].boolValue == true)
        for write in ["fp.audit:add{ time = 'x' }", "fp.audit:update(1, { source = 'x' })", "fp.audit:remove(1)"] {
            #expect(throws: LuaError.self, "\(write)") { try FpTestSupport.run(host, write) }
        }
        do { try FpTestSupport.run(host, "fp.audit:remove(1)") } catch let error as LuaError {
            #expect(error.message.contains("fp.audit is read-only"))
        }
    }
}
