import Foundation
import Testing

/// Plugins a command does not touch cost it nothing but their manifest (issue 16, start-up):
/// `fupin eval`/`run` read no plugin at all until the script reaches for one, and a plugin's
/// code runs only when one of its commands does. Run as the real binary over a workspace with
/// a plugin whose code fails when loaded and one whose manifest itself fails.
@Suite struct LazyPluginTests {
    /// `good` works; `heavy` declares a ledger and a command whose module raises when loaded;
    /// `broken`'s plugin.lua raises. The manifest cache is the test's own (empty) folder.
    static func workspace() throws -> (URL, [String: String], URL) {
        let folder = try FupinBinary.scratchFolder()
        let cache = folder.appendingPathComponent("cache")
        let env = [
            "FUPIN_BUNDLED_PLUGINS": "", "FUPIN_PLUGIN_PATH": "",
            "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": cache.path,
        ]
        let ws = folder.appendingPathComponent("ws")
        let created = try FupinBinary.run(["init", ws.path], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        try PluginWorkerTests.addPlugin(
            ws, "good",
            """
            return { name = "good", version = "1.0.0", api = 1, commands = {
              hello = { summary = "says hello", run = function(args, ctx) ctx.print("hello from good") end } } }
            """)
        try PluginWorkerTests.addPlugin(
            ws, "heavy",
            """
            return { name = "heavy", version = "1.0.0", api = 1, permissions = { "read", "write:own" },
              ledgers = { parcels = { label = "parcels", fields = {
                { name = "name", type = "text", required = true } } } },
              commands = {
                work = { summary = "needs its module", run = function(args, ctx)
                  return require("lib.engine").go()
                end } } }
            """)
        let lib = ws.appendingPathComponent("plugins/heavy/lib")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        try "error(\"heavy's engine failed to load\")\nreturn { go = function() end }\n"
            .write(to: lib.appendingPathComponent("engine.lua"), atomically: true, encoding: .utf8)
        try PluginWorkerTests.addPlugin(
            ws, "broken",
            """
            error("broken's plugin.lua failed")
            return { name = "broken", version = "1.0.0", api = 1 }
            """)
        return (ws, env, cache)
    }

    /// Entries in the manifest cache: one per manifest read in a worker.
    static func cached(_ cache: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("fupin/manifests").path))
            ?? []
    }

    @Test func aScriptThatTouchesNoPluginReadsNone() throws {
        let (ws, env, cache) = try LazyPluginTests.workspace()
        let r = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "return 1 + fp.households:count()"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "1\n", "\(r.stdout)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        // Not even a manifest was read: the cache is still empty.
        #expect(LazyPluginTests.cached(cache).isEmpty, "\(LazyPluginTests.cached(cache))")
    }

    @Test func anotherPluginsCommandRunsWithoutLoadingTheirCode() throws {
        let (ws, env, cache) = try LazyPluginTests.workspace()
        let r = try FupinBinary.run(["good", "hello", "--workspace", ws.path], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "hello from good\n", "\(r.stdout)")
        // Neither heavy's module nor broken's failure is met or reported.
        #expect(!r.stderr.contains("heavy") && !r.stderr.contains("broken"), "\(r.stderr)")
        // Manifests are read (once each, cached by content); code is not.
        #expect(LazyPluginTests.cached(cache).count == 3, "\(LazyPluginTests.cached(cache))")
        let again = try FupinBinary.run(["good", "hello", "--workspace", ws.path], environment: env)
        #expect(again.stdout == "hello from good\n" && LazyPluginTests.cached(cache).count == 3)
    }

    /// A ledger's schema comes from its plugin's manifest: querying it loads none of the
    /// plugin's code, even when that code cannot load.
    @Test func aPluginLedgerIsQueriedWithoutItsCode() throws {
        let (ws, env, _) = try LazyPluginTests.workspace()
        let r = try FupinBinary.run(
            [
                "eval", "--workspace", ws.path,
                "fp.parcels:add{ name = '东坡' } return fp.parcels:count()",
            ], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "1\n", "\(r.stdout)")
        #expect(!r.stderr.contains("engine"), "\(r.stderr)")
    }

    /// Touched, each failure is reported: the module that failed to load, naming the plugin
    /// and command; the plugin whose manifest failed, from the shell and from a script.
    @Test func aFailingPluginIsReportedWhenTouched() throws {
        let (ws, env, _) = try LazyPluginTests.workspace()
        let heavy = try FupinBinary.run(["heavy", "work", "--workspace", ws.path], environment: env)
        #expect(heavy.status == 1, "\(heavy.stdout)")
        #expect(
            heavy.stderr.contains("heavy work") && heavy.stderr.contains("heavy's engine failed to load"),
            "\(heavy.stderr)")
        let broken = try FupinBinary.run(["broken", "anything", "--workspace", ws.path], environment: env)
        #expect(broken.status == 1)
        #expect(
            broken.stderr.contains("plugin broken is disabled: plugin.lua failed")
                && broken.stderr.contains("broken's plugin.lua failed"),
            "\(broken.stderr)")
        let script = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "return fp.plugins.broken"], environment: env)
        #expect(script.status == 1)
        #expect(script.stderr.contains("plugin broken is disabled"), "\(script.stderr)")
    }
}
