import Foundation
import Testing

@testable import FupinCore

/// The national import's first load into an empty PostgreSQL store (`PostgresBulkLoad`): the
/// foreign keys and plain indexes of households and members are dropped and made again in the
/// import's transaction. It must leave what the ordinary path and SQLite leave, take the
/// ordinary path wherever it is not safe, and leave the keys in place when the import fails.
@Suite struct PostgresNationalBulkLoadTests {
    typealias Import = PostgresNationalImportTests

    /// A fresh PostgreSQL store (schema made by its owner, the server's superuser): its URI.
    static func store() throws -> String {
        let uri = try PostgresTestServer.database()
        _ = try Workspace.open(.postgresql(uri: uri), folder: nil)
        return uri
    }

    /// Every index and constraint of households and members, and every foreign key of another
    /// table that references them, as the catalog spells them.
    static func keys(_ uri: String) throws -> [String] {
        try keys(PostgresConnection(uri))
    }

    /// The same, read through `connection` (inside its transaction).
    static func keys(_ connection: PostgresConnection) throws -> [String] {
        try connection.query(
            """
            SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index
            WHERE indrelid IN ('households'::regclass, 'members'::regclass)
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid IN ('households'::regclass, 'members'::regclass)
               OR confrelid IN ('households'::regclass, 'members'::regclass)
            ORDER BY 1
            """
        ).rows.compactMap { $0[0].text }
    }

