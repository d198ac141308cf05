import Foundation
import Testing

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
        #expect(
            try enter("fp.households:order_by('vilage_id'):first()")
                .contains("households has no field 'vilage_id' (did you mean 'village_id'?)"))
        let id = try enter(#"fp.households:get("abc")"#)
        #expect(
            id.hasPrefix(#"stdin:1: households:get: the id must be an integer record id (got string "abc")"#), "\(id)")
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
        try ReplWorkspaceTests.enter("s = fp.sales", term)
        // The shop plugin needs one that is not installed: it and its ledger `sales` go away.
        let manifest = ws.appendingPathComponent("plugins/shop/plugin.lua")
        let text = try String(contentsOf: manifest, encoding: .utf8)
            .replacingOccurrences(of: "api = 1,", with: #"api = 1, requires = { "nosuch >= 1.0" },"#)
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        try ReplWorkspaceTests.enter(":reload", term)
        let out = try ReplWorkspaceTests.enter("fp.sales:count()", term)
        #expect(out.contains("fp has no collection 'sales': plugin shop, which provides it, is disabled ("), "\(out)")
        // The collection object kept from before refuses, for reading and for writing.
        #expect(
            try ReplWorkspaceTests.enter("s:count()", term).hasPrefix(
                "stdin:1: no collection 'sales' in the workspace now"))
        #expect(
            try ReplWorkspaceTests.enter("s:add{ date = '2019-01-01', product = 'x' }", term)
                .hasPrefix("stdin:1: no collection 'sales' in the workspace now"))
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
        #expect(
            failed.stderr.hasPrefix(
                "fupin: stdin:2: households has no field 'nmae' (did you mean 'head_name'?)\nstack traceback:\n"),
            "\(failed.stderr)")
        #expect(
            failed.stderr.contains("\tstdin:2: in local 'check'\n\tstdin:5: in main chunk")
                && !failed.stderr.contains("fp:"),
            "\(failed.stderr)")
        let table = try FupinBinary.run(["--workspace", ws.path], stdin: "error({ code = 1 })\n", environment: env)
        #expect(table.stderr.hasPrefix("fupin: error object: { code = 1 }"), "\(table.stderr)")
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
        #expect(
            banner.contains("no workspace open: no fupin.sqlite in \(empty.path) — plain Lua, without fp"), "\(banner)")
        let out = try ReplWorkspaceTests.enter("fp.households:count()", term)
        #expect(
            out.contains(
                "attempt to index a nil value (global 'fp')\nfp needs a workspace: no fupin.sqlite in \(empty.path)"),
            "\(out)")
        #expect(
            try ReplWorkspaceTests.enter("help(fp)", term).contains(
                "help(x) explains the fp API, which needs a workspace"))
        #expect(try ReplWorkspaceTests.enter("6 * 7", term) == "42")
    }

    @Test func theBannerNamesTheWorkspace() throws {
        let (term, ws) = try ReplWorkspaceTests.start()
        #expect(
            term.transcript.contains(":help for help, Ctrl-D to leave\nworkspace \(ws.path)\n"), "\(term.transcript)")
    }
}
