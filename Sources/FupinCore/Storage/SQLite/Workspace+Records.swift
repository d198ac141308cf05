import GRDB

/// Typed record writes and reads. Writes go through the same validation and audit as the
/// generic ones: the record is encoded to its stored values (money already in fen) and checked.
///
/// Example:
/// ```swift
/// var line = PovertyLine(year: 2019, amount: Money(fen: 399_500))
/// try ws.insert(&line, context: ctx)   // line.id is set
/// ```
extension Workspace {
    /// Inserts `record` (validated, audited) and sets its id.
    public func insert<R: FupinRecord>(_ record: inout R, context: WriteContext) throws {
        let inserted = try write { db -> R in
            var copy = record
            try insert(&copy, context: context, in: db)
            return copy
        }
        record = inserted
    }

    /// Inserts `record` inside the caller's transaction and sets its id.
    public func insert<R: FupinRecord>(_ record: inout R, context: WriteContext, in db: Database) throws {
        let values = try Workspace.storedInputs(record, includeID: record.id != nil)
        let store = connection(db)
        let engine = try engine(R.collectionName, store, context)
        let id = try store.inSavepoint { try engine.insert(values, storageForm: true) }
        record.id = id
    }

    /// Writes every field of `record` (which must have an id) over the stored record.
    public func update<R: FupinRecord>(_ record: R, context: WriteContext) throws {
        try write { db in try update(record, context: context, in: db) }
    }

    /// Writes every field of `record` inside the caller's transaction.
    public func update<R: FupinRecord>(_ record: R, context: WriteContext, in db: Database) throws {
        guard let id = record.id else {
            throw ValidationError(
                collection: R.collectionName, field: CollectionSchema.idField, value: "",
                reason: "is required to update a record")
        }
        let values = try Workspace.storedInputs(record, includeID: false)
        let store = connection(db)
        let engine = try engine(R.collectionName, store, context)
        try store.inSavepoint { try engine.update(id, values, storageForm: true) }
    }

    /// The record of type `R` with `id`, or nil.
    public func fetch<R: FupinRecord>(_ type: R.Type, id: Int64) throws -> R? {
        try read { db in try R.fetchOne(db, key: id) }
    }

    /// All records of type `R` (valid or not), by id.
    public func fetchAll<R: FupinRecord>(_ type: R.Type) throws -> [R] {
        try read { db in try R.order(Column(CollectionSchema.idField)).fetchAll(db) }
    }

    /// The stored values of a typed record as storage-form inputs.
    static func storedInputs<R: FupinRecord>(_ record: R, includeID: Bool) throws -> [String: FieldInput] {
        var inputs: [String: FieldInput] = [:]
        for (column, value) in try record.databaseDictionary {
            if column == CollectionSchema.idField && !includeID { continue }
            switch value.storage {
            case .null, .blob: inputs[column] = .null
            case .int64(let integer): inputs[column] = .integer(integer)
            case .double(let double): inputs[column] = .double(double)
            case .string(let string): inputs[column] = .text(string)
            }
        }
        return inputs
    }
}
