import Foundation
import Testing

/// A plugin's worker builds the host's answers straight into Lua (LuaKit's WireLua); an answer
/// that does not fit in what is left of the plugin's memory limit is a clean, catchable Lua
/// error there, and the command goes on. Before, the answer was built past the limit.
@Suite struct WorkerAnswerMemoryTests {
    static let plugin = """
        return {
          name = "big", version = "1.0.0", api = 1, title = "Big answers", permissions = { "read", "pii" },
          limits = { memory_mb = 2 },
          commands = {
            rows = {
              summary = "Holds about 1.3 MB, then asks the host for n rows",
              args = { { name = "n", type = "integer", required = true } },
              run = function(args, ctx)
                local hold = {}
                for i = 1, 12000 do hold[i] = ("%080d"):format(i) end
                local ok, rows = pcall(fp.sql, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ?) "
                  .. "SELECT x, printf('%040d', x) AS pad FROM c", { args.n })
                ctx.print(ok and ("rows " .. #rows) or ("refused: " .. tostring(rows)))
                local after = {}
                for i = 1, 100 do after[i] = i end
                return ctx.result({ held = #hold }, "went on: " .. #after)
              end,
            },
          },
        }
        """

    @Test func anAnswerPastTheLimitIsACatchableErrorInTheWorker() throws {
        let ws = try AsOfReportTests.workspace()
        let folder = ws.appendingPathComponent("plugins/big")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try WorkerAnswerMemoryTests.plugin.write(
            to: folder.appendingPathComponent("plugin.lua"), atomically: true,
            encoding: .utf8)
        let small = try FupinBinary.run(["big", "rows", "--n", "500", "--workspace", ws.path])
        #expect(small.status == 0, "\(small.stderr)")
        #expect(small.stdout.hasPrefix("rows 500\n"), "\(small.stdout)")
        // Small enough for the host to send (it refuses answers it can tell are too big), too big
        // to build in the worker beside what the command holds.
        let big = try FupinBinary.run(["big", "rows", "--n", "5000", "--workspace", ws.path])
        #expect(big.status == 0, "\(big.stderr)")
        #expect(
            big.stdout.contains("refused: ") && big.stdout.contains("not enough memory for the host's answer"),
            "\(big.stdout)")
        #expect(big.stdout.contains("went on: 100"), "\(big.stdout)")
    }
}
