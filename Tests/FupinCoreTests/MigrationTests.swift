import Foundation
import GRDB
import TestScratch
import Testing

@testable import FupinCore

@Suite("Storage: workspace files, pragmas, migrations")
struct MigrationTests {
    func temporaryFolder() -> URL {
        scratchRoot.appendingPathComponent("migration-\(UUID().uuidString)")
    }

    /// A new workspace folder whose database an older release left: migrated up to `version`
    /// only, then given a town, a village, a household and `more` SQL; `before` looks at it
    /// while it is still old. The caller removes the folder.
    static func oldWorkspace(
        migratedUpTo version: Int, more: String, before: (Database) throws -> Void = { _ in }
    ) throws -> URL {
        let folder = try scratchFolder("migration")
        let queue = try DatabaseQueue(path: Workspace.databaseURL(in: folder).path)
        try Migrations.migrator(upTo: version).migrate(queue)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO towns(id, name) VALUES (1, '乌兰木伦镇');
                    INSERT INTO villages(id, name, town_id) VALUES (1, '前进村', 1);
                    INSERT INTO households(id, number, head_name, village_id, size) VALUES (1, '150602001001', '郝九为', 1, 3);
                    \(more)
                    """)
            try before(db)
        }
        return folder
    }

    @Test func upgradeFromV1KeepsData() throws {
        // A database as the first release left it: only v1 migrated, with data in it.
        let folder = try Self.oldWorkspace(
            migratedUpTo: 1,
            more: """
                INSERT INTO audit_log(time, operator, source, collection, record_id, action, after)
                  VALUES ('2019-01-01T00:00:00.000Z', 'old', 'test', 'towns', 1, 'insert', '{}');
                """
        ) { (db: Database) throws in #expect(try !db.tableExists("settings")) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let ws = try Workspace.open(at: folder)
        try ws.read { (db: Database) throws in
            #expect(try Migrations.migrator.appliedIdentifiers(db) == Set(Migrations.identifiers))
            #expect(try ws.setting(Migrations.monitoringBandFactorKey, in: ws.connection(db)) == "1.5")
            #expect(try String.fetchOne(db, sql: "SELECT head_name FROM households WHERE id = 1") == "郝九为")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") == 1)
            #expect(try db.indexes(on: "audit_log").contains { $0.name == "audit_log_record" })
        }
        // And the upgraded workspace is fully usable.
        let id = try ws.insert("members", ["household_id": 1, "name": "郝九为", "relation": "户主"], context: testContext)
        #expect(try ws.get("members", id: id)?["relation"] == "户主".sqlValue)
    }

    @Test func createOpenAndPragmas() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ws = try Workspace.create(at: folder, options: .init(busyTimeout: 2.5))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("fupin.sqlite").path))
        try ws.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
        }
        try ws.write { (db: Database) throws in #expect(try Int.fetchOne(db, sql: "PRAGMA busy_timeout") == 2500) }
        #expect(throws: WorkspaceError.alreadyExists(path: folder.path)) { try Workspace.create(at: folder) }
        let missing = temporaryFolder()
        #expect(throws: WorkspaceError.noWorkspace(path: missing.path)) { try Workspace.open(at: missing) }
        let reopened = try Workspace.open(at: folder)
        #expect(try reopened.read { db in try ws.count("households", in: db) } == 0)
    }

    @Test func newerDatabaseIsRefused() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Workspace.create(at: folder)
        let queue = try DatabaseQueue(path: Workspace.databaseURL(in: folder).path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99')") }
        #expect(throws: WorkspaceError.newerDatabase(unknownMigrations: ["v99"])) { try Workspace.open(at: folder) }
    }

    /// The migrated database agrees with `Schema.core`: same columns, storage types,
    /// NOT NULL, references and uniqueness. Fails when someone edits the schema without a migration.
    @Test func schemaMatchesDatabase() throws {
        #expect(Schema.core.problems().isEmpty, "\(Schema.core.problems())")
        let ws = try Workspace.inMemory()
        try ws.read { (db: Database) throws in
            for collection in Schema.core.collections {
                let columns = try db.columns(in: collection.name)
                #expect(columns.map(\.name) == collection.columnNames, "\(collection.name)")
                for field in collection.fields {
                    guard let column = columns.first(where: { $0.name == field.name }) else { continue }
                    #expect(column.type == field.type.storage.rawValue, "\(collection.name).\(field.name)")
                    #expect(column.isNotNull == field.required, "\(collection.name).\(field.name) NOT NULL")
                }
                let foreignKeys = try db.foreignKeys(on: collection.name)
                let expected = Set(collection.referenceFields.map { "\($0.name)->\($0.referencedCollection ?? "")" })
                let actual = Set(
                    foreignKeys.flatMap { key in key.mapping.map { "\($0.origin)->\(key.destinationTable)" } })
                #expect(actual == expected, "\(collection.name) references")
                for field in collection.fields where field.unique {
                    #expect(
                        try db.table(collection.name, hasUniqueKey: [field.name]),
                        "\(collection.name).\(field.name) unique")
                }
            }
        }
    }

    @Test func pluginLedgerBecomesACollection() throws {
        let ws = try fixture()
        let sales = CollectionSchema(
            name: "sales", label: "销售记录",
            fields: [
                FieldSpec("date", .date, "日期", required: true),
                FieldSpec("household_id", .ref("households"), "供货户"),
                FieldSpec("product", .text, "产品", required: true),
                FieldSpec("channel", .enum(Vocabulary("channel", "渠道", ["食堂直采", "工会福利", "集贸市场"])), "渠道"),
                FieldSpec("amount", .money, "金额", min: 0),
            ],
            keepsValidFlag: true, dateField: "date")
        try ws.registerLedger(sales)
        let id = try ws.insert(
            "sales",
            [
                "date": "2019-07-01", "household_id": 1, "product": "鸡蛋", "channel": "食堂直采",
                "amount": "120.50",
            ], context: testContext)
        #expect(try ws.get("sales", id: id)?["amount"] == 12050.sqlValue)
        #expect(
            validationError {
                try ws.insert("sales", ["date": "2019-07-01", "product": "鸡蛋", "channel": "路边"], context: testContext)
            }?.field == "channel")
        #expect(try auditEntries(ws).last?.collection == "sales")
        #expect(throws: WorkspaceError.self) {
            try ws.registerLedger(CollectionSchema(name: "households", label: "x", fields: [], keepsValidFlag: true))
        }
        // Re-registering with a new field adds the column and keeps the data.
        try ws.registerLedger(
            CollectionSchema(
                name: "sales", label: "销售记录",
                fields: sales.fields + [FieldSpec("buyer", .text, "购买方")],
                keepsValidFlag: true))
        try ws.update("sales", id: id, ["buyer": "区林业局食堂"], context: testContext)
        #expect(try ws.get("sales", id: id)?["product"] == "鸡蛋".sqlValue)
    }
}
