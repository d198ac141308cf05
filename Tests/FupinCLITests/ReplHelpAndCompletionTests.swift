import Foundation
import Testing

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
        #expect(
            try enter("help(fp.households.income)").hasPrefix(
                "fp.households:income(id: integer, year: integer) → fp.Income"))
        let command = try enter("help(fp.plugins.shop.record)")
        #expect(
            command.hasPrefix("fp.plugins[\"shop\"].record{ date: date, product: text, quantity?: number"), "\(command)"
        )
        #expect(
            command.hasSuffix("Example:\n  fp.plugins[\"shop\"].record{ date = '2019-01-01', product = '…' }"),
            "\(command)")
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
        let counts = try #require(
            out.dropLast(3).split(separator: "\n").last?.split(separator: "\t").compactMap { Int($0) })
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

/// Tab completion of fp chains in a real terminal.
@Suite struct ReplCompletionTerminalTests {
    @Test func tabCompletesFieldNamesAndMethodsAfterCalls() throws {
        let (term, _) = try ReplWorkspaceTests.start()
        term.send(#"fp.distributions:group_by("it"#)
        term.send("\t")
        term.send(#"")"#)
        term.send(":cou\t")  // a method after a call
        term.send("()\r")
        let grouped = try term.expect("\n> ")
        #expect(grouped.contains(#"fp.distributions:group_by("item"):count()"#), "\(grouped)")
        #expect(grouped.contains("\n果树苗  "), "\(grouped)")
        term.send("fp.households:where{ head_na\t")
        term.send(" = '郝九为' }:count()\r")
        #expect(try term.expect("\n> ").contains("\n1\n"))
        term.send("fp.plugins.shop.total{ ye\t")  // a plugin command's argument
        term.send(" = 2019 }\r")
        let total = try term.expect("\n> ")
        #expect(total.contains("total{ year = 2019 }") && total.contains("\n0\n"), "\(total)")
        term.send(":hist\t")  // a space follows the completed command
        term.send("1\r")
        #expect(try term.expect("\n> ").contains(":history 1"))
    }
}
