import Foundation
import Testing

@testable import FupinCore

/// `fupin backup --store` / `restore --store` through the built binary: pg_dump's custom format
/// out of one database and pg_restore into another, the store equal; refusals said clearly.
@Suite struct PostgresBackupCommandTests {
    static let binary = PostgresAccessCommandTests.binary

    /// Every table's rows on the server, by table, in id order (the first columns otherwise).
    static func contents(_ uri: String) throws -> [String: [[PostgresValue]]] {
        let pg = try PostgresConnection(uri)
        let tables = try pg.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").rows.compactMap {
            $0[0].text
        }
        var all: [String: [[PostgresValue]]] = [:]
        for table in tables {
            all[table] = try pg.query("SELECT * FROM \"\(table)\" ORDER BY 1, 2").rows
        }
        return all
    }

    @Test func aStoreIsDumpedAndRestoredIntoAnEmptyDatabase() throws {
        let workspace = try StoreCopyCommandTests.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let uri = try PostgresTestServer.database()
        _ = try PostgresTestServer.run([Self.binary, "store", "copy", "--workspace", workspace.path, "--to", uri])
        let dump = workspace.appendingPathComponent("county.dump").path

        let out = try PostgresTestServer.run([Self.binary, "backup", "--store", uri, dump])
        #expect(out.contains("with pg_dump:"), "\(out)")
        #expect(out.contains("pg_restore reads it"))
        let (again, refusal) = try PostgresTestServer.runStatus([Self.binary, "backup", "--store", uri, dump])
        #expect(again == 1)
        #expect(refusal.contains("already exists"))

        let fresh = try PostgresTestServer.database()
        let restored = try PostgresTestServer.run([Self.binary, "restore", "--store", fresh, dump])
        let original = try Self.contents(uri)
        #expect(restored.contains("restored \(dump) into"), "\(restored)")
        #expect(restored.contains("\(original["audit_log"]?.count ?? -1) audit entries"))
        let copy = try Self.contents(fresh)
        #expect(Set(copy.keys) == Set(original.keys))
        for (table, rows) in original { #expect(copy[table] == rows, "\(table)") }

        // The restored database now holds the store: a second restore into it is refused.
        let (full, text) = try PostgresTestServer.runStatus([Self.binary, "restore", "--store", fresh, dump])
        #expect(full == 1)
        #expect(text.contains("the database is not empty"), "\(text)")
    }

    @Test func withoutPgDumpTheMessageSaysWhatToInstall() throws {
        let uri = try PostgresTestServer.database()
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-nopath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let target = empty.appendingPathComponent("x.dump").path
        let (status, output) = try PostgresTestServer.runStatus([
            "/usr/bin/env", "PATH=\(empty.path)", Self.binary, "backup", "--store", uri, target,
        ])
        #expect(status == 1)
        #expect(output.contains("pg_dump is not installed"), "\(output)")
        #expect(output.contains("apt-get install postgresql-client"))
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
