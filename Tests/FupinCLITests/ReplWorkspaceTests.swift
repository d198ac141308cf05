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
        let term = try PseudoTerminal(FupinBinary.path, arguments: ["--workspace", ws.path], environment: environment,
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
        #expect(try Self.enter(#"fp.distributions:group_by("item"):sum("quantity")"#, term) == """
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
        #expect(try Self.enter(#"fp.sql("SELECT item, COUNT(*) AS n FROM distributions GROUP BY item")"#, term) == """
            item      n
            --------  -
            收音机    1
            果树苗    6
            猪仔      1
            雏鸡      2
            饲料玉米  2
            (5 rows)
            """)
        #expect(try Self.enter("{ { a = {} } }", term) == "{ { a = {} } }")    // not scalar: Lua form
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
        #expect(try Self.enter(#"fp.distributions:group_by("item"):count()"#, term)
            .hasPrefix("key,value\n收音机,1\n果树苗,"))
        #expect(try Self.enter(":mode json", term).contains("json"))
        let json = try Self.enter("{ a = 1, b = '新村' }", term)
        #expect(json == #"{"a": 1, "b": "新村"}"#, "\(json)")
    }

    @Test func theDisplayHonoursLimitAndOffset() throws {
        let (term, _) = try Self.start()
        let two = try Self.enter(#"fp.visits:order_by("date", "desc"):limit(2)"#, term)
        #expect(two.hasSuffix("(2 rows, 5 of 9 columns)"), "\(two)")
        #expect(two.split(separator: "\n").count == 5, "\(two)")   // header, rule, 2 rows, footer
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
        #expect(refused.hasPrefix(#"stdin:1: plugin shop was reloaded; look up fp.plugins["shop"] again"#), "\(refused)")
        #expect(try Self.enter("p.nosuch", term).contains("was reloaded"))
        #expect(try Self.enter("fp.plugins.shop.total{ year = 2019 }", term) == "0")
        #expect(try Self.enter("6 * 7", term) == "42")
    }
}

/// Error messages at the prompt say what is wrong in the user's terms, at the user's line.
@Suite struct ReplErrorMessageTests {
    @Test func errorsNameTheFieldTheMethodAndTheCollection() throws {
        let (term, _) = try ReplWorkspaceTests.start()
        let enter = { (line: String) in try ReplWorkspaceTests.enter(line, term) }
        let field = try enter(#"fp.households:where{ nmae = "郝九为" }:count()"#)
        #expect(field.hasPrefix("stdin:1: households has no field 'nmae' (did you mean 'head_name'?)\n"), "\(field)")
        // The traceback shows the user's frames, not the fp prelude's.
        #expect(field.hasSuffix("stack traceback:\n\tstdin:1: in main chunk"), "\(field)")
        #expect(!field.contains("fp:"), "\(field)")
        let shown = try enter(#"fp.households:where{ nmae = "郝九为" }"#)
        #expect(shown.hasPrefix("households has no field 'nmae'"), "\(shown)")
        #expect(try enter("fp.households:order_by('vilage_id'):first()")
            .contains("households has no field 'vilage_id' (did you mean 'village_id'?)"))
        let id = try enter(#"fp.households:get("abc")"#)
        #expect(id.hasPrefix(#"stdin:1: households:get: the id must be an integer record id (got string "abc")"#), "\(id)")
        #expect(try enter("fp.households:get(1.0).id") == "1")
        let missing = try enter("fp.visit:count()")
        #expect(missing.contains("fp has no collection 'visit' (did you mean 'visits'?)"), "\(missing)")
        #expect(try enter("fp.nosuch") == "nil\nfp has no collection 'nosuch'")
        #expect(try enter("t = {} t.nosuch = nil") == "")
        let table = try enter("error({ code = 1 })")
        #expect(table.hasPrefix("error object: { code = 1 }"), "\(table)")
        #expect(!table.contains("table: 0x"))
    }

    @Test func aMissingLedgerNamesItsDisabledPlugin() throws {
        let (term, ws) = try ReplWorkspaceTests.start()
        // The shop plugin needs one that is not installed: it and its ledger `sales` go away.
        let manifest = ws.appendingPathComponent("plugins/shop/plugin.lua")
        let text = try String(contentsOf: manifest, encoding: .utf8)
            .replacingOccurrences(of: "api = 1,", with: #"api = 1, requires = { "nosuch >= 1.0" },"#)
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        try ReplWorkspaceTests.enter(":reload", term)
        let out = try ReplWorkspaceTests.enter("fp.sales:count()", term)
        #expect(out.contains("fp has no collection 'sales': plugin shop, which provides it, is disabled ("), "\(out)")
    }
}

/// Tab completion of fp chains in a real terminal.
@Suite struct ReplCompletionTerminalTests {
    @Test func tabCompletesFieldNamesAndMethodsAfterCalls() throws {
        let (term, _) = try ReplWorkspaceTests.start()
        term.send(#"fp.distributions:group_by("it"#)
        term.send("\t")
        term.send(#"")"#)
        term.send(":cou\t")                   // a method after a call
        term.send("()\r")
        let grouped = try term.expect("\n> ")
        #expect(grouped.contains(#"fp.distributions:group_by("item"):count()"#), "\(grouped)")
        #expect(grouped.contains("\n果树苗  "), "\(grouped)")
        term.send("fp.households:where{ head_na\t")
        term.send(" = '郝九为' }:count()\r")
        #expect(try term.expect("\n> ").contains("\n1\n"))
        term.send("fp.plugins.shop.total{ ye\t")   // a plugin command's argument
        term.send(" = 2019 }\r")
        let total = try term.expect("\n> ")
        #expect(total.contains("total{ year = 2019 }") && total.contains("\n0\n"), "\(total)")
        term.send(":hist\t")                  // a space follows the completed command
        term.send("1\r")
        #expect(try term.expect("\n> ").contains(":history 1"))
    }
}

/// The REPL says which workspace it opened, or that it found none and where it looked.
@Suite struct ReplNoWorkspaceTests {
    @Test func theBannerAndFpSayThatNoWorkspaceIsOpen() throws {
        // No workspace named: the REPL looks in the folder it starts in, which has none.
        let sandbox = try ReplInteractiveTests.Sandbox()
        let empty = try FupinBinary.scratchFolder().resolvingSymlinksInPath()
        let term = try PseudoTerminal(FupinBinary.path, environment: sandbox.environment, directory: empty)
        let banner = try term.expect("> ")
        #expect(banner.contains("no workspace open: no fupin.sqlite in \(empty.path) — plain Lua, without fp"), "\(banner)")
        let out = try ReplWorkspaceTests.enter("fp.households:count()", term)
        #expect(out.contains("attempt to index a nil value (global 'fp')\nfp needs a workspace: no fupin.sqlite in \(empty.path)"), "\(out)")
        #expect(try ReplWorkspaceTests.enter("help(fp)", term).contains("help(x) explains the fp API, which needs a workspace"))
        #expect(try ReplWorkspaceTests.enter("6 * 7", term) == "42")
    }

    @Test func theBannerNamesTheWorkspace() throws {
        let (term, ws) = try ReplWorkspaceTests.start()
        #expect(term.transcript.contains(":help for help, Ctrl-D to leave\nworkspace \(ws.path)\n"), "\(term.transcript)")
    }
}

/// `help(x)` and `:help NAME` explain the fp API at the prompt.
@Suite struct ReplApiHelpTests {
    @Test func helpExplainsTheApiByValueAndByName() throws {
        let (term, _) = try ReplWorkspaceTests.start()
        let enter = { (line: String) in try ReplWorkspaceTests.enter(line, term) }
        let where_ = try enter("help(fp.households.where)")
        #expect(where_.hasPrefix("collection:where(filter: fp.Filter) → fp.Query\n  Narrows the query:"), "\(where_)")
        #expect(where_.hasSuffix("Example:\n  fp.distributions:where{ item = '雏鸡', year = 2019 }"), "\(where_)")
        #expect(try enter(":help where") == where_)
        #expect(try enter("help('where')") == where_)
        #expect(try enter(":help households:where").hasPrefix("fp.households:where(filter: fp.Filter)"))
        let households = try enter("help(fp.households)")
        #expect(households.hasPrefix("fp.households — 贫困户: a collection"), "\(households)")
        #expect(households.contains("head_name") && households.contains("income"), "\(households)")
        #expect(try enter("help(fp.households.income)").hasPrefix("fp.households:income(id: integer, year: integer) → fp.Income"))
        let command = try enter("help(fp.plugins.shop.record)")
        #expect(command.hasPrefix("fp.plugins[\"shop\"].record{ date: date, product: text, quantity?: number"), "\(command)")
        #expect(command.hasSuffix("Example:\n  fp.plugins[\"shop\"].record{ date = '2019-01-01', product = '…' }"), "\(command)")
        #expect(try enter("help(print)").hasPrefix("help: no help for this function"))
        #expect(try enter(":help nosuch").contains("no help on nosuch"))
        #expect(try enter(":help").contains("The fp API: help(fp)"))
    }

    /// Every fp function, collection, collection method, fp.report function, plugin and
    /// plugin command has a signature line, a sentence and an example.
    @Test func everyPartOfTheApiHasHelp() throws {
        let folder = try FupinBinary.scratchFolder()
        let ws = folder.appendingPathComponent("ws")
        var environment = try ReplInteractiveTests.Sandbox().environment
        environment["FUPIN_PLUGIN_PATH"] = ""
        let made = try FupinBinary.run(["init", ws.path, "--sample"], environment: environment)
        #expect(made.status == 0, "\(made.stderr)")
        let script = folder.appendingPathComponent("all-help.lua")
        try """
        local shown, calls = {}, 0
        local function explain(what, x) calls = calls + 1; print("== " .. what); help(x) end
        for name, v in pairs(fp) do
          if type(v) == "function" and not name:match("^_") then explain("fp." .. name, v) end
        end
        for _, c in ipairs(fp.collections()) do
          explain("fp." .. c, fp[c])
          for m, f in pairs(getmetatable(fp[c]).__index) do
            if type(f) == "function" and not shown[m] then shown[m] = true; explain(c .. ":" .. m, f) end
          end
        end
        for name, f in pairs(fp.report) do
          if type(f) == "function" then explain("fp.report." .. name, f) end
        end
        local plugins = 0
        for p, commands in pairs(fp.plugins) do
          plugins = plugins + 1
          explain(p, commands)
          for c, f in pairs(commands) do explain(p .. "." .. c, f) end
        end
        return calls, plugins
        """.write(to: script, atomically: true, encoding: .utf8)
        let term = try PseudoTerminal(FupinBinary.path, arguments: ["--workspace", ws.path], environment: environment)
        try term.expect("> ")
        term.send(":load \(script.path)\r")
        let out = try term.expect("\n> ", timeout: .seconds(60))
        let counts = try #require(out.dropLast(3).split(separator: "\n").last?.split(separator: "\t").compactMap { Int($0) })
        #expect(counts.count == 2 && counts[1] >= 5, "\(out.suffix(300))")
        let sections = out.components(separatedBy: "\n== ").dropFirst()
        #expect(sections.count == counts.first, "\(out.suffix(300))")
        for section in sections {
            let lines = section.split(separator: "\n", omittingEmptySubsequences: false)
            let name = lines.first ?? ""
            #expect(!section.contains("no help for this"), "no help for \(name)")
            #expect(lines.count >= 4, "too short for \(name): \(section)")
            #expect(section.contains("\nExample:\n  "), "no example for \(name): \(section)")
        }
    }
}

/// Results taller than the terminal go through $PAGER, as in psql.
@Suite struct ReplPagerTests {
    @Test func aTallResultIsPagedUnlessThePagerIsOff() throws {
        // A stand-in pager that marks every line it shows.
        let (term, _) = try ReplWorkspaceTests.start(rows: 10, extra: ["PAGER": "sed 's/^/paged: /'"])
        let paged = try ReplWorkspaceTests.enter("fp.visits", term)
        #expect(paged.hasPrefix("paged: id  date"), "\(paged)")
        #expect(paged.hasSuffix("paged: (14 rows, 9 of 9 columns)") || paged.contains("paged: (14 rows"), "\(paged)")
        #expect(try ReplWorkspaceTests.enter("6 * 7", term) == "42")          // short: printed as it is
        #expect(try ReplWorkspaceTests.enter(":pager off", term).contains("pager is off"))
        let plain = try ReplWorkspaceTests.enter("fp.visits", term)
        #expect(plain.hasPrefix("id  date") && plain.contains("\n(14 rows") && !plain.contains("paged: "), "\(plain)")
        #expect(try ReplWorkspaceTests.enter(":pager on", term).contains("pager is on (sed 's/^/paged: /')"))
    }

    @Test func lessIsTheDefaultAndGivesThePromptBack() throws {
        let (term, _) = try ReplWorkspaceTests.start(rows: 8, extra: ["PAGER": "", "LESS": ""])
        term.send("fp.visits\r")
        // less shows the first screen (Chinese as text, though no UTF-8 locale is set); q quits.
        try term.expect("了解家庭收支")
        term.send("q")
        try term.expect("> ")
        #expect(try ReplWorkspaceTests.enter("6 * 7", term) == "42")
    }
}

/// A script on stdin reports errors as the prompt does.
@Suite struct ReplStdinErrorTests {
    @Test func aScriptsErrorShowsItsOwnFramesAndRaisedTables() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let script = """
            local function check()
              local n = fp.households:where{ nmae = "x" }:count()
              return n
            end
            local n = check()
            print(n)
            """
        let failed = try FupinBinary.run(["--workspace", ws.path], stdin: script, environment: env)
        #expect(failed.status == 1)
        #expect(failed.stderr.hasPrefix("fupin: stdin:2: households has no field 'nmae' (did you mean 'head_name'?)\nstack traceback:\n"), "\(failed.stderr)")
        #expect(failed.stderr.contains("\tstdin:2: in local 'check'\n\tstdin:5: in main chunk") && !failed.stderr.contains("fp:"),
                "\(failed.stderr)")
        let table = try FupinBinary.run(["--workspace", ws.path], stdin: "error({ code = 1 })\n", environment: env)
        #expect(table.stderr.hasPrefix("fupin: error object: { code = 1 }"), "\(table.stderr)")
    }
}
