import Foundation
import TestScratch
import Testing

@testable import FupinCore

/// `fupin store copy` through the built binary: the sample workspace into PostgreSQL and back,
/// every table compared row for row; refusals and a failure that leaves the target untouched.
@Suite struct StoreCopyCommandTests {
    static let binary = PostgresAccessCommandTests.binary

    /// A new sample workspace (bundled plugins, their ledgers) in a scratch folder.
    static func sampleWorkspace() throws -> URL {
        let folder = scratchRoot.appendingPathComponent("copy-\(UUID().uuidString)")
        _ = try PostgresTestServer.run([binary, "init", folder.path, "--sample", "--operator", "copytest"])
        // Open it once with its plugins, so their ledgers are registered (as any command does).
        _ = try PostgresTestServer.run([binary, "eval", "--workspace", folder.path, "return 1"])
        return folder
    }

    /// Every row of every table a workspace database holds but SQLite's and GRDB's own, by id.
    static func tables(of file: URL) throws -> [String: [[SQLValue]]] {
        let workspace = try Workspace.open(at: file.deletingLastPathComponent(), options: .init(readOnly: true))
        return try workspace.store.read { c in
            let names = try c.fetchAll(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('grdb_migrations', 'sqlite_sequence')"
            ) { $0.text(0) ?? "" }
            var all: [String: [[SQLValue]]] = [:]
            for name in names {
                let order = name == "ledger_fields" || name == "settings" ? "1, 2" : "\"id\""
                all[name] = try c.fetchAll("SELECT * FROM \"\(name)\" ORDER BY \(order)") { $0.values }
            }
            return all
        }
    }

    @Test func theSampleGoesToPostgreSQLAndBackUnchanged() throws {
        let workspace = try Self.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        // COPY's special bytes in a text column: tab, newline, carriage return, backslash.
        _ = try PostgresTestServer.run([
            "sqlite3", Workspace.databaseURL(in: workspace).path,
            #"UPDATE villages SET name = name || char(9) || 'a' || char(10) || 'b' || char(13) || 'c\N\d' WHERE id = 1"#,
        ])
        let original = try Self.tables(of: Workspace.databaseURL(in: workspace))
        #expect(
            original["villages"]?.contains { row in row.contains { $0.textValue?.hasSuffix("\ta\nb\rc\\N\\d") ?? false }
            } == true)
        #expect((original["sales"]?.count ?? 0) > 0, "the sample has a plugin ledger with rows")
        #expect((original["audit_log"]?.count ?? 0) > 0)

        let uri = try PostgresTestServer.database()
        let out = try PostgresTestServer.run([Self.binary, "store", "copy", "--workspace", workspace.path, "--to", uri])
        let ledgers = out.components(separatedBy: "plugin ledgers: ").last?.components(separatedBy: ";").first ?? ""
        #expect(ledgers.components(separatedBy: ", ").contains("sales"), "\(out)")
        #expect(out.contains("ids kept"))

