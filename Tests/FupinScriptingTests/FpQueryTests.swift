import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// Every query method and filter form, checked against the sample data.
@Suite struct FpQueryTests {
    let host: FupinHost
    init() throws { host = try FpTestSupport.sampleHost() }

    func value(_ source: String) throws -> LuaValue {
        try FpTestSupport.run(host, "return " + source).first ?? .nil
    }

    @Test func collectionsAreQueries() throws {
        #expect(try value("fp.households:count()").intValue == 6)
        #expect(try value("fp.households:all():count()").intValue == 6)
        #expect(try value("fp.households:where{ standard = '国家' }:count()").intValue == 6)
        #expect(try value("#fp.villages:list()").intValue == 2)
    }

    @Test func filterForms() throws {
        #expect(try value("fp.distributions:where{ item = '雏鸡' }:sum('quantity')").intValue == 60)
        #expect(try value("fp.distributions:where{ item = '果树苗', quantity = {'>=', 38} }:count()").intValue == 2)
        #expect(
            try value("fp.distributions:where{ item = '果树苗', quantity = {'between', 30, 35} }:count()").intValue == 3)
        #expect(try value("fp.distributions:where{ item = {'in', {'雏鸡', '猪仔'}} }:count()").intValue == 3)
        #expect(try value("fp.households:where{ head_name = {'like', '杨%'} }:count()").intValue == 1)
        #expect(
            try value("fp.distributions:where{ item = {'~=', '果树苗'} }:count()").intValue
                == (try value("fp.distributions:count()").intValue ?? 0) - 6)
        #expect(
            try value("fp.distributions:where{ year = 2019 }:count()").intValue
                == (try value("fp.distributions:count()").intValue))
        #expect(try value("fp.distributions:where{ year = 2018 }:count()").intValue == 0)
    }

    @Test func aggregatesOrderLimitOffsetFirst() throws {
        #expect(try value("fp.distributions:where{ item = '果树苗' }:min('quantity')").intValue == 30)
        #expect(try value("fp.distributions:where{ item = '果树苗' }:max('quantity')").intValue == 40)
        #expect(try value("fp.ranger_posts:sum('wage')").intValue == 13800)
        #expect(
            try value("fp.distributions:where{ item = '果树苗' }:order_by('quantity', 'desc'):first().quantity").intValue
                == 40)
        #expect(
            try value("fp.distributions:where{ item = '果树苗' }:order_by('quantity'):offset(1):limit(1):first().quantity")
                .intValue == 32)
        #expect(try value("#fp.distributions:where{ item = '果树苗' }:limit(4):list()").intValue == 4)
        let avg = try value("fp.distributions:where{ item = '雏鸡' }:avg('quantity')")
        #expect(avg.doubleValue == 30)
    }

    @Test func groupByReturnsAKeyedTable() throws {
        let r = try FpTestSupport.run(
            host,
            """
            local sums = fp.distributions:group_by('item'):sum('quantity')
            local counts = fp.distributions:where{ item = '果树苗' }:group_by('household_id'):count()
            local n = 0 for _ in pairs(counts) do n = n + 1 end
            return sums['雏鸡'], sums['猪仔'], sums['收音机'], n
            """)
        #expect(r.map { $0.intValue } == [60, 2, 1, 6])
    }

    @Test func iterStreamsEveryRow() throws {
        let r = try FpTestSupport.run(
            host,
            """
            local n, names = 0, {}
            for h in fp.households:order_by('id'):iter() do n = n + 1; names[#names + 1] = h.head_name end
            return n, table.concat(names, ','):find('郝九为') ~= nil
            """)
        #expect(r[0].intValue == 6)
        #expect(r[1].boolValue == true)
    }

    @Test func iterAndListGiveTheSameRecords() throws {
        let r = try FpTestSupport.run(
            host,
            """
            local same = true
            local listed = fp.distributions:order_by('id'):list()
            local i = 0
            for d in fp.distributions:order_by('id'):iter() do
              i = i + 1
              for k, v in pairs(listed[i]) do
                if d[k] ~= v or math.type(d[k]) ~= math.type(v) then same = false end
              end
            end
            for p in fp.ranger_posts:iter() do return same, i == #listed, p.wage, math.type(p.wage) end
            """)
        #expect(r.map(\.description) == ["true", "true", "13800", "integer"])
    }

    @Test func recordsArePlainTables() throws {
        let r = try FpTestSupport.run(
            host,
            """
            local h = fp.households:find{ head_name = '刘三' }
            local v = fp.households:village(h.id)
            local members = fp.households:members(h.id)
            return type(h.id), h.standard, type(h.village_id), v.name ~= nil, #members >= 1, fp.households:get(h.id).head_name
            """)
        #expect(r[0].stringValue == "number")
        #expect(r[1].stringValue == "国家")
        #expect(r[2].stringValue == "number")
        #expect(r[3].boolValue == true)
        #expect(r[4].boolValue == true)
        #expect(r[5].stringValue == "刘三")
    }

    @Test func incomeHelperMatchesFupinCore() throws {
        let id = try #require(try value("fp.households:find{ head_name = '郝九为' }.id").intValue)
        let figures = try host.workspace.incomeFigures(householdID: id, year: 2019)
        let r = try FpTestSupport.run(
            host, "local i = fp.households:income(\(id), 2019) return i.net, i.per_capita, i.line, i.above")
        #expect(r[0].doubleValue == figures.netIncome.yuan)
        #expect(r[1].doubleValue == figures.perCapitaNetIncome?.yuan)
        #expect(r[2].doubleValue == figures.povertyLine?.yuan)
        #expect(r[3].boolValue == figures.isAbovePovertyLine)
    }

    @Test func fieldsAndSchema() throws {
        let r = try FpTestSupport.run(
            host,
            """
            local byName = {}
            for _, f in ipairs(fp.households:fields()) do byName[f.name] = f end
            return byName.head_id_number.label, byName.village_id.ref, fp.schema().households.name, #fp.collections() > 15
            """)
        #expect(r[0].stringValue?.isEmpty == false)
        #expect(r[1].stringValue == "villages")
        #expect(r[2].stringValue == "households")
        #expect(r[3].boolValue == true)
    }

    @Test func sqlIsReadOnly() throws {
        #expect(
            try value("fp.sql('SELECT COUNT(*) AS n FROM households WHERE standard = ?', {'国家'})[1].n").intValue == 6)
        let before = try FpTestSupport.count(host, "households")
        #expect(throws: LuaError.self) { try FpTestSupport.run(host, "fp.sql('DELETE FROM households')") }
        #expect(throws: LuaError.self) { try FpTestSupport.run(host, "fp.sql('SELECT 1; DELETE FROM households')") }
        #expect(try FpTestSupport.count(host, "households") == before)
    }

    @Test func wrongFieldNamesAndInjectionAreRefused() throws {
        for bad in [
            "fp.households:where{ nosuch = 1 }:count()",
            "fp.households:where{ [\"head_name = '' OR 1=1 --\"] = 1 }:count()",
            "fp.households:order_by('head_name; DROP TABLE households'):list()",
            "fp.households:sum('id) FROM households; --')",
            "fp.households:group_by('nosuch'):count()",
            "fp.households:where{ head_name = {'nope', 1} }:count()",
        ] {
            #expect(throws: LuaError.self, "\(bad)") { try FpTestSupport.run(host, bad) }
        }
        // A value that looks like SQL is only a value.
        #expect(try value("fp.households:where{ head_name = \"' OR '1'='1\" }:count()").intValue == 0)
        #expect(try FpTestSupport.count(host, "households") == 6)
    }
}

