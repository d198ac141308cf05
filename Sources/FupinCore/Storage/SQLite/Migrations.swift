import GRDB

/// The workspace's migrations, only ever appended: an old database is upgraded by running the
/// ones it lacks, in order. Never edit or reorder a migration that has shipped.
///
/// Example: `try Migrations.migrator.migrate(dbQueue)` brings any older database up to date.
public enum Migrations {
    /// Identifiers of every migration, in order.
    public static let identifiers = ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]

    /// The key and default of the monitoring band factor (×  poverty line) in `settings`.
    public static let monitoringBandFactorKey = "monitoring_band_factor"
    public static let monitoringBandFactorDefault = "1.5"

    /// A migrator with every migration registered.
    public static var migrator: DatabaseMigrator {
        migrator(upTo: identifiers.count)
    }

    /// A migrator with only the first `count` migrations (tests build old databases with it).
    public static func migrator(upTo count: Int) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        let steps: [(String, @Sendable (Database) throws -> Void)] = [
            ("v1", v1),
            ("v2", v2),
            ("v3", v3),
            ("v4", v4),
            ("v5", v5),
            ("v6", v6),
            ("v7", v7),
        ]
        for (identifier, body) in steps.prefix(count) {
            migrator.registerMigration(identifier, migrate: body)
        }
        return migrator
    }

    /// v1: every core table (frozen SQL) and the audit log.
    static func v1(_ db: Database) throws {
        try db.execute(sql: MigrationV1.sql)
    }

    /// v2: a settings table (key/value text) holding the monitoring band factor, and an index
    /// for reading the audit log by record.
    static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE "settings" (
                  "key" TEXT PRIMARY KEY NOT NULL,
                  "value" TEXT NOT NULL
                );
                CREATE INDEX "audit_log_record" ON "audit_log"("collection", "record_id");
                """)
        try db.execute(
            sql: #"INSERT INTO "settings"("key", "value") VALUES (?, ?)"#,
            arguments: [monitoringBandFactorKey, monitoringBandFactorDefault])
    }

    /// v3: bulk imports audit their inserts in entries covering a run of consecutive ids
    /// (`record_id` … `last_record_id`, `after` a JSON array of the records).
    static func v3(_ db: Database) throws {
        try db.execute(sql: #"ALTER TABLE "audit_log" ADD COLUMN "last_record_id" INTEGER"#)
    }

    /// v4: the declared fields of every plugin ledger (which plugin owns it, each field's
    /// type), so a later declaration that drops or retypes a field is refused, not obeyed.
    static func v4(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE "ledger_fields" (
                  "ledger" TEXT NOT NULL,
                  "field" TEXT NOT NULL,
                  "type" TEXT NOT NULL,
                  "plugin" TEXT NOT NULL,
                  PRIMARY KEY ("ledger", "field")
                )
                """)
    }

    /// v5: the documents register (文件台账) the annual summary cites (Schema.documents).
    static func v5(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE "documents" (
                  "id" INTEGER PRIMARY KEY,
                  "title" TEXT NOT NULL,
                  "issuer" TEXT,
                  "number" TEXT,
                  "date" TEXT,
                  "kind" TEXT NOT NULL,
                  "topic" TEXT,
                  "unit_id" INTEGER REFERENCES "units"("id"),
                  "village_id" INTEGER REFERENCES "villages"("id"),
                  "content" TEXT,
                  "valid" INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX "documents_unit_id" ON "documents"("unit_id");
                CREATE INDEX "documents_village_id" ON "documents"("village_id");
                """)
    }

    /// v6: households' status changes dated by when they took effect (Schema.statusChanges),
    /// so a year-end status no longer depends on when the change was typed.
    static func v6(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE "status_changes" (
                  "id" INTEGER PRIMARY KEY,
                  "household_id" INTEGER NOT NULL REFERENCES "households"("id"),
                  "date" TEXT NOT NULL,
                  "from_status" TEXT,
                  "status" TEXT NOT NULL,
                  "basis" TEXT,
                  "valid" INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX "status_changes_household_id" ON "status_changes"("household_id");
                """)
    }

    /// v7: an index on (household, date or year) of every core ledger that refers to a
    /// household and is filtered by year (`CollectionSchema.householdDateIndex`): a year of a
    /// ledger for some villages' households then reads that year's rows only, not every year's.
    static func v7(_ db: Database) throws {
        for statement in v7Statements(SQLiteDialect()) { try db.execute(sql: statement) }
    }

    /// The indexes v7 adds (frozen: named and spelled here, not derived from the schema).
    static let v7Indexes: [(table: String, columns: [String])] = [
        ("measures", ["household_id", "year"]),
        ("distributions", ["household_id", "date"]),
        ("incomes", ["household_id", "year"]),
        ("visits", ["household_id", "date"]),
        ("monitoring", ["household_id", "year"]),
        ("pairings", ["household_id", "start_date"]),
        ("status_changes", ["household_id", "date"]),
    ]

    /// v7's statements in `dialect` (PostgreSQL stores made at v6 take the same).
    static func v7Statements(_ dialect: any SQLDialect) -> [String] {
        v7Indexes.map { dialect.createIndex(on: $0.table, $0.columns) }
    }
}