        // On the server: the same counts, the ledger's declaration, and new ids past the copied ones.
        let pg = try PostgresConnection(uri)
        for (table, rows) in original {
            #expect(
                try pg.query("SELECT count(*) FROM \"\(table)\"").value(0, 0) == .integer(Int64(rows.count)), "\(table)"
            )
        }
        let maxTown = try pg.query("SELECT max(id) FROM towns").value(0, 0).integer ?? 0
        let newTown = try pg.query("INSERT INTO towns(name) VALUES ('新镇') RETURNING id").value(0, 0)
        #expect(newTown == .integer(maxTown + 1))
        _ = try pg.query("DELETE FROM towns WHERE id = $1", [newTown])

        // And back into a new folder: every table row for row, ids and audit entries equal.
        let back = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-back-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: back) }
        let home = try PostgresTestServer.run([Self.binary, "store", "copy", "--from", uri, "--to", back.path])
        #expect(home.contains("not copied (SQLite has no place for them): audit_log.role"), "\(home)")
        let returned = try Self.tables(of: Workspace.databaseURL(in: back))
        #expect(Set(returned.keys) == Set(original.keys))
        for (table, rows) in original {
            #expect(returned[table] == rows, "\(table) differs after the round trip")
        }
        // A FILE.sqlite target: the same store in a file of that name (here a folder's fupin.sqlite).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = Workspace.databaseURL(in: folder)
        _ = try PostgresTestServer.run([Self.binary, "store", "copy", "--from", uri, "--to", file.path])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == [Workspace.databaseFileName],
            "no scratch folder or log left beside the file")
        #expect(try Self.tables(of: file) == original)

        let info = try PostgresTestServer.run([Self.binary, "store", "info", "--workspace", back.path])
        let records = original.filter { Schema.core[$0.key] != nil }.reduce(0) { $0 + $1.value.count }
        #expect(
            info
                == "store: SQLite \(Workspace.databaseURL(in: back).path)\nrecords: \(records) in the core collections; audit entries: \(original["audit_log"]?.count ?? -1)\n",
            "\(info)")
        // The copy is a workspace the plugins open, their ledger included.
        let sales = try PostgresTestServer.run([
            Self.binary, "eval", "--workspace", back.path, "return fp.sales:count()",
        ])
        #expect(sales.trimmingCharacters(in: .whitespacesAndNewlines) == "\(original["sales"]?.count ?? -1)")
    }

    @Test func aDatabaseThatHoldsTablesIsRefused() throws {
        let workspace = try Self.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let uri = try PostgresTestServer.database()
        let pg = try PostgresConnection(uri)
        try pg.execute("CREATE TABLE notes(id bigint); INSERT INTO notes VALUES (7)")
        let (status, output) = try PostgresTestServer.runStatus([
            Self.binary, "store", "copy", "--workspace", workspace.path, "--to", uri,
        ])
        #expect(status == 1)
        #expect(output.contains("the database is not empty (it holds notes)"), "\(output)")
        #expect(try pg.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").value(0, 0) == .integer(1))

        let (again, text) = try PostgresTestServer.runStatus([
            Self.binary, "store", "copy", "--workspace", workspace.path, "--to", workspace.path,
        ])
        #expect(again == 1)
        #expect(text.contains("already holds a workspace"), "\(text)")
    }

    @Test func aFailureMidCopyLeavesTheTargetEmpty() throws {
        let workspace = try Self.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        // The last audit entry holds a NUL byte, which SQLite keeps and PostgreSQL's text refuses:
        // the copy fails in its last table, after every other table was written.
        _ = try PostgresTestServer.run([
            "sqlite3", Workspace.databaseURL(in: workspace).path,
            "UPDATE audit_log SET operator = 'a' || char(0) || 'b' WHERE id = (SELECT max(id) FROM audit_log)",
        ])
        let uri = try PostgresTestServer.database()
        let (status, output) = try PostgresTestServer.runStatus([
            Self.binary, "store", "copy", "--workspace", workspace.path, "--to", uri,
        ])
        #expect(status == 1)
        #expect(output.contains("copying audit_log:"), "\(output)")
        #expect(output.contains("nothing was copied"))
        let pg = try PostgresConnection(uri)
        #expect(
            try pg.query(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            ).value(0, 0) == .integer(0))

        // Into SQLite: a folder the command made is removed again when the copy fails, here
        // because the source (the empty database) holds no Fupin store.
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-none-\(UUID().uuidString)")
        let (failed, reason) = try PostgresTestServer.runStatus([
            Self.binary, "store", "copy", "--from", uri, "--to", missing.path,
        ])
        #expect(failed == 1)
        #expect(reason.contains("holds no Fupin store"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test func aDanglingReferenceIsRefusedAndNothingIsWritten() throws {
        let workspace = try Self.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        // SQLite's shell does not check references: a visit now names a household that is not there.
        _ = try PostgresTestServer.run([
            "sqlite3", Workspace.databaseURL(in: workspace).path,
            "UPDATE visits SET household_id = 999999 WHERE id = (SELECT max(id) FROM visits)",
        ])
        let uri = try PostgresTestServer.database()
        let (status, output) = try PostgresTestServer.runStatus([
            Self.binary, "store", "copy", "--workspace", workspace.path, "--to", uri,
        ])
        #expect(status == 1)
        #expect(output.contains("violates foreign key constraint"), "\(output)")
        #expect(output.contains("visits"))
        let pg = try PostgresConnection(uri)
        #expect(
            try pg.query(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            ).value(0, 0) == .integer(0))
    }
}
