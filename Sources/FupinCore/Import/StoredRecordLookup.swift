/// Which stored records a CSV import's rows name — by id, or by the collection's unique key —
/// answered from one read of the table instead of a query a row. On PostgreSQL a query a row was
/// a round trip each, and each ended the bulk writer's open COPY, so every row became a COPY of
/// its own: 30,000 households took 11 s. An empty table is not read at all (a county's first
/// file); a small file into a large table keeps looking its rows up one by one. A table about
/// the file's size is read whole, so rows that name stored records are compared with them
/// without a query each.
///
/// The answers are the ones the row-by-row lookups gave: a key matches byte for byte, as the
/// store's `=` does, preferring a valid record; an id given earlier in the same file names the
/// record that row wrote. What another session writes meanwhile is not seen (a key it inserts
/// fails this import at the store's unique key, naming the row).
///
/// Example:
/// ```swift
/// var lookup = try StoredRecordLookup(workspace, "households", key: "number", rows: 30_000, in: store)
/// let id = try lookup.existing(key: "150602001001", in: store)
/// ```
struct StoredRecordLookup {
    /// A key's stored value as the store compares it: text by its bytes.
    enum Key: Hashable {
        case text([UInt8]), integer(Int64), real(Double), blob([UInt8])

        init?(_ value: SQLValue) {
            switch value {
            case .null: return nil
            case .text(let text): self = .text(Array(text.utf8))
            case .integer(let number): self = .integer(number)
            case .real(let number): self = .real(number)
            case .blob(let bytes): self = .blob(bytes)
            }
        }
    }

    enum Source {
        /// The table had no records when the import began.
        case empty
        /// Every record's id, and the key's stored values (a valid record's id where two share one).
        case read(ids: Set<Int64>, keys: [Key: Int64])
        /// Looked up a row at a time.
        case perRow
    }

    /// Files from this many rows on read the table once, whatever its size.
    static let readFrom = 1_000
    /// Tables of at most this many records, and not more than twice the file's rows, are read
    /// whole: a file imported again compares its rows with records read once, not one by one.
    static let recordsUpTo = 250_000

    let workspace: Workspace
    let collection: String
    let key: String?
    /// The key field's converter: a row's key is compared as it would be stored.
    private let keyConverter: FieldConverter?
    let source: Source
    /// Ids this import has written: a later row giving one names that record.
    private var written = Set<Int64>()
    /// The records as stored when the import began, where the table was read whole (those this
    /// import changes are dropped: they are read again when named again).
    private var records: [Int64: [SQLValue]] = [:]

    /// How the rows of a file of `rows` rows into `collection` will be looked up (`key`: the
    /// unique field they are matched by, if any).
    init(_ workspace: Workspace, _ collection: String, key: String?, rows: Int, in store: any StoreConnection) throws {
        self.workspace = workspace
        self.collection = collection
        self.key = key
        let compiled = try workspace.requireCompiled(collection)
        let keyIndex = key.flatMap { compiled.schema.index(of: $0) }
        keyConverter = keyIndex.map { compiled.converters[$0] }
        let stored = try workspace.count(collection, in: store)
        if stored == 0 {
            source = .empty
        } else if stored <= Self.recordsUpTo && stored <= rows * 2 {
            // Read whole: the ids and keys come from the same read.
            let engine = try workspace.engine(collection, store, WriteContext(operator: "", source: "import"))
            records = try engine.loadAll()
            source = Self.index(records, keyIndex: keyIndex, validIndex: compiled.validIndex)
        } else if rows >= Self.readFrom || stored <= rows * 10 {
            source = try Self.read(workspace, collection, key: key, in: store)
        } else {
            source = .perRow
        }
    }

    /// The ids and keys of records read whole, a key naming the record `read` would leave
    /// last: a valid one first, then the lowest id.
    private static func index(_ records: [Int64: [SQLValue]], keyIndex: Int?, validIndex: Int?) -> Source {
        var keys: [Key: Int64] = [:]
        if let keyIndex {
            let validity = { (id: Int64) -> Int64 in
                guard let validIndex, let row = records[id], case .integer(let valid) = row[validIndex] else {
                    return 0
                }
                return valid
            }
            for (id, row) in records {
                guard let value = Key(row[keyIndex]) else { continue }
                if let other = keys[value], (validity(other), -other) >= (validity(id), -id) { continue }
                keys[value] = id
            }
        }
        return .read(ids: Set(records.keys), keys: keys)
    }

    /// Every id of `collection`, and `key`'s stored values (read in an order that leaves a
    /// valid record's id last, so it wins).
    private static func read(_ workspace: Workspace, _ collection: String, key: String?, in store: any StoreConnection)
        throws -> Source
    {
        let compiled = try workspace.requireCompiled(collection)
        let d = workspace.dialect
        let id = d.quote(CollectionSchema.idField)
        let keyColumn = key.map { ", " + d.quote($0) } ?? ""
        let order = compiled.validIndex != nil ? " ORDER BY \(d.quote(CollectionSchema.validField)), \(id) DESC" : ""
        var ids = Set<Int64>()
        var keys: [Key: Int64] = [:]
        try store.query("SELECT \(id)\(keyColumn) FROM \(compiled.quotedTable)\(order)") { row in
            guard let recordID = row.integer(0) else { return true }
            ids.insert(recordID)
            if key != nil, let value = Key(row.value(1)) { keys[value] = recordID }
            return true
        }
        return .read(ids: ids, keys: keys)
    }

    /// The record with `id`, when one is stored or this import wrote it.
    func existing(id: Int64, writer: BulkWriter, in store: any StoreConnection) throws -> Int64? {
        let lookUp = { () throws -> Int64? in
            // A row given earlier in the file with this id must be in the table to be found.
            try writer.writePending()
            return try workspace.get(collection, id: id, in: store) != nil ? id : nil
        }
        if written.contains(id) { return try lookUp() }
        switch source {
        case .empty: return nil
        case .read(let ids, _): return ids.contains(id) ? id : nil
        case .perRow: return try lookUp()
        }
    }

    /// The record whose key field holds `value` once converted (a converter's refusal is thrown
    /// as the row's problem, as the write would throw it).
    func existing(key value: FieldInput, in store: any StoreConnection) throws -> Int64? {
        guard let key else { return nil }
        switch source {
        case .perRow:
            return try workspace.findID(collection, where: key, is: value, in: store)
        case .empty, .read:
            guard let keyConverter else { return nil }
            let stored = try keyConverter.convert(value, today: CalendarDate.today())
            guard case .read(_, let keys) = source, let wanted = Key(stored) else { return nil }
            return keys[wanted]
        }
    }

    /// Notes that this import wrote the record `id` (inserted or changed it).
    mutating func wrote(_ id: Int64) {
        written.insert(id)
        records[id] = nil
    }

    /// Record `id` as stored, when the table was read whole and this import has not changed it.
    func record(_ id: Int64) -> [SQLValue]? { records[id] }
}
