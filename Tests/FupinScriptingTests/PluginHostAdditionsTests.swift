import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// A plugin folder written for one test, loaded into a host over the sample workspace.
private func pluginHost(_ manifest: String, name: String = "imp") throws -> (FupinHost, URL) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-plugin-test-\(UUID().uuidString)")
    let folder = root.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try manifest.write(to: folder.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
    let host = try FpTestSupport.sampleHost()
    let runtime = try host.loadPlugins(PluginPlaces([(.path, root)]))
    #expect(runtime.plugin(name)?.problem == nil)
    return (host, root)
}

private let importer = #"""
    return {
      name = "imp", version = "1.0.0", api = 1, permissions = { "read", "write" },
      ledgers = { things = { fields = {
        { name = "name", type = "text", required = true, label = "名称" },
        { name = "n", type = "integer", label = "数量" },
        { name = "household_id", type = "ref", to = "households", label = "户" },
      } } },
      commands = {
        load = { args = { { name = "file", type = "path", required = true, positional = true },
                          { name = "encoding", type = "text", default = "auto" } },
                 run = function(args, ctx) return ctx.import_csv("things", args.file, args.encoding).inserted end },
        sneak = { args = { { name = "file", type = "text" } },
                  run = function(args, ctx) return ctx.import_csv("things", args.file) end },
        core = { args = { { name = "file", type = "path" } },
                 run = function(args, ctx) return ctx.import_csv("households", args.file) end },
      },
    }
    """#

private func write(_ text: String, to folder: URL, _ name: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

@Test func importCSVFillsAPluginLedgerInTheCommandsUnit() throws {
    let (host, root) = try pluginHost(importer)
    defer { try? FileManager.default.removeItem(at: root) }
    let good = try write("名称,数量,户编号\n甲,3,1506020010101\n乙,4,1506020010201\n", to: root, "good.csv")
    let (results, _) = try host.runPluginCommand(
        "imp", "load", arguments: ["file": .text(good), "encoding": .text("auto")])
    #expect(results.first?.intValue == 2)
    #expect(try FpTestSupport.count(host, "things") == 2)
    let source = try host.workspace.read { db in
        try String.fetchOne(db, sql: "SELECT source FROM audit_log WHERE collection = 'things' LIMIT 1")
    }
    #expect(source == "plugin:imp:load:good.csv")
}

@Test func importCSVRefusesABadFileWholeNamingRowAndColumn() throws {
    let (host, root) = try pluginHost(importer)
    defer { try? FileManager.default.removeItem(at: root) }
    let bad = try write("名称,数量\n甲,3\n乙,many\n", to: root, "bad.csv")
    do {
        _ = try host.runPluginCommand("imp", "load", arguments: ["file": .text(bad), "encoding": .text("auto")])
        Issue.record("a bad file was imported")
    } catch let error as PluginCommandError {
        #expect(error.isUserError)
        #expect(error.message.contains("row 3, column 数量 (n), value many"))
        #expect(error.message.contains("nothing written"))
    }
    #expect(try FpTestSupport.count(host, "things") == 0)
}

@Test func importCSVReadsOnlyNamedFilesIntoOwnLedgers() throws {
    let (host, root) = try pluginHost(importer)
    defer { try? FileManager.default.removeItem(at: root) }
    let good = try write("name\n甲\n", to: root, "good.csv")
    #expect(throws: PluginCommandError.self) {
        _ = try host.runPluginCommand("imp", "sneak", arguments: ["file": .text(good)])
    }
    do {
        _ = try host.runPluginCommand("imp", "sneak", arguments: ["file": .text(good)])
    } catch let error as PluginCommandError {
        #expect(error.message.contains("was not named by the user"))
    }
    do {
        _ = try host.runPluginCommand("imp", "core", arguments: ["file": .text(good)])
        Issue.record("a plugin imported into a core collection")
    } catch let error as PluginCommandError {
        #expect(error.message.contains("households is not a ledger of plugin imp"))
    }
    #expect(try FpTestSupport.count(host, "things") == 0)
}

@Test func formatShowsPlainRowsAlignedUnderNamedColumns() throws {
    let host = try FpTestSupport.sampleHost()
    let text = try FpTestSupport.run(
        host,
        #"""
        return fp.format({ { ["户主"] = "郝九为", ["金额（元）"] = "1,234.50", n = 3 },
                           { ["户主"] = "刘三", ["金额（元）"] = "12.00", n = 12.5 } },
                         { fields = { "户主", "金额（元）", "n" } })
        """#
    ).first?.stringValue
    #expect(
        text == """
            户主    金额（元）     n
            ------  ----------  ----
            郝九为    1,234.50     3
            刘三         12.00  12.5
            (2 rows)
            """)
    let csv = try FpTestSupport.run(
        host, #"return fp.format({ { a = "x", b = "1,234.50" } }, { fields = { "a", "b" }, mode = "csv" })"#)
    #expect(csv.first?.stringValue == "a,b\nx,1234.50")
}
