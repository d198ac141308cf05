import Foundation
import Testing

/// Masking holds where the SQL is compiled: a plugin holding only `read` cannot filter, order,
/// group or aggregate on a personal field (also through a reference path), and the audit log's
/// before/after values reach it masked like records.
@Suite struct SandboxMaskingTests {
    /// Queries that would rebuild or list personal values, with the field the refusal names.
    static let attacks: [(code: String, field: String)] = [
        ("fp.households:where{ head_id_number = {'like', '1527%'} }:count()", "households.head_id_number"),
        ("fp.households:where{ head_id_number = {'>=', '15270119'} }:count()", "households.head_id_number"),
        ("fp.households:where{ phone = {'in', { '13800135678' }} }:count()", "households.phone"),
        ("fp.households:where{ phone = {'between', '138', '139'} }:count()", "households.phone"),
        ("fp.households:where{ head_id_number = '152701198001011234' }:count()", "households.head_id_number"),
        ("fp.households:find{ phone = '13800135678' }", "households.phone"),
        ("fp.households:group_by('head_id_number'):count()", "households.head_id_number"),
        ("fp.members:group_by('health'):count()", "members.health"),
        ("fp.members:where{ health = '健康' }:count()", "members.health"),
        ("fp.households:order_by('phone'):first()", "households.phone"),
        ("fp.households:max('head_id_number')", "households.head_id_number"),
        ("fp.households:min('phone')", "households.phone"),
        ("fp.members:group_by('relation'):max('id_number')", "members.id_number"),
        ("fp.households:aggregate{ m = { 'max', 'phone' } }", "households.phone"),
        (
            "fp.members:where{ ['household_id.head_id_number'] = {'like', '1%'} }:count()",
            "members.household_id.head_id_number"
        ),
        ("fp.members:group_by('household_id.head_id_number'):count()", "members.household_id.head_id_number"),
        ("fp.audit:where{ after = {'like', '%1527%'} }:count()", "audit_log.after"),
        ("fp.audit:group_by('before'):count()", "audit_log.before"),
    ]

    @Test func aPluginWithoutPIICannotQueryPersonalFields() throws {
        var commands: [String: String] = [:]
        for (i, attack) in SandboxMaskingTests.attacks.enumerated() {
            commands["a\(i)"] = "ctx.print('leaked', \(attack.code))"
        }
        commands["fine"] =
            "return fp.households:group_by('standard'):count()['国家'] + fp.members:where{ ['household_id.standard'] = '国家' }:count()"
        let probe = try SandboxProbe(permissions: ["read"], commands: commands)
        for (i, attack) in SandboxMaskingTests.attacks.enumerated() {
            let r = try probe.run("a\(i)")
            #expect(r.status != 0 && r.status < 128, "\(attack.code) ran: \(r.stdout)")
            #expect(!r.stdout.contains("leaked"), "\(attack.code)")
            #expect(
                r.stderr.contains("\(attack.field) is personal data") && r.stderr.contains("'pii' permission"),
                "\(attack.code): \(r.stderr)")
        }
        #expect(try probe.run("fine").status == 0)
        // The same queries stay open to trusted code.
        let trusted = try probe.eval("return fp.households:where{ head_id_number = {'like', '1%'} }:count() > 0")
        #expect(trusted.stdout == "true\n", "\(trusted.stderr)")
    }

    @Test func aLedgerFieldDeclaredPersonalIsGuardedLikeTheCoreOnes() throws {
        let probe = try SandboxProbe(
            permissions: ["read", "write:own"],
            commands: [
                "add": "fp.t:add{ secret = 'ABCDEFGHIJKL', open = 'x' }",
                "read": "return fp.t:first().secret",
                "probe": "return fp.t:where{ secret = {'like', 'A%'} }:count()",
                "group": "return fp.t:group_by('open'):max('secret')",
            ],
            extra:
                "ledgers = { t = { fields = { { name = 'secret', type = 'text', pii = true }, { name = 'open', type = 'text' } } } },"
        )
        #expect(try probe.run("add").status == 0)
        let read = try probe.run("read")
        #expect(
            read.status == 0 && !read.stdout.contains("ABCDEFGHIJKL") && read.stdout.hasPrefix("ABCD"), "\(read.stdout)"
        )
        for command in ["probe", "group"] {
            let r = try probe.run(command)
            #expect(r.status != 0 && r.stderr.contains("t.secret is personal data"), "\(command): \(r.stderr)")
        }
    }

    @Test func auditValuesReachAPluginMaskedLikeRecords() throws {
        let probe = try SandboxProbe(
            permissions: ["read"],
            commands: [
                "dump": """
                fp.audit:list() -- a whole list, then a stream, then single entries
                local out = {}
                for _, e in ipairs(fp.audit:list()) do out[#out + 1] = (e.before or '') .. (e.after or '') end
                for e in fp.audit:iter() do out[#out + 1] = (e.before or '') .. (e.after or '') end
                out[#out + 1] = fp.audit:first().after
                ctx.print(table.concat(out, '\\n'))
                """
            ])
        // An update, so a `before` holds personal data too.
        let update = try probe.eval(
            "local h = fp.households:first() fp.households:update(h.id, { phone = '13912345678' }) return h.id")
        #expect(update.status == 0, "\(update.stderr)")
        let secrets = try probe.eval(
            """
            local t = {}
            for _, h in ipairs(fp.sql('SELECT head_id_number, phone FROM households')) do t[#t + 1] = h.head_id_number; t[#t + 1] = h.phone end
            for _, m in ipairs(fp.sql('SELECT id_number FROM members')) do t[#t + 1] = m.id_number end
            return table.concat(t, ' ')
            """)
        let values = secrets.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init).filter {
            $0.count >= 11
        }
        #expect(values.count > 20, "\(secrets.stderr)")
        let r = try probe.run("dump")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("head_id_number"), "no audit values reached the plugin")
        #expect(r.stdout.contains("139****5678"))
        for value in values + ["13912345678"] {
            #expect(!r.stdout.contains(value), "unmasked \(value) in fp.audit")
        }
    }
}
