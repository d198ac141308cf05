import Foundation
import TestScratch
import Testing

@testable import FupinCore

/// A workspace over PostgreSQL used through the built binary as a person would: `fupin init
/// --store`, the README's first session, a plugin's report, the time limit reaching the server.
/// Each session also runs on a SQLite workspace and the outputs are compared.
@Suite struct PostgresWorkspaceCommandTests {
    static let binary = PostgresAccessCommandTests.binary

    /// A new scratch folder.
    static func scratch() throws -> URL {
        try scratchFolder("pgws")
    }

    /// Runs `script` with sh in `folder` (fupin is `$F`); its status and output.
    static func shell(_ script: String, in folder: URL) throws -> (Int32, String) {
        try PostgresTestServer.runStatus(["/bin/sh", "-c", "cd '\(folder.path)' && F='\(binary)' && \(script)"])
    }

    /// The README's first session (after `init`), then the report plugin's annual summary
    /// (less its line naming the data version: the audit sequence and time).
    static let session = """
        $F eval 'fp.households:where{ standard = "国家" }:count()'
        $F run Scripts/example.lua 2019
        printf 'date,household_id,cadre_id,mode,content\\n2019-12-02,郝九为,1,入户,回访\\n2019-12-31,杨来才,1,视频,回访\\n' > visits.csv
        $F import visits visits.csv; echo "[$?]"
        sed -i 's/视频/电话/' visits.csv
        $F --operator 王明刚 import visits visits.csv
        $F eval 'fp.visits:where{ year = 2019 }:group_by("date", "quarter"):count()["2019-Q4"]'
        $F report annual --year 2019 --unit 区林业局 | grep -v 数据版本 | md5sum
        $F audit --collection visits --limit 1
        """

    /// The session's output on a new sample workspace: `init` arguments after the folder.
    static func runSession(_ initArguments: String) throws -> (made: String, output: String) {
        let folder = try scratch()
        let (status, made) = try shell("$F init ws --sample \(initArguments)", in: folder)
        #expect(status == 0, "\(made)")
        let (_, output) = try shell(
            session.replacingOccurrences(of: "\n", with: " ; "), in: folder.appendingPathComponent("ws"))
        return (made, output)
    }