    /// The indexes of households and members by name, with their object ids (an index dropped
    /// and made again has a new one).
    static func indexIDs(_ uri: String) throws -> [String: String] {
        let rows = try PostgresConnection(uri).query(
            """
            SELECT indexrelid::regclass::text, indexrelid::oid::text FROM pg_index
            WHERE indrelid IN ('households'::regclass, 'members'::regclass)
            """
        ).rows
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0].text ?? "", $0[1].text ?? "") })
    }

    /// The index names whose object id differs between two snapshots.
    static func rebuilt(_ before: [String: String], _ after: [String: String]) -> [String] {
        before.keys.filter { before[$0] != after[$0] }.sorted()
    }

    /// That `pg` holds the same places, people and audit entries as `lite`.
    static func expectSameRecords(_ pg: Workspace, _ lite: Workspace, _ label: String) throws {
        for table in ["towns", "villages", "households", "members"] {
            #expect(
                try Import.rows(pg, table, Import.fields(table)) == Import.rows(lite, table, Import.fields(table)),
                "\(label): \(table)")
        }
        #expect(
            try Import.rows(pg, "audit_log", Import.auditColumns)
                == Import.rows(lite, "audit_log", Import.auditColumns),
            "\(label): audit_log")
    }

    /// A role that may read and write every table of the store at `uri` but owns none; a
    /// workspace over the store as that role.
    static func nonOwner(_ uri: String) throws -> Workspace {
        let admin = try PostgresConnection(uri)
        let name = PostgresTestServer.uniqueName("writer")
        try admin.execute(
            """
            CREATE ROLE \(name) LOGIN;
            GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO \(name);
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO \(name)
            """)
        return try Workspace.open(.postgresql(uri: try PostgresTestServer.replacing(uri, user: name)), folder: nil)
    }

    @Test func aFirstLoadRebuildsTheKeysAndEndsAsTheOrdinaryPathAndSQLite() throws {
        let text = PostgresNationalImportTests.file(households: 700)
        let lite = try Workspace.inMemory()
        try NationalImportTests.load(lite, text)
        // The owner's first load: the bulk path.
        let uri = try Self.store()
        let keys = try Self.keys(uri)
        let ids = try Self.indexIDs(uri)
        let pg = try Workspace.open(.postgresql(uri: uri), folder: nil)
        let report = try NationalImportTests.load(pg, text)
        #expect(report.inserted["members"] == 2100)
        #expect(try Self.keys(uri) == keys)
        #expect(keys.contains { $0.contains("members.members_household_id_fkey FOREIGN KEY (household_id)") })
        // Other tables' keys leaning on theirs are back too.
        #expect(keys.contains { $0.contains("distributions.distributions_household_id_fkey FOREIGN KEY") })
        #expect(keys.contains { $0.contains("ranger_posts.ranger_posts_member_id_fkey FOREIGN KEY") })
        // Every index was made again (the path was taken), the primary keys too.
        #expect(
            Self.rebuilt(ids, try Self.indexIDs(uri)) == [
                "households_number_key", "households_pkey", "households_village_id", "households_village_place",
                "members_household_id", "members_number_key", "members_pkey",
            ])
        try Self.expectSameRecords(pg, lite, "bulk path")
        // The people's ids taken in one step: 1 to 2,100, the sequence at the last.
        let people = try PostgresConnection(uri).query(
            "SELECT min(id), max(id), count(*), (SELECT last_value FROM members_id_seq) FROM members")
        #expect((0..<4).map { people.value(0, $0).integer } == [1, 2100, 2100, 2100])
        // The same file by a role that owns nothing: the ordinary path, the same records.
        let other = try Self.store()
        let otherIDs = try Self.indexIDs(other)
        let writer = try Self.nonOwner(other)
        #expect(try NationalImportTests.load(writer, text).inserted == report.inserted)
        #expect(Self.rebuilt(otherIDs, try Self.indexIDs(other)).isEmpty)
        #expect(try Self.keys(other) == keys)
        try Self.expectSameRecords(writer, lite, "ordinary path")
    }

    @Test func aTablesKeysComeBackAsSoonAsItsRowsAreIn() throws {
        let uri = try Self.store()
        let keys = try Self.keys(uri)
        let pg = try Workspace.open(.postgresql(uri: uri), folder: nil)
        try pg.store.transaction(rollback: true) { store in
            let store = try #require(store as? PostgresStoreConnection)
            let load = try #require(try PostgresBulkLoad.begin(store, tables: ["households", "members"]))
            let dropped = try Self.keys(store.connection)
            #expect(dropped.count < keys.count)
            #expect(load.uniqueColumns == ["households": ["number"], "members": ["number"]])
            // The id sequences are held too: another session's nextval waits for the load (here
            // gives up after a tenth of a second), and the bulk writer takes its ids in one step.
            let other = try PostgresConnection(uri)
            try other.execute("SET lock_timeout = '100ms'")
            #expect(throws: PostgresError.self) { try other.query("SELECT nextval('members_id_seq')") }
            let copy = try #require(try PostgresBulkCopy.make(store, table: "members", fields: ["name"]))
            #expect(copy.takesOneBlock)
            // The households' unique key, indexes and foreign key come back on their own; the
            // members' stay dropped until their rows are in.
            try load.finish("households")
            let households = try Self.keys(store.connection)
            #expect(
                households.filter { $0.contains("households") && !$0.contains("members") }
                    == keys.filter { $0.contains("households") && !$0.contains("members") })
            #expect(!households.contains { $0.contains("members_number_key") })
            #expect(!households.contains { $0.contains("members_household_id_fkey") })
            #expect(!households.contains { $0.contains("members_pkey") })
            #expect(!households.contains { $0.contains("ranger_posts_member_id_fkey") })
            // Asked again, nothing is left to do for them; the rest comes back at the end.
            try load.finish("households")
            try load.finish()
            #expect(try Self.keys(store.connection) == keys)
        }
        #expect(try Self.keys(uri) == keys)
        // Rolled back: the sequences as they were, free to anyone.
        let sequence = try PostgresConnection(uri).query("SELECT nextval('members_id_seq')")
        #expect(sequence.value(0, 0) == .integer(1))
    }

    @Test func aBadRowInTheMiddleWritesNothingAndLeavesTheKeys() throws {
        let uri = try Self.store()
        let keys = try Self.keys(uri)
        let ids = try Self.indexIDs(uri)
        let pg = try Workspace.open(.postgresql(uri: uri), folder: nil)
        var lines = PostgresNationalImportTests.file(households: 400).split(separator: "\n").map(String.init)
        lines[600] = lines[600].replacingOccurrences(of: ",汉族,", with: ",火星族,")
        do {
            try NationalImportTests.load(pg, lines.joined(separator: "\n"))
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.row) == [601], "\(failure)")
        }
        for table in ["towns", "villages", "households", "members", "audit_log"] {
            #expect(try Import.rows(pg, table, ["id"]).isEmpty, "\(table)")
        }
        // Rolled back with the rows: the same indexes (the very same objects) and keys.
        #expect(try Self.keys(uri) == keys)
        #expect(Self.rebuilt(ids, try Self.indexIDs(uri)).isEmpty)
        // A person repeated in the middle: the unique key is dropped on this path, and the
        // writer refuses the repeat itself, naming its row as the key would.
        lines = PostgresNationalImportTests.file(households: 400).split(separator: "\n").map(String.init)
        lines[701] = lines[701].replacingOccurrences(of: "150602000023402,", with: "150602000023401,")
        do {
            try NationalImportTests.load(pg, lines.joined(separator: "\n"))
            Issue.record("expected the import to fail")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.row) == [702], "\(failure)")
            #expect(failure.description.contains("is given twice in the file"), "\(failure)")
        }
        #expect(try Import.rows(pg, "members", ["id"]).isEmpty)
        #expect(try Self.keys(uri) == keys)
        #expect(Self.rebuilt(ids, try Self.indexIDs(uri)).isEmpty)
    }

    /// A ledger of another role's that references the people: the loading role may not drop its
    /// foreign key, so the people's primary key stays through the load; the households' goes
    /// and comes back, and everything ends as it was.
    @Test func aKeyAnotherRolesTableLeansOnStays() throws {
        let uri = try PostgresTestServer.database()
        let admin = try PostgresConnection(uri)
        let loader = PostgresTestServer.uniqueName("loader")
        let stranger = PostgresTestServer.uniqueName("stranger")
        let database = try #require(URLComponents(string: uri)?.path.dropFirst())
        try admin.execute(
            "CREATE ROLE \(loader) LOGIN; CREATE ROLE \(stranger); ALTER DATABASE \(database) OWNER TO \(loader)")
        let loaderURI = try PostgresTestServer.replacing(uri, user: loader)
        let pg = try Workspace.open(.postgresql(uri: loaderURI), folder: nil)
        try admin.execute(
            """
            CREATE TABLE handover_notes (id bigint PRIMARY KEY, member_id bigint REFERENCES members(id));
            ALTER TABLE handover_notes OWNER TO \(stranger)
            """)
        let keys = try Self.keys(uri)
        #expect(keys.contains { $0.contains("handover_notes.handover_notes_member_id_fkey") })
        let ids = try Self.indexIDs(uri)
        #expect(
            try NationalImportTests.load(pg, PostgresNationalImportTests.file(households: 60)).inserted["members"]
                == 180)
        let rebuilt = Self.rebuilt(ids, try Self.indexIDs(uri))
        #expect(rebuilt.contains("households_pkey") && rebuilt.contains("members_number_key"))
        #expect(!rebuilt.contains("members_pkey"))
        #expect(try Self.keys(uri) == keys)
    }

    @Test func anOwnerUnderRowLevelSecurityTakesTheOrdinaryPath() throws {
        // Once the access policies are in, forced row-level security binds the store's owner
        // too (a role that is not a superuser): its first load takes the ordinary path, row by
        // row under the policies, and the keys are never dropped.
        let uri = try PostgresTestServer.database()
        let admin = try PostgresConnection(uri)
        let owner = PostgresTestServer.uniqueName("owner")
        let database = try #require(URLComponents(string: uri)?.path.dropFirst())
        try admin.execute("CREATE ROLE \(owner) LOGIN; ALTER DATABASE \(database) OWNER TO \(owner)")
        let ownerURI = try PostgresTestServer.replacing(uri, user: owner)
        let pg = try Workspace.open(.postgresql(uri: ownerURI), folder: nil)
        try AccessControl(connection: try PostgresConnection(ownerURI), schema: .core).install()
        let keys = try Self.keys(uri)
        let ids = try Self.indexIDs(uri)
        let text = PostgresNationalImportTests.file(households: 50)
        let lite = try Workspace.inMemory()
        try NationalImportTests.load(lite, text)
        #expect(try NationalImportTests.load(pg, text).inserted["members"] == 150)
        #expect(Self.rebuilt(ids, try Self.indexIDs(uri)).isEmpty)
        #expect(try Self.keys(uri) == keys)
        try Self.expectSameRecords(pg, lite, "owner under row-level security")
    }

    @Test func anImportIntoAStoreWithRowsTakesTheOrdinaryPath() throws {
        let first = PostgresNationalImportTests.file(households: 300)
        let second = PostgresNationalImportTests.file(households: 300, first: 5001)
        let lite = try Workspace.inMemory()
        try NationalImportTests.load(lite, first)
        try NationalImportTests.load(lite, second)
        let uri = try Self.store()
        let pg = try Workspace.open(.postgresql(uri: uri), folder: nil)
        try NationalImportTests.load(pg, first)
        let keys = try Self.keys(uri)
        let ids = try Self.indexIDs(uri)
        let report = try NationalImportTests.load(pg, second)
        #expect(report.inserted["members"] == 900 && report.inserted["households"] == 300)
        #expect(Self.rebuilt(ids, try Self.indexIDs(uri)).isEmpty)
        #expect(try Self.keys(uri) == keys)
        try Self.expectSameRecords(pg, lite, "second file")
    }
}
