/// Rows a `RowPreparer` converted and checked on one thread, held for `BulkWriter.insert(_:at:line:)`
/// on another, in as few objects as the writer's store allows: one buffer for every row's
/// audit text after its id (`,v1,…]`), and
/// - where PostgreSQL's COPY writes the rows, each row's COPY text after its id (a tab before
///   each field, a newline at the end) in the same buffer, and no values: the writer takes the
///   keys and references it checks from that text, so nothing per row is allocated on one
///   thread and freed or reference-counted on the other (a third of a national import's CPU
///   went there);
/// - elsewhere (SQLite binds values), the stored values, one flat array for all rows.
///
/// Example: `try preparer.prepare(values, into: &rows, scratch: &scratch)`, then
/// `try writer.insert(rows, at: 0)`.
public struct PreparedRows: Sendable {
    /// Whether the rows are held as COPY text (`RowPreparer.copyForm`).
    public let copyForm: Bool
    let fieldCount: Int
    /// The stored values, `fieldCount` per row (not in the copy form).
    private(set) var values: [SQLValue] = []
    /// Every row's bytes: its COPY text (copy form), then its audit text.
    private(set) var bytes: [UInt8] = []
    /// Per row: where its COPY text starts, where its audit text starts (it ends where the next
    /// row starts).
    private var starts: [Int] = []
    private var explicitIDs: [Int64?] = []

    init(copyForm: Bool, fieldCount: Int, capacity: Int = 0) {
        self.copyForm = copyForm
        self.fieldCount = fieldCount
        starts.reserveCapacity(2 * capacity)
        explicitIDs.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * (copyForm ? 48 : 24) * fieldCount / 2)
        if !copyForm { values.reserveCapacity(capacity * fieldCount) }
    }

    /// How many rows are held.
    public var count: Int { explicitIDs.count }

    /// Adds a stored row (field order) and the id it gives, if any.
    mutating func append(_ row: [SQLValue], explicitID: Int64?) {
        starts.append(bytes.count)
        if copyForm {
            for value in row {
                bytes.append(9)
                PostgresBulkCopy.append(value, to: &bytes)
            }
            bytes.append(10)
        } else {
            values.append(contentsOf: row)
        }
        starts.append(bytes.count)
        AuditJSONBuffer.appendRowTail(row, to: &bytes)
        explicitIDs.append(explicitID)
    }

    /// The id row `index` gives, if any.
    func explicitID(_ index: Int) -> Int64? { explicitIDs[index] }

    /// Where row `index`'s COPY text lies in `bytes` (empty outside the copy form).
    func copyText(_ index: Int) -> Range<Int> { starts[2 * index]..<starts[2 * index + 1] }

    /// Where row `index`'s audit text after its id lies in `bytes`.
    func auditTail(_ index: Int) -> Range<Int> {
        starts[2 * index + 1]..<(2 * index + 2 < starts.count ? starts[2 * index + 2] : bytes.count)
    }

    /// Row `index`'s stored values (not in the copy form).
    func rowValues(_ index: Int) -> ArraySlice<SQLValue> {
        values[(index * fieldCount)..<((index + 1) * fieldCount)]
    }
}
