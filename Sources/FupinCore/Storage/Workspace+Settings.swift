import GRDB

/// Workspace settings (table `settings`, key/value text), e.g. the monitoring band factor.
/// Changes are audited under collection "settings" with the setting's rowid.
///
/// Example: `try ws.setMonitoringBandFactor("2", context: ctx)`, then `monitoringBandFactorHundredths(in: db) == 200`.
extension Workspace {
    /// The text of setting `key`, or nil.
    public func setting(_ key: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: #"SELECT "value" FROM "settings" WHERE "key" = ?"#, arguments: [key])
    }

    /// Sets `key` to `value` inside the caller's transaction (audited).
    public func setSetting(_ key: String, to value: String, context: WriteContext, in db: Database) throws {
        let before = try Row.fetchOne(db, sql: #"SELECT rowid, "value" FROM "settings" WHERE "key" = ?"#, arguments: [key])
        try db.execute(sql: #"INSERT INTO "settings"("key", "value") VALUES (?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value""#,
                       arguments: [key, value])
        let rowID: Int64 = try Int64.fetchOne(db, sql: #"SELECT rowid FROM "settings" WHERE "key" = ?"#, arguments: [key]) ?? 0
        func json(_ text: String?) -> String? {
            guard let text else { return nil }
            var out = "{\"key\":"
            AuditJSON.appendString(key, to: &out)
            out += ",\"value\":"
            AuditJSON.appendString(text, to: &out)
            return out + "}"
        }
        let old: String? = before?["value"]
        try AuditLog.record(connection(db), time: context.timestamp(), context: context, collection: "settings", recordID: rowID,
                            action: before == nil ? .insert : .update, before: json(old), after: json(value))
    }

    /// The monitoring band factor (households below factor × line are watched), as exact
    /// hundredths: 1.5 → 150. Default 1.5.
    public func monitoringBandFactorHundredths(in db: Database) throws -> Int64 {
        let text = try setting(Migrations.monitoringBandFactorKey, in: db) ?? Migrations.monitoringBandFactorDefault
        guard let value = try? FixedPoint2.parse(text), value > 0 else {
            throw WorkspaceError.badSetting(key: Migrations.monitoringBandFactorKey, value: text)
        }
        return value
    }

    /// Sets the monitoring band factor (positive, at most 2 decimals, e.g. "1.5").
    public func setMonitoringBandFactor(_ text: String, context: WriteContext) throws {
        guard let value = try? FixedPoint2.parse(text), value > 0 else {
            throw WorkspaceError.badSetting(key: Migrations.monitoringBandFactorKey, value: text)
        }
        try write { db in
            try setSetting(Migrations.monitoringBandFactorKey, to: FixedPoint2.format(value, grouped: false), context: context, in: db)
        }
    }
}
