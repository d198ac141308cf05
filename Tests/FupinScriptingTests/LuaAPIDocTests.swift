import Foundation
import FupinCore
import LuaKit
import Testing

@testable import FupinScripting

/// docs/lua-api.md covers the whole `fp` API: every function and method of `FpAPI` appears in
/// a runnable ```lua example. (Running the examples is the job of the doc-example test.)
@Suite struct LuaAPIDocTests {
    static let docURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/lua-api.md")

    /// The code of every block fenced exactly ```lua (not ```lua norun).
    static func runnableBlocks(_ doc: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil {
                if line == "```lua" { current = [] }
            } else if line == "```" {
                blocks.append((current ?? []).joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func everyMemberHasARunnableExample() throws {
        let doc = try String(contentsOf: LuaAPIDocTests.docURL, encoding: .utf8)
        let code = LuaAPIDocTests.runnableBlocks(doc).joined(separator: "\n")
        #expect(LuaAPIDocTests.runnableBlocks(doc).count >= 15)
        for member in FpAPI.collectionMethods + FpAPI.queryMethods {
            #expect(
                code.contains(":\(member.name)(") || code.contains(":\(member.name){"), "no example of :\(member.name)")
        }
        for member in FpAPI.functions {
            #expect(code.contains("fp.\(member.name)("), "no example of fp.\(member.name)")
        }
        for (collection, member) in FpAPI.helpers {
            #expect(code.contains("fp.\(collection):\(member.name)("), "no example of fp.\(collection):\(member.name)")
        }
    }

    @Test func blocksCompile() throws {
        let doc = try String(contentsOf: LuaAPIDocTests.docURL, encoding: .utf8)
        let lua = try LuaKit.LuaState()
        for (index, block) in LuaAPIDocTests.runnableBlocks(doc).enumerated() {
            #expect(throws: Never.self, "block \(index + 1)") {
                _ = try lua.load(string: block, chunkName: "=lua-api.md")
            }
        }
    }
}

/// Every runnable example of docs/lua-api.md runs, with its assertions, on a fresh sample
/// workspace (in a dry-run unit, so one block's writes never leak into the next).
@Suite struct LuaAPIDocExamplesRun {
    @Test func everyBlockRunsOnTheSampleWorkspace() throws {
        let doc = try String(contentsOf: LuaAPIDocTests.docURL, encoding: .utf8)
        let blocks = LuaAPIDocTests.runnableBlocks(doc)
        #expect(blocks.count > 10)
        for (i, block) in blocks.enumerated() {
            let host = try FpTestSupport.sampleHost()
            do {
                _ = try host.runUnit(dryRun: true) {
                    try host.lua.run(string: block, chunkName: "=lua-api.md#\(i + 1)")
                }
            } catch {
                Issue.record("docs/lua-api.md block \(i + 1) failed: \(error)\n\(block)")
            }
        }
    }
}
