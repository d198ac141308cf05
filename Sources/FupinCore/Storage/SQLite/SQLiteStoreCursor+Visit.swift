import GRDBSQLite

extension SQLiteStoreCursor {
    /// `RecordRows.visit` on SQLite: every planned column of the current row read straight
    /// from `sqlite3_column_*`. Inlinable so the caller's visitor is specialised in (iter's hot
    /// path): a call per cell through a protocol witness cost iterate-rows about 5%.
    @inlinable func visit<V: RecordColumnVisitor>(_ rows: RecordRows, masking: Bool, _ visitor: inout V) {
        guard let stmt = handle else { return }
        rows.plans.withUnsafeBufferPointer { plans in
            for i in 0..<plans.count {
                let plan = plans[i]
                let c = plan.index
                let masked = masking && plan.pii
                if plan.kind == .textual && !masked {
                    // A text column (TEXT affinity) holds text or NULL, so one call tells both:
                    // no sqlite3_column_type first, the commonest column costs a call less.
                    guard let text = sqlite3_column_text(stmt, c) else { visitor.null(i); continue }
                    visitor.text(i, UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(stmt, c))))
                    continue
                }
                let type = sqlite3_column_type(stmt, c)
                if masked, type == SQLITE_TEXT, let rule = plan.ascii, let text = sqlite3_column_text(stmt, c) {
                    let bytes = UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(stmt, c)))
                    if rule.withMasked(bytes, { visitor.text(i, $0) }) { continue }
                }
                if masked, type != SQLITE_NULL, let field = rows.columns[i].field {
                    visitor.personal(i, SQLiteStoreCursor.personalValue(stmt, c, field))
                    continue
                }
                switch type {
                case SQLITE_INTEGER: visitor.integer(i, sqlite3_column_int64(stmt, c))
                case SQLITE_FLOAT: visitor.double(i, sqlite3_column_double(stmt, c))
                case SQLITE_TEXT:
                    if let text = sqlite3_column_text(stmt, c) {
                        visitor.text(i, UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(stmt, c))))
                    } else {
                        visitor.null(i)
                    }
                default: visitor.null(i)
                }
            }
        }
    }

    /// The typed value of a personal-data cell (off the hot path, so not inlined).
    @usableFromInline static func personalValue(_ stmt: OpaquePointer, _ column: Int32, _ field: FieldSpec)
        -> FieldValue
    {
        FieldValue(SQLiteValues.value(stmt, column), type: field.type)
    }
}