    @Test func theFirstSessionPrintsWhatItPrintsOnSQLite() throws {
        let uri = try PostgresTestServer.database()
        let postgres = try Self.runSession("--store '\(uri)'")
        let sqlite = try Self.runSession("")
        #expect(
            postgres.made.contains("over \(uri) with the sample data: 200 records from 25 files"), "\(postgres.made)")
        // The report's md5 too (136 lines); only the audit table differs (below).
        let pgLines = postgres.output.split(separator: "\n", omittingEmptySubsequences: false)
        let liteLines = sqlite.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(pgLines.count == liteLines.count, "\(postgres.output)\n---\n\(sqlite.output)")
        let auditStart = liteLines.firstIndex { $0.hasPrefix("TIME") } ?? liteLines.count
        #expect(
            Array(pgLines.prefix(auditStart)) == Array(liteLines.prefix(auditStart)),
            "\(postgres.output)\n---\n\(sqlite.output)")
        #expect(sqlite.output.contains("visits: 2 inserted") && sqlite.output.contains("\n3\n"), "\(sqlite.output)")
        // The audit shows the role beside the operator. The ids can differ: PostgreSQL's
        // sequence is not rolled back with the refused first import (docs/postgresql.md).
        #expect(
            pgLines[auditStart].split(separator: " ", omittingEmptySubsequences: true)
                == ["TIME", "OPERATOR", "ROLE", "SOURCE", "ACTION", "RECORD", "CHANGE"])
        let entry = pgLines[auditStart + 1].split(separator: " ", omittingEmptySubsequences: true).dropFirst(2)
        #expect(
            Array(entry.prefix(4)) == ["王明刚", "postgres", "import:visits.csv", "insert"], "\(pgLines[auditStart + 1])")
        #expect(entry.suffix(2) == ["2", "records"])
        let liteEntry = liteLines[auditStart + 1].split(separator: " ", omittingEmptySubsequences: true).dropFirst(2)
        #expect(Array(liteEntry.prefix(3)) == ["王明刚", "import:visits.csv", "insert"])
        #expect(pgLines.last(where: { !$0.isEmpty }) == liteLines.last(where: { !$0.isEmpty }))
    }

    @Test func aPasswordInTheURIIsRefusedAndNothingIsMade() throws {
        let uri = try PostgresTestServer.database()
        let folder = try Self.scratch()
        let withPassword = uri.replacingOccurrences(of: "postgresql://", with: "postgresql://postgres:secret@")
        let (status, output) = try Self.shell("$F init ws --store '\(withPassword)'", in: folder)
        #expect(status != 0)
        #expect(output.contains("holds a password") && output.contains("~/.pgpass"), "\(output)")
        #expect(!output.contains("secret"))
        let (parameter, text) = try Self.shell("$F init ws --store '\(uri)&password=secret'", in: folder)
        #expect(parameter != 0 && text.contains("holds a password"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("ws").path))
        #expect(
            try PostgresConnection(uri).query("SELECT to_regclass('households') IS NULL").value(0, 0) == .integer(1))
    }

    @Test func aSecondFolderAttachesToAnExistingStoreOnlyWhenAsked() throws {
        let uri = try PostgresTestServer.database()
        let folder = try Self.scratch()
        let (made, first) = try Self.shell("$F init one --sample --store '\(uri)'", in: folder)
        #expect(made == 0, "\(first)")
        #expect(
            try String(contentsOf: folder.appendingPathComponent("one/fupin.store"), encoding: .utf8).contains(
                uri + "\n"))
        let (refused, why) = try Self.shell("$F init two --store '\(uri)'", in: folder)
        #expect(refused != 0 && why.contains("already holds a Fupin store") && why.contains("--attach"), "\(why)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("two/fupin.store").path))
        let (attached, said) = try Self.shell(
            "$F init two --attach --store '\(uri)' && $F eval --workspace two 'fp.households:count()'", in: folder)
        #expect(attached == 0, "\(said)")
        #expect(said.hasSuffix("\n6\n"), "\(said)")
        // Found through $FUPIN_WORKSPACE as well.
        let (_, counted) = try Self.shell("FUPIN_WORKSPACE=two $F eval 'fp.towns:count()'", in: folder)
        #expect(counted == "1\n", "\(counted)")
    }

    @Test func thePluginSpecsPassOnAPostgreSQLStore() throws {
        let uri = try PostgresTestServer.database()
        let (status, output) = try Self.shell("$F test --store '\(uri)'", in: try Self.scratch())
        #expect(status == 0, "\(output)")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" passed, 0 failed") && !last.hasPrefix("0 "), "\(output)")
        // The specs ran there: the store holds the sample they were given.
        #expect(try PostgresConnection(uri).query("SELECT count(*) FROM households").value(0, 0) == .integer(6))
        // A second run is refused: the database is no longer empty.
        let (again, refusal) = try Self.shell("$F test --store '\(uri)'", in: try Self.scratch())
        #expect(
            again != 0 && refusal.contains("already holds a Fupin store; fupin test needs an empty one"), "\(refusal)")
    }

    /// A workspace folder of its own attached to `store`, connecting as `role`.
    static func workspace(of store: PostgresAccessTests.Store, as role: String) throws -> URL {
        let uri = try PostgresTestServer.replacing(store.uri, user: role)
        let folder = try Self.scratch()
        let (made, text) = try Self.shell("$F init ws --attach --store '\(uri)'", in: folder)
        #expect(made == 0, "\(text)")
        return folder.appendingPathComponent("ws")
    }

    @Test func anAnalystWithoutPIIWorksInAWorkspaceOfTheirOwn() throws {
        let store = try PostgresAccessTests.Store()
        let analyst = try store.role("ws")
        try store.access.grant(role: analyst.name, town: "城郊镇", write: true)
        let ws = try Self.workspace(of: store, as: analyst.name)
        // Records are read with the personal column missing, not refused whole.
        let (read, heads) = try Self.shell(
            #"$F eval 'local t = {} for h in fp.households:iter() do t[#t + 1] = h.head_name .. "/" .. tostring(h.head_id_number) end return table.concat(t, " ")'"#,
            in: ws)
        #expect(read == 0 && heads == "郝一/nil 郝二/nil\n", "\(heads)")
        let (wrote, said) = try Self.shell(
            "$F --operator 郝 eval 'fp.households:update(1, { size = 4 })' > /dev/null && $F audit", in: ws)
        #expect(wrote == 0, "\(said)")
        let lines = said.split(separator: "\n")
        #expect(
            lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
                "TIME", "OPERATOR", "SOURCE", "ACTION", "RECORD", "CHANGE",
            ], "\(said)")
        #expect(lines.count == 2 && lines[1].contains("郝  ") && lines[1].contains("update  households #1"), "\(said)")
    }

    @Test func fpSQLRefusedForWantOfPIISaysWhichColumnAndWhichGrant() throws {
        let store = try PostgresAccessTests.Store()
        let analyst = try store.role("sql")
        try store.access.grant(role: analyst.name, town: "城郊镇")
        let ws = try Self.workspace(of: store, as: analyst.name)
        let (status, said) = try Self.shell(
            #"$F eval 'return #fp.sql("select number, head_id_number from households")'"#, in: ws)
        #expect(status != 0, "\(said)")
        #expect(
            said.contains(
                "fp.sql: the server refused: permission denied for table households — households.head_id_number is personal; your role has no --pii grant (fupin access grant ROLE --town TOWN --pii)"
            ), "\(said)")
        // `*` takes the personal columns too: the user is told so.
        let (_, starred) = try Self.shell(#"$F eval 'return #fp.sql("SELECT * FROM households")'"#, in: ws)
        #expect(starred.contains("* takes the personal columns of households (head_id_number"), "\(starred)")
        // A refusal that is not about a personal column: the server's words, told as such.
        let (_, other) = try Self.shell(#"$F eval 'return #fp.sql("SELECT * FROM pg_authid")'"#, in: ws)
        #expect(other.contains("fp.sql: the server refused: permission denied for table pg_authid"), "\(other)")
        // The other columns are read as before.
        let (read, rows) = try Self.shell(
            #"$F eval 'return #fp.sql("select number from households")'"#, in: ws)
        #expect(read == 0 && rows == "2\n", "\(rows)")
    }

    @Test func aPluginsTimeLimitCancelsTheServersStatement() throws {
        let uri = try PostgresTestServer.database()
        let folder = try Self.scratch()
        let (made, text) = try Self.shell("$F init ws --sample --store '\(uri)'", in: folder)
        #expect(made == 0, "\(text)")
        let plugin = folder.appendingPathComponent("ws/plugins/probe")
        try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
        try """
        return { name = 'probe', version = '1.0.0', api = 1, permissions = { 'read', 'write', 'pii' }, limits = { seconds = 1 },
          commands = { sleep = { run = function(args, ctx)
            fp.towns:add{ name = '探针镇' } return fp.sql([[SELECT pg_sleep(60) AS n]])[1].n end } } }
        """.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
        let start = ContinuousClock.now
        let (status, output) = try Self.shell("$F probe sleep", in: folder.appendingPathComponent("ws"))
        let took = ContinuousClock.now - start
        #expect(status == 1)
        #expect(output.contains("ran longer than its limit of 1 s; its changes were rolled back"), "\(output)")
        #expect(took < .seconds(5), "took \(took)")
        let pg = try PostgresConnection(uri)
        #expect(try pg.query("SELECT count(*) FROM towns WHERE name = '探针镇'").value(0, 0) == .integer(0))
        // The server is not still sleeping for it.
        #expect(
            try pg.query(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()"
            ).value(0, 0) == .integer(0))
    }

    @Test func aPluginWithoutPIIIteratesMaskedValuesAsOnSQLite() throws {
        // iter's column visitor on PostgreSQL hands personal cells over for masking as SQLite's does.
        let uri = try PostgresTestServer.database()
        var outputs: [String] = []
        var full = ""
        for store in ["--store '\(uri)'", ""] {
            let folder = try Self.scratch()
            let (made, text) = try Self.shell("$F init ws --sample \(store)", in: folder)
            #expect(made == 0, "\(text)")
            let plugin = folder.appendingPathComponent("ws/plugins/probe")
            try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
            try """
            return { name = 'probe', version = '1.0.0', api = 1, permissions = { 'read' },
              commands = { dump = { run = function(args, ctx)
                local out = {}
                for h in fp.households:iter() do out[#out + 1] = tostring(h.head_id_number) .. '/' .. tostring(h.phone) end
                ctx.print(table.concat(out, ' ')) end } } }
            """.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
            let ws = folder.appendingPathComponent("ws")
            let (ran, output) = try Self.shell("$F probe dump", in: ws)
            #expect(ran == 0, "\(output)")
            outputs.append(output)
            (_, full) = try Self.shell(
                "$F eval 'for h in fp.households:iter() do if h.head_id_number then return h.head_id_number end end'",
                in: ws)
        }
        #expect(outputs[0] == outputs[1])
        let id = full.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 18, "\(full)")
        #expect(!outputs[0].contains(id) && outputs[0].contains(String(id.prefix(4))), "\(outputs[0])")
    }
}
