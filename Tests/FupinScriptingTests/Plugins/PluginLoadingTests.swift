import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// Discovery, manifest checks, versions and dependency order: a plugin that cannot load is
/// disabled with its reason, and only it.
@Suite struct PluginLoadingTests {
    @Test(arguments: [
        ("{ name = 'x', version = '1.0.0', api = 1, colour = 'red' }", "unknown field 'colour'"),
        ("{ name = 'x', version = 'one', api = 1 }", "version \"one\" is not a semantic version"),
        ("{ name = 'x', version = '1.0.0' }", "api is required"),
        ("{ name = 'x', version = '1.0.0', api = 9 }", "api 9 is not supported"),
        ("{ name = 'x', version = '1.0.0', api = '1' }", "api must be an integer"),
        ("{ name = 'y', version = '1.0.0', api = 1 }", "differs from its folder \"x\""),
        ("{ name = 'X!', version = '1.0.0', api = 1 }", "must be lower-case letters"),
        ("{ version = '1.0.0', api = 1 }", "name is required"),
        (
            "{ name = 'x', version = '1.0.0', api = 1, permissions = { 'root' } }",
            "\"root\" is not one of read, write, write:own, export, pii"
        ),
        ("{ name = 'x', version = '1.0.0', api = 1, requires = { '>= 1.0' } }", "does not start with a plugin name"),
        ("{ name = 'x', version = '1.0.0', api = 1, requires = { 'y 1.0' } }", "needs an operator"),
        ("{ name = 'x', version = '1.0.0', api = 1, limits = { memory_mb = 999999 } }", "more than the host allows"),
        ("{ name = 'x', version = '1.0.0', api = 1, limits = { cpu = 1 } }", "limits.cpu is not a limit"),
        ("{ name = 'x', version = '1.0.0', api = 1, commands = { go = {} } }", "commands.go.run must be a function"),
        (
            "{ name = 'x', version = '1.0.0', api = 1, commands = { go = { run = print, args = { { name = 'n', type = 'float' } } } } }",
            "type \"float\" is not one of"
        ),
        (
            "{ name = 'x', version = '1.0.0', api = 1, ledgers = { t = { fields = { { name = 'a' } } } } }",
            "type is required"
        ),
        (
            "{ name = 'x', version = '1.0.0', api = 1, ledgers = { t = { fields = { { name = 'id', type = 'text' } } } } }",
            "must be letters, digits and '_' (and not id)"
        ),
        (
            "{ name = 'x', version = '1.0.0', api = 1, ledgers = { t = { fields = { { name = 'a', type = 'enum' } } } } }",
            "values is required for an enum"
        ),
        (
            "{ name = 'x', version = '1.0.0', api = 1, ledgers = { t = { fields = { { name = 'a', type = 'text', min = 1 } } } } }",
            "min applies only to numbers"
        ),
        (
            "{ name = 'x', version = '1.0.0', api = 1, ledgers = { t = { fields = { { name = 'a', type = 'money' } }, derive = { a = { 'b', 'c' } } } } }",
            "derive.a names unknown field 'b'"
        ),
        (
            "{ name = 'x', version = '1.0.0', api = 1, ledgers = { t = { fields = { { name = 'a', type = 'ref', to = 'nowhere' } } } } }",
            "references unknown collection nowhere"
        ),
        (
            "{ name = 'x', version = '1.0.0', api = 1, ledgers = { households = { fields = { { name = 'a', type = 'text' } } } } }",
            "may not take the name of a core collection"
        ),
    ])
    func manifestErrorsNameTheField(manifest: String, message: String) throws {
        let fixture = try PluginFixture()
        try fixture.plugin("x", manifest)
        try fixture.plugin("ok", PluginFixture.manifest("ok"))
        let host = try fixture.host()
        let problem = PluginFixture.problem(host, "x")
        #expect(problem.contains(message), "got: \(problem)")
        #expect(host.plugins?.plugin("ok")?.isEnabled == true, "a bad plugin disables only itself")
    }

