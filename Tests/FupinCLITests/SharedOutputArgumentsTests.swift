import Foundation
import Testing

/// `formats` in a command's declaration: the host adds `--format` and `-o`/`--output`, the same
/// for every plugin, through the real binary.
@Suite struct SharedOutputArgumentsTests {
    /// A sample workspace holding one plugin of `source` in plugins/NAME.
    static func workspace(_ name: String, _ source: String) throws -> URL {
        let ws = try AsOfReportTests.workspace()
        let folder = ws.appendingPathComponent("plugins/\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try source.write(to: folder.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        return ws
    }

    static let shape = """
        return {
          name = "shape", version = "1.0.0", api = 1, title = "Shapes", permissions = { "read" },
          commands = {
            show = {
              summary = "Prints the format and file it was given",
              args = { { name = "year", type = "integer" } },
              formats = { "txt", "md", "xlsx", help = "text, Markdown or a workbook", output = "print" },
              run = function(args, ctx)
                ctx.print(args.format .. "|" .. tostring(args.output))
                return ctx.result({})
              end,
            },
          },
        }
        """

    @Test func theHostAddsFormatAndOutput() throws {
        let ws = try SharedOutputArgumentsTests.workspace("shape", SharedOutputArgumentsTests.shape)
        func run(_ words: [String]) throws -> FupinBinary.Result {
            try FupinBinary.run(["shape", "show"] + words + ["--workspace", ws.path])
        }
        let plain = try run([])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("txt|nil"), "\(plain.stdout)")  // the first format by default
        let chosen = try run(["--format", "md", "-o", "out.md"])
        #expect(chosen.stdout.hasPrefix("md|out.md"), "\(chosen.stdout)")
        let long = try run(["--format=xlsx", "--output", "book.xlsx"])
        #expect(long.stdout.hasPrefix("xlsx|book.xlsx"), "\(long.stdout)")
        let bad = try run(["--format", "pdf"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("pdf"), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)
        let help = try run(["--help"])
        #expect(help.stdout.contains("--format <enum>") && help.stdout.contains("(txt|md|xlsx) (default: txt)"))
        #expect(help.stdout.contains("-o, --output <file>") && help.stdout.contains("default: print)"))
    }

    @Test func aCommandAlsoDeclaringFormatIsRefused() throws {
        let source = SharedOutputArgumentsTests.shape.replacingOccurrences(
            of: #"{ { name = "year", type = "integer" } }"#,
            with: #"{ { name = "format", type = "enum", values = { "csv" } } }"#)
        #expect(source != SharedOutputArgumentsTests.shape)
        let ws = try SharedOutputArgumentsTests.workspace("shape", source)
        let r = try FupinBinary.run(["shape", "show", "--workspace", ws.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("the host adds --format and -o itself"), "\(r.stderr)")
    }
}
