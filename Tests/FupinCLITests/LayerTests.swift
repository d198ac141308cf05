import Foundation
import Testing

/// The package's layers, checked on the sources: SwiftPM lets a target import any module its
/// dependencies bring along, so the rule that only LuaKit touches the Lua C API and only
/// FupinCore touches the storage engine is held here.
@Suite struct LayerTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// The modules imported by the Swift files under `Sources/<target>`, by file.
    func imports(of target: String) throws -> [(file: String, module: String)] {
        let root = Self.sources.appendingPathComponent(target)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                // `import X`, `@testable import X`, `@_exported import X`, `import struct X.Y`.
                guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                    words[..<i].allSatisfy({ $0.hasPrefix("@") })
                else { continue }
                let module =
                    words.count > i + 2 && ["struct", "class", "enum", "func", "protocol"].contains(words[i + 1])
                    ? words[i + 2] : words[i + 1]
                found.append((url.lastPathComponent, String(module.split(separator: ".")[0])))
            }
        }
        return found
    }

    /// The Swift targets under `Sources/` (those with a `.swift` file).
    func swiftTargets() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.sources.path).filter { target in
            let root = Self.sources.appendingPathComponent(target)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
                return false
            }
            return walker.contains { ($0 as? URL)?.pathExtension == "swift" }
        }.sorted()
    }

    @Test func scriptingImportsOnlyItsLayers() throws {
        // The Lua C API through LuaKit (its WireLua converts for the workers), the store through
        // FupinCore, seccomp through ProcessConfinement: no C module, no storage engine
        // (neither SQLite nor libpq).
        let allowed: Set = ["Foundation", "Glibc", "LuaKit", "FupinCore", "FupinWire", "ProcessConfinement"]
        let found = try imports(of: "FupinScripting")
        #expect(found.count > 10)
        for (file, module) in found where !allowed.contains(module) {
            Issue.record("FupinScripting/\(file) imports \(module)")
        }
    }

    @Test func theExecutableLeavesTheLuaCAPIToLuaKit() throws {
        let found = try imports(of: "fupin")
        #expect(found.contains { $0.module == "LuaKit" })
        for (file, module) in found where ["CLua", "CLuaShim"].contains(module) {
            Issue.record("fupin/\(file) imports \(module)")
        }
    }

    @Test func fupinCoreKeepsSQLiteBehindItsStoreSeam() throws {
        // Generic FupinCore code talks to a store through StoreConnection; GRDB and SQLite's C
        // API stay in the SQLite implementation (Storage/SQLite) and the typed GRDB records.
        let core = Self.sources.appendingPathComponent("FupinCore")
        let sqliteModules: Set = ["GRDB", "GRDBSQLite", "SQLite3", "CSQLiteGuard"]
        guard let walker = FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil) else {
            Issue.record("no FupinCore sources")
            return
        }
        var checked = 0
        for case let url as URL in walker where url.pathExtension == "swift" {
            let path = String(url.path.dropFirst(core.path.count + 1))
            checked += 1
            if path.hasPrefix("Storage/SQLite/") || path.hasPrefix("Records/") { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                let module = String(line.dropFirst("import ".count).split(separator: " ")[0])
                if sqliteModules.contains(module) { Issue.record("FupinCore/\(path) imports \(module)") }
            }
        }
        #expect(checked > 50)
    }

    @Test func eachCModuleHasItsOneOwner() throws {
        // Which Swift targets may import each C or storage module (Package.swift's layers).
        let owners: [String: Set<String>] = [
            "CLua": ["LuaKit"], "CLuaShim": ["LuaKit"],
            "GRDB": ["FupinCore"], "GRDBSQLite": ["FupinCore"], "SQLite3": ["FupinCore"],
            "CSeccomp": ["ProcessConfinement"], "CLibPQ": ["FupinCore"],
        ]
        let targets = try swiftTargets()
        #expect(targets.contains("LuaKit") && targets.contains("FupinScripting"))
        for target in targets {
            for (file, module) in try imports(of: target) {
                if let allowed = owners[module], !allowed.contains(target) {
                    Issue.record("\(target)/\(file) imports \(module)")
                }
            }
        }
    }
}
