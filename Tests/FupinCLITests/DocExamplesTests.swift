import Foundation
import Testing

/// The docs are tests: every example of README.md and docs/*.md runs through the real binary
/// on a fresh sample workspace and must print what the doc shows (docs/doc-tests.md).
@Suite struct DocExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// README.md and every docs/*.md, as (relative path, text).
    static func documents() throws -> [(String, String)] {
        let docs = root.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
            .sorted()
        return try (["README.md"] + names.map { "docs/" + $0 }).map { name in
            (name, try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8))
        }
    }

    static func blocks() throws -> [DocBlock] {
        try documents().flatMap { DocBlock.parse($1, file: $0) }
    }

    /// A scratch home; `sample` puts a sample workspace in ~/ledgers and returns it as the
    /// folder to start in.
    static func home(sample: Bool) throws -> (home: URL, start: URL) {
        let home = try FupinBinary.scratchFolder()
        guard sample else { return (home, home) }
        let ws = home.appendingPathComponent("ledgers")
        let made = try FupinBinary.run(["init", ws.path, "--sample"], environment: environment(home))
        #expect(made.status == 0, "\(made.stderr)")
        return (home, ws)
    }

    /// The environment the examples run in: `fupin` on the PATH, a scratch home, no workspace
    /// named, no plugins but the bundled ones, UTC.
    static func environment(_ home: URL) -> [String: String] {
        let bin = URL(fileURLWithPath: FupinBinary.path).deletingLastPathComponent().path
        return [
            "HOME": home.path, "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "FUPIN_WORKSPACE": "", "FUPIN_PLUGIN_PATH": "",
            "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
            "USER": "analyst", "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1", "TERM": "dumb",
        ]
    }

    /// Every block that shows a command or Lua code is run, or says in its fence why not.
    @Test func everyExampleRunsOrSaysWhyNot() throws {
        let blocks = try Self.blocks()
        #expect(blocks.filter { $0.language == "console" && $0.notRunReason == nil }.count >= 10)
        for block in blocks where block.looksLikeAnExample {
            if let reason = block.notRunReason {
                #expect(
                    !reason.isEmpty, "\(block.place): a block not run must say why (```\(block.language) norun: REASON)"
                )
                continue
            }
            #expect(
                block.language == "console" || block.language == "lua",
                "\(block.place): ```\(block.info) is an example: make it ```console (a transcript) or say ```\(block.language) norun: REASON"
            )
        }
    }

    /// Each ```console block, run command by command in one shell, prints what it shows.
    @Test(
        arguments: try DocExamplesTests.blocks().filter { $0.language == "console" && $0.notRunReason == nil }.map(
            \.place))
    func consoleTranscriptsHold(_ place: String) throws {
        guard let block = try Self.blocks().first(where: { $0.place == place }) else { return }
        // A block that starts at the prompt is a REPL session whose banner is not shown.
        let steps =
            block.lines.first?.hasPrefix("> ") == true
            ? [
                TranscriptStep(
                    command: "fupin", expected: ["..."] + block.lines.reversed().drop { $0.isEmpty }.reversed())
            ]
            : TranscriptStep.parse(block.lines)
        #expect(!steps.isEmpty, "\(place): a console block without a `$ ` command")
        let startsEmpty = steps.first?.command.hasPrefix("fupin init") == true
        let (home, start) = try Self.home(sample: !startsEmpty)
        if steps.count == 1, let session = steps.first, session.command == "fupin",
            session.expected.contains(where: { $0.hasPrefix("> ") })
        {
            try Self.replSession(session, place: place, home: home, workspace: start)
            return
        }
        var script = "cd \(LuaExample.quoted(start.path))\n"
        for (i, step) in steps.enumerated() {
            script += "{\n\(step.command)\n} 2>&1 </dev/null\nprintf '@@status %d %d@@\\n' \(i) $?\n"
        }
        let file = home.appendingPathComponent(".transcript.sh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let run = try FupinBinary.run(
            ["bash", file.path], directory: start, environment: Self.environment(home), viaEnv: true)
        var output = Substring(run.stdout.replacingOccurrences(of: home.path, with: "~"))
        for (i, step) in steps.enumerated() {
            guard let marker = output.range(of: #"@@status \#(i) (\d+)@@\n"#, options: .regularExpression) else {
                Issue.record("\(place): `\(step.command)` did not finish\n\(run.stdout)\(run.stderr)")
                return
            }
            var lines = output[..<marker.lowerBound].components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            let status = Int32(output[marker].dropFirst("@@status \(i) ".count).prefix { $0.isNumber }) ?? -1
            output = output[marker.upperBound...]
            #expect(
                status == step.status,
                "\(place): `\(step.command)` exited \(status), the doc shows \(step.status)\n\(lines.joined(separator: "\n"))"
            )
            #expect(
                TranscriptStep.matches(step.expected, lines),
                "\(place): `\(step.command)` printed\n\(lines.joined(separator: "\n"))\n--- the doc shows\n\(step.expected.joined(separator: "\n"))"
            )
        }
    }

    /// A REPL session (`$ fupin`, then `> ` inputs and what they print) typed into the REPL on
    /// a pseudo-terminal, prompt by prompt; the screen must read as the doc shows.
    static func replSession(_ session: TranscriptStep, place: String, home: URL, workspace: URL) throws {
        var environment = Self.environment(home)
        environment["FUPIN_WORKSPACE"] = workspace.path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
        environment["TERM"] = "xterm"
        let term = try PseudoTerminal(FupinBinary.path, environment: environment)
        for line in session.expected where line.hasPrefix("> ") || line.hasPrefix(">> ") {
            let prompt = line.hasPrefix(">> ") ? ">> " : "> "
            try term.expect(prompt)
            term.send(String(line.dropFirst(prompt.count)) + "\r")
        }
        try term.expect("> ")
        term.send("\u{4}")
        _ = try term.waitForExit()
        var lines = term.transcript.components(separatedBy: "\n")
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty || last.hasPrefix(">") {
            lines.removeLast()
        }
        // What the line editor echoes of the typed lines is its own business (it may redraw
        // them): the inputs were typed at their prompts above; the outputs are compared.
        let isInput = { (line: String) in line.hasPrefix(">") }
        #expect(
            TranscriptStep.matches(session.expected.filter { !isInput($0) }, lines.filter { !isInput($0) }),
            "\(place): the REPL showed\n\(lines.joined(separator: "\n"))\n--- the doc shows\n\(session.expected.joined(separator: "\n"))"
        )
    }

    /// Each ```lua block outside docs/lua-api.md (whose blocks LuaAPIDocExamplesRun runs) runs
    /// as a script on the sample workspace; its `-->` lines are checked; nothing is written.
    @Test(
        arguments: try DocExamplesTests.blocks().filter {
            $0.language == "lua" && $0.notRunReason == nil && $0.file != "docs/lua-api.md"
        }.map(\.place))
    func luaExamplesShowTheirResults(_ place: String) throws {
        guard let block = try Self.blocks().first(where: { $0.place == place }) else { return }
        let (home, start) = try Self.home(sample: true)
        let file = home.appendingPathComponent("example.lua")
        try LuaExample.script(block).write(to: file, atomically: true, encoding: .utf8)
        let run = try FupinBinary.run(
            ["run", "--dry-run", file.path], directory: start, environment: Self.environment(home))
        #expect(run.status == 0, "\(place): \(run.stderr)")
    }

    /// The transcript reader itself: `...`, globs and exit statuses.
    @Test func transcriptMatching() {
        let steps = TranscriptStep.parse(["$ fupin eval 1", "1", "$ false \\", "  && true", "[1]", "$ echo a", "a", ""])
        #expect(steps.map(\.command) == ["fupin eval 1", "false \\\n  && true", "echo a"])
        #expect(steps.map(\.status) == [0, 1, 0])
        #expect(steps[1].expected.isEmpty)
        #expect(TranscriptStep.matches(["a", "...", "d"], ["a", "b", "c", "d"]))
        #expect(TranscriptStep.matches(["a", "...", "b"], ["a", "b"]))
        #expect(!TranscriptStep.matches(["a", "...", "d"], ["a", "b"]))
        #expect(TranscriptStep.matches(["wrote * (glob)"], ["wrote ~/x.html"]))
        #expect(!TranscriptStep.matches(["wrote *.md (glob)"], ["wrote ~/x.html"]))
        #expect(TranscriptStep.matches(["id 1506****0118 * (glob)"], ["id 1506****0118 phone=1"]))
        #expect(!TranscriptStep.matches(["1"], ["1", "2"]))
        let block = DocBlock(file: "x.md", line: 1, info: "lua norun: a manifest excerpt", lines: [])
        #expect(block.notRunReason == "a manifest excerpt")
        #expect(DocBlock(file: "x.md", line: 1, info: "lua norun", lines: []).notRunReason == "")
    }
}
