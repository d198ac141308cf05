import Testing

@testable import LuaKit

/// Each capability the sandbox removes is really absent.
@Suite struct SandboxTests {
    let lua: LuaState
    let env: LuaTable

    init() throws {
        lua = try LuaState()
        env = try lua.makeSandbox()
    }

    /// Runs `source` in the sandbox; returns its results or throws its error.
    @discardableResult
    func sandboxed(_ source: String) throws -> [LuaValue] {
        try lua.loadSandboxed(string: source, chunkName: "=plugin", env: env).call()
    }

    @Test(arguments: [
        "os.execute", "os.exit", "os.remove", "os.getenv", "io", "debug", "package", "require",
        "dofile", "loadfile", "string.dump", "collectgarbage and nil",
    ])
    func capabilityIsAbsent(_ expression: String) throws {
        let r = try sandboxed("return \(expression)")
        #expect(r.first?.isNil == true, "\(expression) must be absent")
    }

    @Test func presentLibrariesWork() throws {
        let r = try sandboxed(
            "return string.format('%d', 7), table.concat({1, 2}, ','), math.max(1, 3), utf8.char(25206), type(os.time()), ('x'):rep(3)"
        )
        #expect(r.map(\.description) == ["7", "1,2", "3", "扶", "number", "xxx"])
    }

    @Test func stringDumpUnreachableThroughMethods() throws {
        #expect(throws: LuaError.self) { try sandboxed("return ('x').dump(function() end)") }
    }

    @Test func binaryChunksAreRefused() throws {
        let bytecode = try lua.run(string: "return string.dump(function() return 1 end)")
        try env.set("bytecode", bytecode[0])
        let r = try sandboxed("return load(bytecode)")
        #expect(r.first?.isNil == true)
        #expect(
            r[1].stringValue?.contains("binary") == true
                || r[1].stringValue?.contains("attempt to load a binary chunk") == true)
        // Text chunks load into the sandbox, not the host globals.
        try lua.run(string: "hostSecret = 'x'")
        let text = try sandboxed("return load('return hostSecret, io')()")
        #expect(text.allSatisfy { $0.isNil })
    }

    @Test func stringMetatableCannotBeChanged() throws {
        #expect(throws: LuaError.self) {
            try sandboxed("getmetatable('').__index = { upper = function() return 'pwned' end }")
        }
        #expect(throws: LuaError.self) {
            try sandboxed("getmetatable('').__index.upper = function() return 'pwned' end")
        }
        #expect(try lua.run(string: "return ('a'):upper()").first?.stringValue == "A")
    }

    @Test func environmentMetatableIsLocked() throws {
        #expect(throws: LuaError.self) { try sandboxed("setmetatable(_G, { __index = function() end })") }
        #expect(try sandboxed("return getmetatable(_G)").first?.stringValue == "the sandbox environment is locked")
    }

    @Test func collectgarbageOnlyCounts() throws {
        #expect(try sandboxed("return type(collectgarbage('count'))").first?.stringValue == "number")
        #expect(throws: LuaError.self) { try sandboxed("collectgarbage('stop')") }
    }

    @Test func sandboxesDoNotShareLibraryTables() throws {
        try sandboxed("string.evil = function() return 'evil' end; table.insert = nil")
        let other = try lua.makeSandbox()
        let r = try lua.loadSandboxed(
            string: "return string.evil, table.insert ~= nil", chunkName: "=other", env: other
        ).call()
        #expect(r[0].isNil)
        #expect(r[1].boolValue == true)
        #expect(try lua.run(string: "return string.evil").first?.isNil == true)
    }
}
