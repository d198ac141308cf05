import Foundation
import Testing

/// The scripts the README points at run on the sample workspace and print the sample's figures.
@Suite struct ExampleScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func exampleScriptPrintsTheYearAtAGlance() throws {
        let ws = try FupinBinary.scratchFolder().appendingPathComponent("ws")
        #expect(try FupinBinary.run(["init", ws.path, "--sample"]).status == 0)
        let script = ExampleScriptTests.root.appendingPathComponent("Scripts/example.lua").path
        let r = try FupinBinary.run(["run", "--workspace", ws.path, script, "2019"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("贫困户 6 户（国家标准 6 户），13 人"))
        #expect(r.stdout.contains("筹措资金 2 笔，38600.00 元"))
        #expect(r.stdout.contains("东梁村：物资价值 3156.00 元"))
        #expect(r.stdout.contains("消费扶贫销售 13 笔，2086.00 元"))
    }
}