/// `group_by("ref.field")`: grouping by a field of the referenced record.
@Suite struct FpReferenceGroupingTests {
    @Test func groupsByAFieldOfTheReferencedRecordAlsoUnderALimit() throws {
        let host = try FpTestSupport.sampleHost()
        let r = try FpTestSupport.run(
            host,
            """
            local all = fp.members:group_by('household_id.village_id'):count()
            local direct = {}
            for m in fp.members:iter() do
              local v = fp.households:get(m.household_id).village_id
              direct[v] = (direct[v] or 0) + 1
            end
            local limited = fp.members:order_by('id'):limit(3):group_by('household_id.village_id'):count()
            local n = 0 for _, c in pairs(limited) do n = n + c end
            return all[1] == direct[1] and all[2] == direct[2], n
            """)
        #expect(r[0].boolValue == true)
        #expect(r[1].intValue == 3)
        #expect(throws: LuaError.self) {
            try FpTestSupport.run(host, "return fp.members:group_by('household_id.colour'):count()")
        }
        #expect(throws: LuaError.self) { try FpTestSupport.run(host, "return fp.members:group_by('a.b.c'):count()") }
    }

    @Test func filtersFollowOneReference() throws {
        let host = try FpTestSupport.sampleHost()
        let r = try FpTestSupport.run(
            host,
            """
            local viaPath = fp.members:where{ ['household_id.village_id'] = 1 }:count()
            local ids = {}
            for h in fp.households:where{ village_id = 1 }:iter() do ids[#ids + 1] = h.id end
            local direct = fp.members:where{ household_id = { 'in', ids } }:count()
            local named = fp.distributions:where{ ['household_id.head_name'] = { 'in', { '郝九为', '杨来才' } }, item = '雏鸡' }:sum('quantity')
            return viaPath, direct, named
            """)
        #expect(r[0].intValue == r[1].intValue)
        #expect((r[0].intValue ?? 0) > 0)
        #expect(r[2].doubleValue == 60)
        do {
            try FpTestSupport.run(host, "return fp.members:where{ ['name.x'] = 1 }:count()"); Issue.record("accepted")
        } catch let error as LuaError {
            #expect(error.message.contains("members.name.x: is not a field of members: a path is ref.field"))
        }
    }
}
