import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

@Suite struct StubTests {
    let stub = StubGenerator(schema: .core).render()

    @Test func isAMetaFileThatCompilesAndRuns() throws {
        #expect(stub.hasPrefix("---@meta"))
        let lua = try LuaState()
        let chunk = try lua.load(string: stub, chunkName: "=stub")
        _ = try chunk.call()  // declarations only: defines the global fp and nothing else happens
    }

    @Test func coversEveryCollectionAndField() {
        for collection in Schema.core.collections {
            let name = StubTypes.className(collection.name)
            #expect(stub.contains("---@class fp.\(name)Record: fp.Record\n"), "record class of \(collection.name)")
            #expect(stub.contains("---@class fp.\(name)Query: fp.Query\n"), "query class of \(collection.name)")
            #expect(stub.contains("---@class fp.\(name): fp.\(name)Query\n"), "collection class of \(collection.name)")
            #expect(
                stub.contains("---@field \(collection.name) fp.\(name) \(collection.label)"), "fp.\(collection.name)")
            for field in collection.fields {
                #expect(stub.contains("---@field \(field.name) "), "\(collection.name).\(field.name)")
                #expect(stub.contains(field.label), "label of \(collection.name).\(field.name)")
            }
        }
        #expect(stub.contains("---@field audit fp.AuditLog "))
    }

    @Test func coversEveryMemberOfTheAPI() {
        for member in FpAPI.queryMethods {
            #expect(stub.contains("function Query:\(member.name)("), "fp.Query:\(member.name)")
            #expect(stub.contains("function HouseholdsQuery:\(member.name)("), "households query :\(member.name)")
            #expect(stub.contains("---```lua\n---\(member.example)\n---```\n"), "usage of \(member.name)")
        }
        for member in FpAPI.collectionMethods {
            #expect(stub.contains("function Collection:\(member.name)("), "fp.Collection:\(member.name)")
            #expect(stub.contains("function Distributions:\(member.name)("), "distributions:\(member.name)")
            #expect(stub.contains("---```lua\n---\(member.example)\n---```\n"), "usage of \(member.name)")
        }
        for member in FpAPI.functions {
            #expect(stub.contains("function fp.\(member.name)("), "fp.\(member.name)")
            #expect(stub.contains("---```lua\n---\(member.example)\n---```\n"), "usage of fp.\(member.name)")
        }
        for (collection, member) in FpAPI.helpers {
            #expect(
                stub.contains("function \(StubTypes.className(collection)):\(member.name)("),
                "\(collection):\(member.name)")
        }
        for aggregate in ["count", "sum", "avg", "min", "max"] {
            #expect(stub.contains("function Grouped:\(aggregate)("))
        }
        #expect(stub.contains("---@class fp.Ctx\n"))
        for member in FpAPI.ctx {
            #expect(stub.contains("function fp_Ctx.\(member.name)("), "ctx.\(member.name)")
            #expect(stub.contains("---```lua\n---\(member.example)\n---```\n"), "usage of ctx.\(member.name)")
        }
        for field in FpAPI.ctxFields { #expect(stub.contains("---@field \(field.name) string "), "ctx.\(field.name)") }
    }

    @Test func usesOnlyAnnotationsLuaLSDocuments() {
        // https://luals.github.io/wiki/annotations/ — `@usage` and `@example` are not among them.
        let documented: Set<String> = [
            "alias", "as", "async", "cast", "class", "deprecated", "diagnostic", "enum", "field",
            "generic", "meta", "module", "nodiscard", "operator", "overload", "package",
            "param", "private", "protected", "return", "see", "source", "type", "vararg", "version",
        ]
        for line in stub.split(separator: "\n") where line.hasPrefix("---@") {
            let name = line.dropFirst(4).prefix { $0.isLetter }
            #expect(documented.contains(String(name)), "\(line)")
        }
    }

    @Test func declaresTheGlobalsOfPluginSpecs() throws {
        for global in [
            "function describe(name, body) end", "function it(name, body) end", "function expect(actual) end",
            "function run(command, args) end", "---@type fp\nfixture = {}",
        ] {
            #expect(stub.contains(global + "\n"), "\(global)")
        }
        for matcher in ["to_be", "to_equal", "to_be_truthy", "to_be_nil", "to_contain", "to_fail"] {
            #expect(stub.contains("function fp_Expectation.\(matcher)("), "\(matcher)")
        }
        // Every matcher the spec library has is declared.
        let library = String(decoding: PluginSpecs.source, as: UTF8.self)
        for match in library.split(separator: "function e.").dropFirst() {
            let name = match.prefix { $0 != "(" }
            #expect(stub.contains("function fp_Expectation.\(name)("), "matcher \(name)")
        }
    }

    @Test func typesAndDocsOfFields() {
        #expect(stub.contains("---@field head_name string 户主姓名 (required)"))
        #expect(
            stub.contains(
                "---@field head_id_number string? 户主证件号码 (18-character ID number; personal data: masked unless permitted)"
            ))
        #expect(stub.contains("---@field value number? 价值（元） (money, yuan)"))
        #expect(stub.contains("---@field amount number 金额（元） (money, yuan; required)"))
        #expect(stub.contains("---@field planned_area number? 计划面积（亩） (area, 亩)"))
        #expect(stub.contains("---@field date string 发放日期 (date \"YYYY-MM-DD\"; required)"))
        #expect(stub.contains("---@field village_id integer 行政村 (id of fp.villages; required)"))
        #expect(stub.contains("---@field dangerous_housing boolean? 危房户"))
        #expect(stub.contains("---@field size integer? 人口数 (1–50)"))
        #expect(stub.contains("---@field standard (\"国家\"|\"省定\"|\"市定\")? 识别标准"))
        #expect(stub.contains("---@field direction \"in\"|\"out\" 收支 (in=收入, out=支出; required)"))
        // Typed methods per collection; writes take the collection's input class.
        #expect(stub.contains("---@return fp.HouseholdsRecord?\nfunction Households:get(id) end"))
        #expect(stub.contains("---@return fp.VillagesRecord[]\nfunction VillagesQuery:list() end"))
        #expect(stub.contains("---@param fields fp.HouseholdsInput"))
        #expect(stub.contains("---@param filter fp.DistributionsFilter"))
        #expect(stub.contains("---@param direction? 'asc'|'desc' default asc"))
        // `year = 2019` on collections with a date.
        #expect(stub.contains("---@field year? integer|fp.Condition the year of date"))
        // The audit log is read-only.
        #expect(!stub.contains("function AuditLog:add("))
        #expect(stub.contains("function AuditLog:get("))
    }

    @Test func includesPluginLedgers() throws {
        var schema = Schema.core
        schema.upsert(
            CollectionSchema(
                name: "sales", label: "销售记录", summary: "A sale of a household's produce",
                fields: [
                    FieldSpec("date", .date, "日期", required: true),
                    FieldSpec("household_id", .ref("households"), "供货户"),
                    FieldSpec("amount", .money, "金额", min: 0),
                ],
                keepsValidFlag: true, dateField: "date"))
        let stub = StubGenerator(schema: schema).render()
        #expect(stub.contains("---@field sales fp.Sales 销售记录"))
        #expect(stub.contains("---@class fp.SalesRecord: fp.Record"))
        #expect(stub.contains("---@field amount number? 金额 (money, yuan; ≥ 0)"))
        let lua = try LuaState()
        _ = try lua.load(string: stub, chunkName: "=stub")
    }

    @Test func luarcPointsLuaLSAtTheStubs() throws {
        let fresh = try LuaRC.render(libraryPath: ".fupin/stubs", merging: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fresh.utf8)) as? [String: Any])
        #expect(object["runtime.version"] as? String == "Lua 5.4")
        #expect(object["workspace.library"] as? [String] == [".fupin/stubs"])
        #expect(object["diagnostics.globals"] as? [String] == ["fp"])

        let nested =
            #"{"workspace": {"library": ["/usr/share/lua"]}, "diagnostics.globals": ["vim"], "hint.enable": true}"#
        let merged = try LuaRC.render(libraryPath: ".fupin/stubs", merging: nested)
        let m = try #require(try JSONSerialization.jsonObject(with: Data(merged.utf8)) as? [String: Any])
        #expect((m["workspace"] as? [String: Any])?["library"] as? [String] == ["/usr/share/lua", ".fupin/stubs"])
        #expect(m["diagnostics.globals"] as? [String] == ["vim", "fp"])
        #expect(m["hint.enable"] as? Bool == true)
        #expect(m["runtime.version"] as? String == "Lua 5.4")
        // Merging twice adds nothing more.
        #expect(try LuaRC.render(libraryPath: ".fupin/stubs", merging: merged) == merged)
        #expect(throws: LuaRC.MergeError.self) { try LuaRC.render(libraryPath: "x", merging: "// comment\n{}") }
    }
}
