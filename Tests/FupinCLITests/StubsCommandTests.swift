import Foundation
import Testing

/// `fupin stubs`: writes fp.lua and .luarc.json, merges an existing .luarc.json, honours -o and
/// --no-luarc, and reports a .luarc.json it cannot merge.
@Suite struct StubsCommandTests {
    @Test func writesStubsAndLuarcIntoTheWorkspace() throws {
        let folder = try FupinBinary.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try FupinBinary.run(["stubs", "--workspace", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let stub = try String(contentsOf: folder.appendingPathComponent(".fupin/stubs/fp.lua"), encoding: .utf8)
        #expect(stub.hasPrefix("---@meta"))
        #expect(stub.contains("---@field households fp.Households 贫困户"))
        // Examples as fenced blocks (LuaLS has no @usage), and the globals of *_spec.lua.
        #expect(!stub.contains("---@usage"))
        #expect(stub.contains("---```lua\n---fp.households:get(1)\n---```\n"))
        #expect(stub.contains("function describe(name, body) end") && stub.contains("---@type fp\nfixture = {}"))
        let luarc = try String(contentsOf: folder.appendingPathComponent(".luarc.json"), encoding: .utf8)
        #expect(luarc.contains("\"workspace.library\": [\".fupin/stubs\"]"))
        #expect(luarc.contains("\"Lua 5.4\""))
        #expect(result.stdout.contains("fp.lua"))

        // A second run leaves an up-to-date .luarc.json alone.
        let again = try FupinBinary.run(["stubs", "--workspace", folder.path])
        #expect(again.status == 0)
        #expect(!again.stdout.contains(".luarc.json"))
    }

    /// -o elsewhere and a workspace folder that does not exist: refused before anything is
    /// written (it used to write the stubs, then fail on .luarc.json).
    @Test func missingWorkspaceFolderIsRefusedBeforeWriting() throws {
        let folder = try FupinBinary.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no-such-workspace").path
        let types = folder.appendingPathComponent("types")
        let refused = try FupinBinary.run(["stubs", "--workspace", missing, "-o", types.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no such folder to hold .luarc.json"))
        #expect(!FileManager.default.fileExists(atPath: types.path))
        let written = try FupinBinary.run(["stubs", "--workspace", missing, "-o", types.path, "--no-luarc"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(FileManager.default.fileExists(atPath: types.appendingPathComponent("fp.lua").path))
    }

    @Test func outputFolderAndNoLuarc() throws {
        let folder = try FupinBinary.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try FupinBinary.run(["stubs", "-o", "types", "--no-luarc"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("types/fp.lua").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".luarc.json").path))
    }

    @Test func mergesOrRefusesAnExistingLuarc() throws {
        let folder = try FupinBinary.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let luarc = folder.appendingPathComponent(".luarc.json")
        try Data(#"{"workspace.library": ["/opt/lua"], "hint.enable": true}"#.utf8).write(to: luarc)
        let merged = try FupinBinary.run(["stubs", "--workspace", folder.path])
        #expect(merged.status == 0, "\(merged.stderr)")
        let text = try String(contentsOf: luarc, encoding: .utf8)
        #expect(text.contains("/opt/lua") && text.contains(".fupin/stubs") && text.contains("hint.enable"))

        try Data("// my settings\n{}".utf8).write(to: luarc)
        let refused = try FupinBinary.run(["stubs", "--workspace", folder.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not plain JSON"))
        #expect(try String(contentsOf: luarc, encoding: .utf8) == "// my settings\n{}")
    }
}
