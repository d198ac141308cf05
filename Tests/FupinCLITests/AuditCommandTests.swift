import Foundation
import Testing

/// `fupin audit`: entries with who, when, from where, and what changed, masked by default.
@Suite struct AuditCommandTests {
    @Test func showsChangesMaskedAndFiltered() throws {
        let folder = try FupinBinary.scratchFolder()
        let ws = folder.appendingPathComponent("ws").path
        let env = ["FUPIN_BUNDLED_PLUGINS": ""]
        #expect(try FupinBinary.run(["init", ws, "--sample"], environment: env).status == 0)
        let edit = try FupinBinary.run(
            [
                "eval", "--workspace", ws, "--operator", "王明刚",
                "fp.members:update(1, { medical_insurance = false }) fp.households:update(1, { phone = '13912345678' }) fp.towns:remove(fp.towns:add{ name = '测试镇' }.id)",
            ],
            environment: env)
        #expect(edit.status == 0, "\(edit.stderr)")
        let all = try FupinBinary.run(["audit", "--workspace", ws, "--limit", "3"], environment: env)
        #expect(all.status == 0)
        let lines = all.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "header, three entries, the note on the limit")
        #expect(
            lines[1].contains("王明刚") && lines[1].contains("eval") && lines[1].contains("update")
                && lines[1].contains("households #1"))
        #expect(lines[1].contains("→ 139****5678"), "phones are masked")
        #expect(lines[3].contains("marked invalid: name 测试镇"))
        #expect(lines[4].hasPrefix("(the last 3 of "))
        // yes/no reads 是/否, as fp.show writes it, not the stored 1/0
        let member = try FupinBinary.run(
            ["audit", "--workspace", ws, "--collection", "members", "--record", "1"], environment: env)
        #expect(member.stdout.contains("medical_insurance: 是 → 否"), "\(member.stdout)")
        let unmasked = try FupinBinary.run(
            ["audit", "--workspace", ws, "--collection", "households", "--record", "1", "--unmask"], environment: env)
        #expect(unmasked.stdout.contains("→ 13912345678"))
        #expect(!unmasked.stdout.contains("towns"))
        let future = try FupinBinary.run(["audit", "--workspace", ws, "--since", "2999-01-01"], environment: env)
        #expect(future.stdout == "no entries\n")
        let bad = try FupinBinary.run(["audit", "--workspace", ws, "--since", "2019-02-30"], environment: env)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--since 2019-02-30 is not a date"))
        let unknown = try FupinBinary.run(["audit", "--workspace", ws, "--collection", "nope"], environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--collection nope: no such collection"))
    }
}
