import Foundation
import FupinCore
import FupinScripting
import GRDB
import LuaKit

/// A host over a fresh in-memory workspace holding the sample data from seeds/.
enum FpTestSupport {
    static let seeds = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds")

    static func sampleHost(view: FpView = FpView(source: "test", operatorName: "测试员")) throws -> FupinHost {
        let ws = try Workspace.inMemory()
        try SampleWorkspace.load(into: ws, from: seeds, context: WriteContext(operator: "测试员", source: "test"))
        return try FupinHost(workspace: ws, view: view)
    }

    /// Runs `source` as one unit; returns its results.
    @discardableResult
    static func run(_ host: FupinHost, _ source: String, dryRun: Bool = false) throws -> [LuaValue] {
        try host.runUnit(dryRun: dryRun) { try host.lua.run(string: source, chunkName: "=test") }.0
    }

    /// Counts rows of a table directly in SQL (independent of the fp layer).
    static func count(_ host: FupinHost, _ table: String) throws -> Int {
        try host.workspace.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}
