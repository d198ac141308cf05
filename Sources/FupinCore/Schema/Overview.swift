// Overview of the schema and the write API: the contract for the Lua layer and the importer.
// (Kept as comments in a Swift file so SwiftPM needs no resource rule.)
//
// # FupinCore schema and write API (contract for the Lua layer and the importer)
//
// The schema is Swift data, not SQL: `Schema.core` (CoreSchema*.swift) lists every core
// collection as a `CollectionSchema` of `FieldSpec`s; closed lists live in `Vocabularies.swift`.
// Everything else (tables, validation, audit, CSV headers, `fp.schema()`, stubs) derives from it.
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
// Field lists, labels, types, required/unique/pii flags and bounds: see the CoreSchema files or
// `Schema.core[name]!.fields` at run time. `valid` (有效标识, bool, default true) is appended to
// `fields` automatically for valid-flag collections. System tables (not collections):
// `audit_log` (read-only, described by `Schema.auditLog`) and `settings`.
//
// ## Field types and input conversion (`FieldInput` → storage)
// | type | stored | accepted input |
// |---|---|---|
// | text | TEXT | any (numbers rendered as text); blank → null |
// | integer | INTEGER | integer, integral double, integer text |
// | number | REAL | integer, double, decimal text |
// | money | INTEGER fen | yuan as text "6.40"/"1,234.5" or number (shortest decimal of a double); >2 decimals rejected |
// | area | INTEGER 1/100 亩 | 亩, same rules as money |
// | date | TEXT YYYY-MM-DD | "2019-03-05", also "2019/3/5", "2019.3.5", "20190305"; must be a real date |
// | bool | INTEGER 0/1 | true/false, 1/0, "是"/"否", "true"/"false", "yes"/"no", "Y"/"N" |
// | enum | TEXT | a vocabulary value, an alias (e.g. 国贫户 → 国家) or a coded value's label (收入 → in) |
// | ref | INTEGER | the id of an existing, valid record |
// | id_number | TEXT | 18 chars, GB 11643 check digit (x → X), plausible birth date |
// | phone | TEXT | 11-digit mobile 1[3-9]…, or landline 0AAA-NNNNNNN (7–8 digits) |
//
// Blank text and `.null` are null; a required field may not be null. Quantities (number, money,
// area, integer with bounds) are non-negative unless the field allows negatives.
//
// ## Writes (see Storage/Workspace+Writes.swift)
// - `Workspace.insert(_:_:context:)`, `update(_:id:_:context:)`, `remove(_:id:context:)` open their
//   own transaction; the same methods with `in db: Database` run inside a transaction the caller
//   controls (`workspace.write { db in ... }`, savepoints via `db.inSavepoint`).
// - `WriteContext(operator:source:)` — source e.g. "repl", a script path,
//   "plugin:produce-sales:record", "import:file.csv".
// - Bulk: `workspace.bulkWriter(collection, columns:, context:, in: db)` returns a `BulkWriter`;
//   call `insert(_ row: [FieldInput])` per row (positional, in `columns` order). Validation is
//   complete before each row is written; a `ValidationError` leaves that row unwritten.
// - Errors: `ValidationError` (collection, field, value, reason; description like
//   `households.head_id_number: 152701198001011234 fails the ID check digit`), `WorkspaceError`.
