import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `fupin` with stdin not a terminal: stdin runs as one script.
@Suite struct ReplStdinTests {
    @Test func runsStdinAsOneScriptWithoutPrompts() throws {
        let r = try FupinBinary.run([], stdin: "local x = 6\nprint(x * 7)\nreturn 'not shown'\n")
        #expect(r.status == 0)
        #expect(r.stdout == "42\n")
        #expect(r.stderr == "")
    }

    @Test func failingScriptExitsWithStatusOneAndTraceback() throws {
        let r = try FupinBinary.run([], stdin: "print('before')\nerror('boom')\nprint('after')\n")
        #expect(r.status == 1)
        #expect(r.stdout == "before\n")
        #expect(r.stderr.contains("stdin:2: boom"))
        #expect(r.stderr.contains("stack traceback:"))
    }

    @Test func syntaxErrorFailsAndShebangIsSkipped() throws {
        let bad = try FupinBinary.run([], stdin: "x = = 1\n")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("stdin:1:"))
        let shebang = try FupinBinary.run(
            ["repl"], stdin: "#!/usr/bin/env fupin\nprint(debug.getinfo(1, 'l').currentline)\n")
        #expect(shebang.status == 0)
        #expect(shebang.stdout == "2\n")
    }
}

/// The interactive REPL, driven through a pseudo-terminal.
@Suite struct ReplInteractiveTests {
    /// A fresh home and XDG state folder, so history never touches the real one.
    struct Sandbox {
        let folder: URL
        var environment: [String: String] {
            [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "HOME": folder.path,
                "XDG_STATE_HOME": folder.appendingPathComponent("state").path,
                "TERM": "xterm",
                "NO_COLOR": "1",
            ]
        }
        var historyPath: String { folder.appendingPathComponent("state/fupin/history").path }

        init() throws { folder = try FupinBinary.scratchFolder() }

        /// Starts the REPL and waits for its first prompt.
        func start() throws -> PseudoTerminal {
            let term = try PseudoTerminal(FupinBinary.path, environment: environment)
            try term.expect(":help")
            try term.expect("> ")
            return term
        }
    }

    /// Types a line and waits for the next primary prompt; returns what came before it.
    @discardableResult
    func enter(_ line: String, _ term: PseudoTerminal) throws -> String {
        term.send(line + "\r")
        return try term.expect("\n> ")
    }

    @Test func multiLineFunctionDefinition() throws {
        let term = try Sandbox().start()
        term.send("function f(x)\r")
        try term.expect(">> ")
        term.send("return x * 2\r")
        try term.expect(">> ")
        term.send("end\r")
        try term.expect("\n> ")
        #expect(try enter("f(21)", term).contains("\n42\n"))
    }

