import Foundation
import Testing

@testable import FupinCore

/// `fupin access` through the built binary, as a store's owner runs it, on a store set up with
/// the same register as PostgresAccessTests.
@Suite struct PostgresAccessCommandTests {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/fupin").path

    @Test func grantListAndRevokeThroughTheCommand() throws {
        let store = try PostgresAccessTests.Store()
        let analyst = try store.role("cli")
        let granted = try PostgresTestServer.run([
            Self.binary, "access", "grant", analyst.name, "--town", "城郊镇", "--write", "--store", store.uri,
        ])
        #expect(granted == "granted \(analyst.name): 城郊镇 (read, write)\n")
        let pg = try analyst.connect()
        #expect(try pg.query("SELECT sum(amount) FROM incomes").value(0, 0) == .integer(3000))
        #expect(try pg.query("UPDATE households SET size = 1").affectedRows == 2)

        let listed = try PostgresTestServer.run([Self.binary, "access", "list", "--store", store.uri])
        let line = listed.split(separator: "\n").first { $0.hasPrefix(analyst.name) }.map(String.init)
        #expect(
            line?.split(separator: " ", omittingEmptySubsequences: true) == [
                Substring(analyst.name), "城郊镇", "yes", "no",
            ])
        #expect(listed.contains("(every town)"))

        // A workspace over the store names it: --store may be left out, the shared options
        // may come before the command, as for every other command.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-access-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try PostgresTestServer.run([Self.binary, "init", folder.path, "--store", store.uri, "--attach"])
        #expect(try PostgresTestServer.run([Self.binary, "--workspace", folder.path, "access", "list"]) == listed)
        #expect(try PostgresTestServer.run([Self.binary, "access", "list", "--workspace", folder.path]) == listed)

        let revoked = try PostgresTestServer.run([Self.binary, "access", "revoke", analyst.name, "--store", store.uri])
        #expect(revoked == "revoked \(analyst.name): every grant\n")
        #expect(throws: PostgresError.self) { try pg.query("SELECT count(*) FROM households") }
    }

    @Test func badInputIsRefusedWithWhereAndNothingChanges() throws {
        let store = try PostgresAccessTests.Store()
        let analyst = try store.role("bad")
        let (status, output) = try PostgresTestServer.runStatus([
            Self.binary, "access", "grant", analyst.name, "--town", "没有镇", "--store", store.uri,
        ])
        #expect(status == 1)
        #expect(output.contains("--town 没有镇: no town of that name"))
        let (missing, text) = try PostgresTestServer.runStatus([
            Self.binary, "access", "grant", "no_such_role_x", "--town", "城郊镇", "--store", store.uri,
        ])
        #expect(missing == 1)
        #expect(text.contains("role \"no_such_role_x\" does not exist"))
        // Nothing was written: the grants table was not even left behind, the role has nothing.
        #expect(
            try store.admin.query(
                "SELECT to_regclass('fupin_access') IS NULL, has_table_privilege($1, 'households', 'SELECT')",
                [.text(analyst.name)]
            ).row(0) == [.integer(1), .integer(0)])
        let (notPostgres, refusal) = try PostgresTestServer.runStatus([
            Self.binary, "access", "list", "--store", "/tmp/x.sqlite",
        ])
        #expect(notPostgres == 64)
        #expect(refusal.contains("access applies to PostgreSQL stores"))
    }
}
