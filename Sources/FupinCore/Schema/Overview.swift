// Overview of FupinCore for the Lua layer and the importer (comments only, so SwiftPM needs
// no resource rule for it).
//
// # FupinCore: schema, writes, queries (the contract for the Lua layer and the importer)
//
// The schema is Swift data, not SQL: `Schema.core` (CoreSchema*.swift) lists every core
// collection as a `CollectionSchema` of `FieldSpec`s; closed lists live in `Vocabularies.swift`.
// Tables, validation, audit, CSV headers (`field(matching:)` takes a name or a Chinese label),
// `fp.schema()` and stubs all derive from it. Plugin ledgers join at run time through
// `Workspace.registerLedger(_:)`.
//
// ## Collections (table = collection name; every row has INTEGER `id`; refs are `<name>_id`)
// | collection | label | removal | date / year field |
// |---|---|---|---|
// | units | 帮扶单位 | valid flag | |
// | towns | 乡镇 | valid flag | |
// | villages | 帮扶村 | valid flag | |
// | households | 贫困户 | valid flag | year_identified |
// | members | 家庭成员 | valid flag | |
// | cadres | 帮扶责任人 | valid flag | |
// | pairings | 结对帮扶 | valid flag | start_date |
// | teams | 驻村工作队 | valid flag | start_date |
// | team_members | 工作队成员 | deletes (audited) | |
// | measures | 帮扶措施 | valid flag | year |
// | distributions | 物资发放 | valid flag | date |
// | funds | 帮扶资金 | valid flag | date |
// | incomes | 家庭收入 | valid flag | year |
// | poverty_lines | 贫困线 | deletes (audited) | year |
// | trainings | 培训 | valid flag | date |
// | training_attendees | 参训人员 | deletes (audited) | |
// | visits | 走访记录 | valid flag | date |
// | eco_projects | 生态项目 | valid flag | year |
// | ranger_posts | 护林员岗位 | valid flag | year |
// | monitoring | 防返贫监测 | valid flag | identified_date / year |
// | notes | 总结条目 | deletes (audited) | year |
//
// `valid` (有效标识, bool, required, default true) is appended to `fields` of valid-flag
// collections. System tables (not collections): `audit_log` (read-only; `Schema.auditLog`
// describes it) and `settings` (monitoring_band_factor, default 1.5).
//
// ## Field types and input conversion (`FieldInput` → storage)
// | type | stored | accepted input |
// |---|---|---|
// | text | TEXT | any (numbers rendered as text); trimmed; blank → null |
// | integer | INTEGER | integer, integral double, integer text ("3", "3.0") |
// | number | REAL | integer, double, decimal text |
// | money | INTEGER fen | yuan as text "6.40"/"1,234.5" or number (shortest decimal of a double: 6.4 → 640); > 2 decimals rejected |
// | area | INTEGER 1/100 亩 | 亩, same rules as money |
// | date | TEXT YYYY-MM-DD | "2019-03-05", "2019/3/5", "2019.3.5", "20190305"; must be a real date |
// | bool | INTEGER 0/1 | true/false, 1/0, 是/否, 有/无, yes/no, y/n |
// | enum | TEXT | a vocabulary value, an alias (国贫户 → 国家) or a coded value's label (收入 → in) |
// | ref | INTEGER | the id of an existing, valid record |
// | id_number | TEXT | 18 chars, GB 11643 check digit (x → X), birth date real, ≥ 1900, not future |
// | phone | TEXT | mobile 1[3-9] + 9 digits → "13800138000"; landline → "0477-8888888" |
//
// Quantities (number, money, area) are non-negative unless `allowsNegative`; `min`/`max` are in
// presentation units. A field given null/blank that has a default gets the default.
//
// ## Writes (Storage/Workspace+Writes.swift, BulkWriter.swift, Workspace+Records.swift)
// - `insert(_:_:context:) -> Int64`, `update(_:id:_:context:)`, `remove(_:id:context:)`,
//   `insertAll(_:_:context:) -> [Int64]` open their own transaction; the same with `in db:` run
//   inside the caller's transaction (`workspace.write { db in ... }`; nest with `db.inSavepoint`;
//   `workspace.dryRun { db in ... }` always rolls back). Each single write runs in a savepoint.
// - `get(_:id:[in:]) -> StoredRecord?`, `findID(_:where:is:in:)`, `validate(_:_:in:)`,
//   `count(_:validOnly:in:)`. Typed: `insert(&record, context:)`, `update(record, context:)`,
//   `fetch(Type.self, id:)`, `fetchAll(Type.self)`.
// - `WriteContext(operator:source:time:)` — source e.g. "repl", a script path,
//   "plugin:produce-sales:record", "import:file.csv".
// - Bulk: `workspace.bulkInsert(collection, columns:, context:, in: db) { bulk in try bulk.insert(row) }`
//   (or `bulkWriter(...)` + `finish()`); rows are `[FieldInput]` in `columns` order;
//   `upsert(row, key: "number")` updates by a unique field or inserts.
// - Errors: `ValidationError` (collection, field, value, reason; e.g.
//   `households.head_id_number: 152701198001011235 fails the ID check digit`), `RowError` (row
//   index + ValidationError, from `insertAll`), `WorkspaceError` (unknown collection, not found, ...).
//
// ## Audit (Audit/AuditLog.swift)
// One `audit_log` row per insert, update and removal (time ISO-8601 UTC, operator, source,
// collection, record_id, action, before/after JSON of the stored record), in the same
// transaction. Bulk inserts are recorded in entries of up to 1,000 consecutive ids
// (`record_id` … `last_record_id`, `after` columnar JSON `{"columns":[...],"rows":[[...],...]}`;
// `AuditEntry.afterRecords` turns it into records). Read with `AuditLog.entries(db, ...)`.
//
// ## Queries (Query/)
// `workspace.query("distributions").where(.year(2019)).where(.compare("item", .equal, "果树苗"))`
// then `count`, `aggregate(.sum, "quantity", of:in:)`, `list`, `first`, `forEach` (streams),
// `grouped(_:by:_:_:in:)`. Valid records only unless `valid` is filtered or `includingInvalid()`.
//
// ## Derived figures (Income/)
// `incomeFigures(householdID:year:[in:])`, `incomeFigures(year:in:)`, `povertyLine(year:in:)`,
// `setMonitoringBandFactor(_:context:)`.
//
