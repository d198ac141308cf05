import Foundation
import Testing

/// What a one-shot command costs the workspace (issue 16, start-up): opening it writes nothing
/// — GRDB used to commit a dummy transaction to create the write-ahead log, and the command's
/// end then checkpointed it back, four `fdatasync` calls for `fupin eval 'return 1'`.
@Suite struct StartupTests {
    /// The database file's bytes (the sample workspace's is about a megabyte).
    static func contents(_ database: URL) throws -> Data {
        try Data(contentsOf: database)
    }

    static func workspace() throws -> (URL, [String: String]) {
        let folder = try FupinBinary.scratchFolder()
        let env = [
            "FUPIN_BUNDLED_PLUGINS": "", "FUPIN_PLUGIN_PATH": "",
            "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
            "XDG_CACHE_HOME": folder.appendingPathComponent("cache").path,
        ]
        let ws = folder.appendingPathComponent("ws")
        let r = try FupinBinary.run(["init", ws.path, "--sample"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return (ws, env)
    }

    @Test func aCommandThatWritesNothingLeavesTheDatabaseUntouched() throws {
        let (ws, env) = try StartupTests.workspace()
        let database = ws.appendingPathComponent("fupin.sqlite")
        let before = try StartupTests.contents(database)
        var traced = env
        traced["FUPIN_TRACE_SQL"] = "1"
        for script in ["return 1", "return fp.households:count() > 0"] {
            let r = try FupinBinary.run(["eval", "--workspace", ws.path, script], environment: traced)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(!r.stderr.contains("CREATE TABLE"), "opening the workspace wrote to it:\n\(r.stderr)")
        }
        #expect(try StartupTests.contents(database) == before)
        // SQLite still removes the log when the command ends.
        #expect(!FileManager.default.fileExists(atPath: database.path + "-wal"))
        // A write is a write: it reaches the database file, and a later command reads it.
        let write = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "fp.towns:add{ name = '新镇' }"], environment: env)
        #expect(write.status == 0, "\(write.stderr)")
        #expect(try StartupTests.contents(database) != before)
        let read = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "return fp.towns:where{ name = '新镇' }:count()"], environment: env)
        #expect(read.stdout == "1\n", "\(read.stdout) \(read.stderr)")
    }

    /// libxlsxwriter (with libcrypto and libminizip) is loaded when a workbook is written, not
    /// at every start: it was half of the dynamic loader's symbol lookups. The loader's own
    /// trace (`LD_DEBUG=files`) names each library it loads.
    @Test func theXlsxLibraryIsLoadedOnlyToWriteAWorkbook() throws {
        let (ws, env) = try StartupTests.workspace()
        var traced = env
        traced["LD_DEBUG"] = "files"
        let r = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "return fp.households:count() > 0"], environment: traced)
        #expect(r.stdout == "true\n", "\(r.stdout)")
        #expect(r.stderr.contains("file=liblua5.4"), "the loader's trace is missing:\n\(r.stderr.prefix(500))")
        #expect(!r.stderr.contains("xlsxwriter") && !r.stderr.contains("libcrypto"), "loaded at start")
        // The bundled ledgers plugin writes the town register as a workbook.
        traced["FUPIN_BUNDLED_PLUGINS"] = nil
        let register = try FupinBinary.run(
            ["ledgers", "register", "--year", "2019", "--format", "xlsx", "--workspace", ws.path],
            environment: traced)
        #expect(register.status == 0, "\(register.stderr.suffix(500))")
        #expect(register.stderr.contains("file=libxlsxwriter"), "the workbook was written without loading the library?")
        let bytes = try Data(contentsOf: ws.appendingPathComponent("exports/register-2019.xlsx"))
        #expect(bytes.starts(with: [0x50, 0x4B]), "not a zip (xlsx) file")
    }

    /// The empty log a command makes before opening is harmless when a crash leaves it behind:
    /// the next command reads and writes as usual.
    @Test func anEmptyLogLeftBehindIsHarmless() throws {
        let (ws, env) = try StartupTests.workspace()
        let log = ws.appendingPathComponent("fupin.sqlite-wal")
        try Data(repeating: 0, count: 8).write(to: log)
        let count = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.towns:count()"], environment: env)
        #expect(count.status == 0, "\(count.stderr)")
        let towns = Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(towns > 0, "\(count.stdout)")
        try Data(repeating: 0, count: 8).write(to: log)
        let write = try FupinBinary.run(
            ["eval", "--workspace", ws.path, "fp.towns:add{ name = '新镇' } return fp.towns:count()"], environment: env)
        #expect(write.stdout == "\(towns + 1)\n", "\(write.stdout) \(write.stderr)")
        let again = try FupinBinary.run(["eval", "--workspace", ws.path, "return fp.towns:count()"], environment: env)
        #expect(again.stdout == "\(towns + 1)\n", "\(again.stdout) \(again.stderr)")
    }
}
