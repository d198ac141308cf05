/// Rows a `RowPreparer` converted and checked on one thread, held for `BulkWriter.insert(_:at:line:)`
/// on another, in as few objects as the writer's store allows: one buffer for every row's
/// audit text after its id (`,v1,…]`), and
/// - where PostgreSQL's COPY writes the rows, one buffer of each row's COPY text after its id
///   (a tab before each field, a newline at the end; both texts made in one pass over the
///   values, `StoredRowText`), and no values: the writer takes the
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
    /// Every row's COPY text, one after another (copy form).
    private var copyText: ByteBuffer
    /// Every row's audit text after its id, one after another.
    private var auditText: ByteBuffer
    /// Per row: where its COPY text ends, where its audit text ends (each starts where the
    /// row before it ends).
    private var ends: [Int] = []
    private var explicitIDs: [Int64?] = []

    init(copyForm: Bool, fieldCount: Int, capacity: Int = 0) {
        self.copyForm = copyForm
        self.fieldCount = fieldCount
        ends.reserveCapacity(2 * capacity)
        explicitIDs.reserveCapacity(capacity)
        copyText = ByteBuffer(capacity: copyForm ? capacity * 12 * fieldCount : 0)
        auditText = ByteBuffer(capacity: capacity * 12 * fieldCount)
        if !copyForm { values.reserveCapacity(capacity * fieldCount) }
    }

    /// How many rows are held.
    public var count: Int { explicitIDs.count }

    /// Adds a stored row (field order) and the id it gives, if any.
    mutating func append(_ row: [SQLValue], explicitID: Int64?) {
        // Shared with a copy of these rows: written apart from it, as an array would be.
        if !isKnownUniquelyReferenced(&copyText) { copyText = copyText.copy() }
        if !isKnownUniquelyReferenced(&auditText) { auditText = auditText.copy() }
        if copyForm {
            StoredRowText.append(row, copy: copyText, audit: auditText)
            copyText.reserve(1)
            copyText.put(10)
        } else {
            values.append(contentsOf: row)
            StoredRowText.appendAudit(row, to: auditText)
        }
        auditText.reserve(1)
        auditText.put(UInt8(ascii: "]"))
        ends.append(copyText.count)
        ends.append(auditText.count)
        explicitIDs.append(explicitID)
    }

    /// The id row `index` gives, if any.
    func explicitID(_ index: Int) -> Int64? { explicitIDs[index] }

    /// Calls `body` with row `index`'s COPY text (empty outside the copy form) and its audit
    /// text after its id; both valid only during the call.
    func withTexts<T>(
        _ index: Int, _ body: (_ copy: UnsafeBufferPointer<UInt8>, _ auditTail: UnsafeBufferPointer<UInt8>) throws -> T
    ) rethrows -> T {
        let copyStart = index == 0 ? 0 : ends[2 * index - 2]
        let auditStart = index == 0 ? 0 : ends[2 * index - 1]
        return try copyText.withBytes { copy in
            try auditText.withBytes { audit in
                try body(
                    UnsafeBufferPointer(rebasing: copy[copyStart..<ends[2 * index]]),
                    UnsafeBufferPointer(rebasing: audit[auditStart..<ends[2 * index + 1]]))
            }
        }
    }

    /// Row `index`'s stored values (not in the copy form).
    func rowValues(_ index: Int) -> ArraySlice<SQLValue> {
        values[(index * fieldCount)..<((index + 1) * fieldCount)]
    }
}
