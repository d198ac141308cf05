import Foundation
import Testing

/// The REPL over a workspace, driven through a pseudo-terminal: how results print, that a
/// query's `:limit` holds in the display, and that a function held across `:reload` refuses
/// instead of crashing.
@Suite struct ReplWorkspaceTests {
    /// The REPL on a sample workspace with the test shop plugin, at its first prompt.
    static func start(rows: UInt16? = nil, extra: [String: String] = [:]) throws -> (PseudoTerminal, URL) {
        let (ws, env) = try PluginCommandTests.workspace()
        var environment = try ReplInteractiveTests.Sandbox().environment
        for (k, v) in env.merging(extra, uniquingKeysWith: { $1 }) { environment[k] = v }
        let term = try PseudoTerminal(
            FupinBinary.path, arguments: ["--workspace", ws.path], environment: environment,
            size: rows.map { ($0, 120) })
        try term.expect("> ")
        return (term, ws)
    }

    /// Types a line and returns what it printed before the next prompt (without the echo).
    @discardableResult
    static func enter(_ line: String, _ term: PseudoTerminal) throws -> String {
        term.send(line + "\r")
        let out = try term.expect("\n> ")
        let echo = out.range(of: "\n")
        return echo.map { String(out[$0.upperBound...].dropLast(3)) } ?? out
    }

    @Test func keyedTablesPrintAsAlignedKeysAndValues() throws {
        let (term, _) = try Self.start()
        // group_by results: Chinese keys two columns wide, numbers right-aligned.
        #expect(
            try Self.enter(#"fp.distributions:group_by("item"):sum("quantity")"#, term) == """
                收音机      1
                果树苗    211
                猪仔        2
                雏鸡       60
                饲料玉米    5
                """)
        #expect(try Self.enter("{ a = 1 }", term) == "a  1")
        let income = try Self.enter("fp.households:income(1, 2019)", term)
        #expect(income.contains("\nper_capita          3950\n"), "\(income)")
        #expect(income.contains(#"by_category         { ["生产经营性"] = 6200, ["转移性"] = 3200 }"#), "\(income)")
        let schema = try Self.enter("fp.schema()", term)
        #expect(schema.contains("households  "), "\(schema)")
        #expect(schema.contains(#"label = "贫困户""#), "\(schema)")
        #expect(!schema.contains("(0 rows)"))
        // A list of plain rows is a table, as psql shows a result.
        #expect(
            try Self.enter(#"fp.sql("SELECT item, COUNT(*) AS n FROM distributions GROUP BY item")"#, term) == """
                item      n
                --------  -
                收音机    1
                果树苗    6
                猪仔      1
                雏鸡      2
                饲料玉米  2
                (5 rows)
                """)
        #expect(try Self.enter("{ { a = {} } }", term) == "{ { a = {} } }")  // not scalar: Lua form
        // Mixed tables keep the Lua form; an empty table is {}.
        #expect(try Self.enter("{ 1, 2, x = 3 }", term) == "{ 1, 2, x = 3 }")
        #expect(try Self.enter("fp.households:where{ head_name = 'nobody' }:list()", term) == "{}")
        // A list that is not all records of one collection is a plain table; a record in it
        // is a label (its fields may be personal data, which only the ledger table masks).
        #expect(try Self.enter("{ fp.households:get(1), 5 }", term) == "{ <households #1>, 5 }")
        #expect(try Self.enter("{ head = fp.households:get(1) }", term) == "head  <households #1>")
        // Records and queries still print as ledger tables.
        #expect(try Self.enter("fp.villages:limit(1)", term).contains("\n(1 row"))
        #expect(try Self.enter(":mode csv", term).contains("csv"))
        #expect(
            try Self.enter(#"fp.distributions:group_by("item"):count()"#, term)
                .hasPrefix("key,value\n收音机,1\n果树苗,"))
        #expect(try Self.enter(":mode json", term).contains("json"))
        let json = try Self.enter("{ a = 1, b = '新村' }", term)
        #expect(json == #"{"a": 1, "b": "新村"}"#, "\(json)")
    }

    @Test func theDisplayHonoursLimitAndOffset() throws {
        let (term, _) = try Self.start()
        let two = try Self.enter(#"fp.visits:order_by("date", "desc"):limit(2)"#, term)
        #expect(two.hasSuffix("(2 rows, 5 of 9 columns)"), "\(two)")
        #expect(two.split(separator: "\n").count == 5, "\(two)")  // header, rule, 2 rows, footer
        #expect(two.contains("2019-10-11") && !two.contains("2019-08-16"), "\(two)")
        let page = try Self.enter(#"print(fp.format(fp.visits:order_by("date"):offset(3):limit(2)))"#, term)
        #expect(page.contains("\n(2 rows"), "\(page)")
        #expect(page.contains("2019-03-19") && page.contains("2019-03-21") && !page.contains("2019-03-18"), "\(page)")
        #expect(try Self.enter("fp.visits:limit(3):count()", term) == "3")
    }

    @Test func aCommandHeldAcrossReloadRefusesInsteadOfCrashing() throws {
        let (term, _) = try Self.start()
        try Self.enter("s = fp.plugins.shop.total", term)
        try Self.enter("p = fp.plugins", term)
        #expect(try Self.enter(":reload", term).contains("reloaded shop"))
        let refused = try Self.enter("s{ year = 2019 }", term)
        #expect(
            refused.hasPrefix(#"stdin:1: plugin shop was reloaded; look up fp.plugins["shop"] again"#), "\(refused)")
        #expect(try Self.enter("p.nosuch", term).contains("was reloaded"))
        #expect(try Self.enter("fp.plugins.shop.total{ year = 2019 }", term) == "0")
        #expect(try Self.enter("6 * 7", term) == "42")
    }
}