    @Test func aManifestThatFailsOrReturnsNothingIsReported() throws {
        let fixture = try PluginFixture()
        try fixture.write("boom", ["plugin.lua": "error('no manifest today')"])
        try fixture.write("empty", ["plugin.lua": "return 42"])
        try fixture.write("syntax", ["plugin.lua": "return {"])
        try fixture.write("spin", ["plugin.lua": "while true do end"])
        let host = try fixture.host()
        #expect(PluginFixture.problem(host, "boom").contains("boom/plugin.lua:1: no manifest today"))
        #expect(PluginFixture.problem(host, "empty").contains("must return the manifest table"))
        #expect(PluginFixture.problem(host, "syntax").contains("syntax/plugin.lua"))
        #expect(
            PluginFixture.problem(host, "spin").contains("plugin.lua failed"),
            "a plugin looping at load time is stopped")
    }

    @Test func dependenciesOrderLoadingAndDisableOnlyWhatTheyTouch() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("base", PluginFixture.manifest("base", version: "1.4.2"))
        try fixture.plugin("app", PluginFixture.manifest("app", "requires = { 'base >= 1.2, < 2' }"))
        try fixture.plugin("needs-new", PluginFixture.manifest("needs-new", "requires = { 'base ^2.0' }"))
        try fixture.plugin("needs-ghost", PluginFixture.manifest("needs-ghost", "requires = { 'ghost' }"))
        try fixture.plugin("on-top", PluginFixture.manifest("on-top", "requires = { 'needs-ghost' }"))
        try fixture.plugin("cycle-a", PluginFixture.manifest("cycle-a", "requires = { 'cycle-b' }"))
        try fixture.plugin("cycle-b", PluginFixture.manifest("cycle-b", "requires = { 'cycle-a' }"))
        try fixture.plugin("aaa", PluginFixture.manifest("aaa", "requires = { 'app ~1.0' }"))
        let host = try fixture.host()
        let runtime = try #require(host.plugins)
        #expect(PluginFixture.problem(host, "needs-new") == "requires base ^2.0 but base 1.4.2 is installed")
        #expect(PluginFixture.problem(host, "needs-ghost") == "requires ghost, which is not installed")
        #expect(PluginFixture.problem(host, "on-top") == "requires needs-ghost, which is disabled")
        #expect(PluginFixture.problem(host, "cycle-a").hasPrefix("dependency cycle: cycle-a → cycle-b → cycle-a"))
        #expect(PluginFixture.problem(host, "cycle-b").hasPrefix("dependency cycle"))
        let enabled = runtime.plugins.filter(\.isEnabled).map(\.name)
        #expect(enabled == ["base", "app", "aaa"], "each after what it requires")
    }

    @Test func aLaterPlaceOverridesAnEarlierOne() throws {
        let fixture = try PluginFixture()
        try fixture.plugin("same", PluginFixture.manifest("same", version: "1.0.0"), place: "a")
        try fixture.plugin("same", PluginFixture.manifest("same", version: "2.0.0"), place: "b")
        let host = try fixture.host()
        let plugin = try #require(host.plugins?.plugin("same"))
        #expect(plugin.manifest?.version.text == "2.0.0")
        #expect(plugin.source.place == .path)
    }

    @Test func semanticVersionsAndRanges() throws {
        let v = { (s: String) in SemanticVersion(s)! }
        #expect(v("1.2") < v("1.10.0"))
        #expect(v("1.0.0-beta") == v("1.0.0"))
        #expect(SemanticVersion("1.x") == nil)
        #expect(SemanticVersion("") == nil)
        let range = try PluginRequirement(parsing: "ledgers >= 1.0, < 2")
        #expect(range.plugin == "ledgers")
        #expect(range.isSatisfied(by: v("1.9.9")))
        #expect(!range.isSatisfied(by: v("2.0.0")))
        #expect(try PluginRequirement(parsing: "x ~1.2").isSatisfied(by: v("1.2.9")))
        #expect(!(try PluginRequirement(parsing: "x ~1.2").isSatisfied(by: v("1.3.0"))))
        #expect(try PluginRequirement(parsing: "x").isSatisfied(by: v("0.0.1")))
        #expect(throws: PluginRequirementError.self) { try PluginRequirement(parsing: "x >= one") }
    }

    @Test func pluginOutputGoesThroughTheHost() throws {
        let fixture = try PluginFixture()
        try fixture.plugin(
            "talk",
            PluginFixture.manifest(
                "talk",
                """
                commands = { go = { run = function(_, ctx) print("a", 1) ctx.print("b") fp.show(fp.towns) end } }
                """))
        let host = try fixture.host()
        var lines: [String] = []
        host.plugins?.output = { lines.append($0) }
        _ = try host.run("talk", "go")
        #expect(lines.count == 3)
        #expect(lines[0] == "a\t1")
        #expect(lines[1] == "b")
        #expect(lines[2].contains("城郊镇"))
    }

    @Test func reloadPicksUpChangedFiles() throws {
        let fixture = try PluginFixture()
        let manifest = { (word: String) in
            PluginFixture.manifest("hot", "commands = { say = { run = function() return '\(word)' end } }")
        }
        try fixture.plugin("hot", manifest("before"))
        let host = try fixture.host()
        #expect(try host.run("hot", "say").first?.stringValue == "before")
        try fixture.plugin("hot", manifest("after"))
        try host.reloadPlugins()
        #expect(try host.run("hot", "say").first?.stringValue == "after")
        #expect(try FpTestSupport.run(host, "return fp.plugins.hot.say{}").first?.stringValue == "after")
        // fp.plugins is a plain table of the enabled plugins: pairs() lists them.
        let listed = try FpTestSupport.run(
            host,
            "local n = {} for k in pairs(fp.plugins) do n[#n + 1] = k end return table.concat(n, ','), fp.plugins.nope")
        #expect(listed.first?.stringValue == "hot")
        #expect(listed[1].isNil)
    }
}
