/// Workspace settings (table `settings`, key/value text), e.g. the monitoring band factor.
/// Changes are audited under collection "settings" with the setting's rowid (0 on PostgreSQL,
/// whose table has none; the entry's before/after name the key).
///
/// Example: `try ws.setMonitoringBandFactor("2", context: ctx)`, then `monitoringBandFactorHundredths(in: unit.store) == 200`.
extension Workspace {
    /// The text of setting `key`, or nil.
    public func setting(_ key: String, in store: any StoreConnection) throws -> String? {
        try store.fetchOne(dialect.numbered(#"SELECT "value" FROM "settings" WHERE "key" = ?"#), [.text(key)]) {
            $0.text(0)
        } ?? nil
    }

    /// Sets `key` to `value` inside the caller's transaction (audited under the setting's
    /// SQLite rowid, 0 on PostgreSQL).
    public func setSetting(_ key: String, to value: String, context: WriteContext, in store: any StoreConnection) throws
    {
        let old = try setting(key, in: store)
        try store.execute(
            dialect.numbered(
                #"INSERT INTO "settings"("key", "value") VALUES (?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value""#
            ),
            [.text(key), .text(value)])
        // PostgreSQL has no rowid: there the entry's record is 0 and its before/after name the key.
        let rowID =
            dialect is SQLiteDialect
            ? try store.fetchInt(#"SELECT rowid FROM "settings" WHERE "key" = ?"#, [.text(key)]) ?? 0 : 0
        func json(_ text: String?) -> String? {
            guard let text else { return nil }
            var out = "{\"key\":"
            AuditJSON.appendString(key, to: &out)
            out += ",\"value\":"
            AuditJSON.appendString(text, to: &out)
            return out + "}"
        }
        try AuditLog.record(
            store, time: context.timestamp(), context: context, collection: "settings", recordID: rowID,
            action: old == nil ? .insert : .update, before: json(old), after: json(value))
    }

    /// The monitoring band factor (households below factor × line are watched), as exact
    /// hundredths: 1.5 → 150. Default 1.5.
    public func monitoringBandFactorHundredths(in store: any StoreConnection) throws -> Int64 {
        let text = try setting(Migrations.monitoringBandFactorKey, in: store) ?? Migrations.monitoringBandFactorDefault
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
        try store.transaction(rollback: false) { c in
            try setSetting(
                Migrations.monitoringBandFactorKey, to: FixedPoint2.format(value, grouped: false), context: context,
                in: c)
        }
    }
}