    @Test func expressionsPrintTheirValues() throws {
        let term = try Sandbox().start()
        #expect(try enter("1 + 1, 'two', nil", term).contains("\n2\ttwo\tnil\n"))
        #expect(
            try enter("{1, 2, name = '扶贫', nested = {ok = true}}", term)
                .contains(#"{ 1, 2, name = "扶贫", nested = { ok = true } }"#))
        #expect(try enter("t = {} t.self = t", term).contains("t.self = t\n"))
        #expect(try enter("t", term).contains("\nself  <cycle>\n"))
    }

    @Test func localsPersistAcrossInputsWithoutBecomingGlobals() throws {
        let term = try Sandbox().start()
        try enter("local secret = 6 * 7", term)
        #expect(try enter("secret + 1", term).contains("\n43\n"))
        try enter("secret = secret + 100", term)
        #expect(try enter("secret, rawget(_G, 'secret')", term).contains("\n142\tnil\n"))
        try enter("local function twice(n) return n * 2 end", term)
        #expect(try enter("twice(secret)", term).contains("\n284\n"))
    }

    @Test func underscoreHoldsTheLastResult() throws {
        let term = try Sandbox().start()
        #expect(try enter("100 + 23", term).contains("\n123\n"))
        #expect(try enter("_ * 2", term).contains("\n246\n"))
    }

    @Test func tabCompletesFieldsOfTables() throws {
        let term = try Sandbox().start()
        term.send("string.fo\t")
        term.send("('%05d', 42)\r")
        #expect(try term.expect("\n> ").contains("\n00042\n"))
    }

    @Test func errorsPrintTracebackAndTheSessionGoesOn() throws {
        let term = try Sandbox().start()
        let out = try enter("error('boom')", term)
        #expect(out.contains("stdin:1: boom"))
        #expect(out.contains("stack traceback:"))
        #expect(try enter("1 + 1", term).contains("\n2\n"))
    }

    @Test func ctrlCStopsRunningCodeAndThePromptWorksAgain() throws {
        let term = try Sandbox().start()
        term.send("print('spinning') while true do end\r")
        try term.expect("spinning\n")
        term.send("\u{3}")
        try term.expect("interrupted")
        try term.expect("> ")
        #expect(try enter("1 + 2", term).contains("\n3\n"))
    }

    @Test func ctrlCAtThePromptDropsTheLine() throws {
        let term = try Sandbox().start()
        term.send("abc")
        try term.expect("abc")
        term.send("\u{3}")
        try term.expect("> ")
        #expect(try enter("4 + 4", term).contains("\n8\n"))
        term.send("function g()\r")
        try term.expect(">> ")
        term.send("\u{3}")  // abandons the unfinished chunk
        try term.expect("> ")
        #expect(try enter("5 + 5", term).contains("\n10\n"))
    }

    @Test func ctrlDOnAnEmptyLineExits() throws {
        let term = try Sandbox().start()
        term.send("\u{4}")
        #expect(try term.waitForExit() == 0)
    }

    @Test func chineseInputEditsAndDisplays() throws {
        let term = try Sandbox().start()
        term.send("#\"扶贫X")
        try term.expect("扶贫X")
        term.send("\u{7F}\"\r")  // Backspace removes X, a whole character
        #expect(try term.expect("\n> ").contains("\n6\n"))
        #expect(try enter("'脱贫攻坚'", term).contains("\n脱贫攻坚\n"))
    }

    @Test func metaCommands() throws {
        let term = try Sandbox().start()
        #expect(try enter(":help", term).contains(":load FILE"))
        #expect(try enter(":mode json", term).contains("mode is json"))
        #expect(try enter("{a = 1, b = {1, 2}}", term).contains(#"{"a": 1, "b": [1, 2]}"#))
        #expect(try enter(":nope", term).contains("unknown command :nope"))
        let dir = try FupinBinary.scratchFolder()
        let script = dir.appendingPathComponent("add.lua")
        try "loaded_value = 7\nreturn loaded_value * 6\n".write(to: script, atomically: true, encoding: .utf8)
        #expect(try enter(":load \(script.path)", term).contains("\n42\n"))
        term.send(":quit\r")
        #expect(try term.waitForExit() == 0)
    }

    @Test func pluginCommandsRunAndReloadInTheRepl() throws {
        let (ws, env) = try PluginCommandTests.workspace()
        let sandbox = try Sandbox()
        var environment = sandbox.environment
        for (k, v) in env { environment[k] = v }
        let term = try PseudoTerminal(FupinBinary.path, arguments: ["--workspace", ws.path], environment: environment)
        try term.expect("> ")
        #expect(try enter(":plugins", term).contains("shop  1.2.0"))
        term.send(":run sh\t")
        term.send(" record --date 2019-11-02 --product 鸡蛋 --quantity 2 --unit-price 3\r")
        #expect(try term.expect("\n> ").contains("2019-11-02 鸡蛋 6.00 via 集贸市场"))
        #expect(try enter("fp.sales:count()", term).contains("\n1\n"))
        term.send("fp.plugins.sh\t")  // completes the plugin's name, then its command
        term.send(".tot\t")
        term.send("{ year = 2019 }\r")
        #expect(try term.expect("\n> ").contains("\n6\n"))
        #expect(try enter(":run shop record --date 2019-02-30 --product x", term).contains("--date: 2019-02-30"))
        let manifest = ws.appendingPathComponent("plugins/shop/plugin.lua")
        let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(
            of: "via %s", with: "through %s")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        #expect(try enter(":reload shop", term).contains("reloaded shop 1.2.0"))
        #expect(
            try enter(":run shop record --date 2019-11-03 --product 番茄 --quantity 1 --unit-price 2", term).contains(
                "through 集贸市场"))
    }

    @Test func historyIsKeptAcrossSessionsInAPrivateFile() throws {
        let sandbox = try Sandbox()
        let first = try sandbox.start()
        try enter("hist_marker = 99", first)
        first.send("\u{4}")
        #expect(try first.waitForExit() == 0)

        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.historyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // libedit's file encodes blanks as \040.
        let saved = try String(contentsOfFile: sandbox.historyPath, encoding: .utf8)
            .replacingOccurrences(of: "\\040", with: " ")
        #expect(saved.contains("hist_marker = 99"))

        let second = try sandbox.start()
        second.send("\u{10}\r")  // Ctrl-P recalls the last input of the first session
        try second.expect("hist_marker = 99")
        try second.expect("\n> ")
        #expect(try enter("hist_marker", second).contains("\n99\n"))
        #expect(try enter(":history", second).contains("hist_marker = 99"))
    }
}
