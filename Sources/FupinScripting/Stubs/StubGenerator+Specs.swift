/// Stubs for the globals of plugin specs (`tests/*_spec.lua`, run by `fupin test`; see
/// PluginSpecRunner and lua/plugin_specs.lua).
extension StubGenerator {
    /// One expectation method: name, parameters (name, type, doc) and what it checks.
    private static let matchers: [(name: String, parameters: [(String, String, String)], summary: String)] = [
        ("to_be", [("expected", "any", "compared with ==")], "Passes when the value is `expected` (`==`)."),
        (
            "to_equal", [("expected", "any", "compared field by field")],
            "Passes when the value equals `expected`, tables compared deeply."
        ),
        ("to_be_truthy", [], "Passes when the value is neither nil nor false."),
        ("to_be_nil", [], "Passes when the value is nil."),
        (
            "to_contain", [("part", "any", "a substring, or an element of a table")],
            "Passes when a string contains `part` (plain text) or a table holds an element equal to it."
        ),
        (
            "to_fail", [("text", "string?", "a part of the error message")],
            "Passes when the function fails (with `text` in its message, `ctx.fail` messages included)."
        ),
    ]

    /// `describe`, `it`, `expect` (with `fp.Expectation`), `run` and `fixture`.
    func specGlobals(_ out: inout StubWriter) {
        out.line("-- Globals of plugin specs (tests/*_spec.lua), run by `fupin test`.")
        out.blank()
        out.line("---What `expect(value)` returns: each method fails the case unless it holds.")
        out.line("---@class fp.Expectation")
        out.line("local fp_Expectation = {}")
        out.blank()
        for matcher in StubGenerator.matchers {
            out.line("---" + matcher.summary)
            for (name, type, doc) in matcher.parameters {
                let optional = type.hasSuffix("?")
                out.line("---@param \(name)\(optional ? "?" : "") \(optional ? String(type.dropLast()) : type) \(doc)")
            }
            out.line(
                "function fp_Expectation.\(matcher.name)(\(matcher.parameters.map(\.0).joined(separator: ", "))) end")
            out.blank()
        }
        let globals: [(summary: String, example: String, annotations: [String], declaration: String)] = [
            (
                "Groups cases under a name; groups nest.", #"describe("record", function() ... end)"#,
                ["---@param name string", "---@param body fun()"], "function describe(name, body) end"
            ),
            (
                "One case: it passes unless `body` raises an error. Each case runs in its own rolled-back unit.",
                #"it("adds a sale", function() expect(fp.sales:count()).to_be(0) end)"#,
                ["---@param name string", "---@param body fun()"], "function it(name, body) end"
            ),
            (
                "The checks on a value.", "expect(total).to_be(80)",
                ["---@param actual any", "---@return fp.Expectation"], "function expect(actual) end"
            ),
            (
                "Runs a command of the plugin under test with a table of arguments; returns its first result and what it printed.",
                #"local result, output = run("record", { date = "2019-11-02", product = "鸡蛋" })"#,
                [
                    "---@param command string", "---@param args table?", "---@return any result",
                    "---@return string output",
                ],
                "function run(command, args) end"
            ),
            (
                "An `fp` with every permission on the scratch workspace, to arrange a case's data.",
                #"fixture.households:add{ number = "1", head_name = "甲" }"#, ["---@type fp"], "fixture = {}"
            ),
        ]
        for global in globals {
            out.line("---" + global.summary)
            out.line("---")
            out.line("---```lua")
            out.line("---" + global.example)
            out.line("---```")
            for line in global.annotations { out.line(line) }
            out.line(global.declaration)
            out.blank()
        }
    }
}
