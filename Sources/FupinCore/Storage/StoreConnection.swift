/// The seam between FupinCore and a storage engine: what one connection of a store (SQLite
/// through GRDB today, PostgreSQL through libpq for a county's shared store) offers the
/// generic code — statements with arguments, streamed rows, savepoints, the schema it holds,
/// cancelling. No engine type crosses it: values are `SQLValue`s, rows are read through
/// `StoreRow`, failures are classified as `StoreFailure`. SQL text itself is spelled through
/// the connection's `dialect` (DESIGN.md "Growing past one machine").
///
/// A connection is used by one thread at a time, inside the transaction its store opened for
/// it (`Store`); the rows a call hands out are valid only during that call.
///
/// Example:
/// ```swift
/// let d = store.dialect
/// try store.execute("UPDATE \(d.quote("towns")) SET \(d.quote("name")) = \(d.placeholder(1)) WHERE id = \(d.placeholder(2))",
///                   [.text("城郊镇"), .integer(3)])
/// let id = try store.insert("INSERT INTO \(d.quote("towns")) (\(d.quote("name"))) VALUES (\(d.placeholder(1)))", [.text("新镇")])
/// let n = try store.fetchInt("SELECT COUNT(*) FROM \(d.quote("towns"))") ?? 0
/// try store.inSavepoint("fupin_step") { try store.execute("DELETE FROM ...", []) }
/// ```
public protocol StoreConnection: AnyObject {
    /// How SQL text is spelled for this store.
    var dialect: any SQLDialect { get }

    /// A statement of `sql` (one statement, `dialect.placeholder(n)` for its parameters),
    /// to run once or many times. With `reuse`, the connection may keep it prepared and hand
    /// the same one back for the same text (the write paths run a few texts many times);
    /// without, it is prepared for this use only (text that varies, DDL).
    func prepare(_ sql: String, reuse: Bool) throws -> any StoreStatement

    /// Runs `sql`, one or more statements separated by `;` with no parameters (DDL, pragmas,
    /// migrations).
    func executeScript(_ sql: String) throws

    /// Takes `action` on the savepoint `name` (an SQL identifier chosen by the caller; the same
    /// name may be opened again inside itself, and release/rollback act on the innermost).
    func savepoint(_ action: SavepointAction, _ name: String) throws

    /// Whether the store holds a table (or view) named `name`.
    func tableExists(_ name: String) throws -> Bool

    /// Whether the store holds an index named `name` (default: SQLite's catalogue).
    func indexExists(_ name: String) throws -> Bool

    /// The columns of table `name` in declaration order (empty when there is no such table).
    func columns(in table: String) throws -> [StoreColumn]

    /// Runs `sql`, one statement the store holds to reading whatever its text says (SQLite:
    /// the SQL guard's authorizer and the statement's read-only flag), with `arguments` bound
    /// in order, and calls `body` with each row while it returns true. A refusal throws a
    /// `ReadOnlySQLRefusal` whose message starts with `label` ("fp.sql is read-only: ...").
    func readOnlyQuery(
        _ sql: String, _ arguments: [SQLValue], label: String,
        _ body: (any StoreRow) throws -> Bool) throws

    /// Something another thread may call to stop the statement this connection is running
    /// (Ctrl-C, a time limit): the statement then fails with a `.interrupted` failure.
    var canceller: any StoreCanceller { get }

    /// Bytes the engine holds for this connection's statements, sorters and buffers beyond its
    /// page cache (the host's memory limit for plugin commands); 0 when it cannot tell.
    var heldMemory: Int { get }
}

/// A prepared statement of a `StoreConnection`. Arguments are bound in order, one per
/// placeholder; a statement is reset before each run, so it can be run again at once.
public protocol StoreStatement: AnyObject {
    /// Runs the statement; returns how many rows it inserted, changed or deleted.
    @discardableResult
    func execute(_ arguments: [SQLValue]) throws -> Int

    /// Runs an INSERT (written without a RETURNING clause) into a table whose key is an
    /// integer `id` column, and returns the `id` of the row it inserted (SQLite: the last
    /// inserted rowid; PostgreSQL: the statement runs with `RETURNING id`).
    func insert(_ arguments: [SQLValue]) throws -> Int64

    /// Runs a query and calls `body` with each row while it returns true. The row is valid
    /// only during the call.
    func query(_ arguments: [SQLValue], _ body: (any StoreRow) throws -> Bool) throws

    /// Runs a query whose rows the caller reads one call at a time (Lua's `iter`), until it
    /// closes the cursor or the rows run out. Valid only inside the transaction it was opened in.
    func cursor(_ arguments: [SQLValue]) throws -> any StoreCursor
}

/// One row of a result, read by column index (0-based). Valid only while its statement stays
/// on it.
public protocol StoreRow {
    /// How many columns the row has.
    var columnCount: Int { get }
    /// The name of column `index` (its `AS` name when the query gives one).
    func columnName(_ index: Int) -> String
    /// The value of column `index`.
    func value(_ index: Int) -> SQLValue
    /// Whether column `index` is NULL, without reading it.
    func isNull(_ index: Int) -> Bool
    /// Column `index` as an integer: nil when NULL; a real is truncated, text parsed (0 if it
    /// is not a number), as SQL's CAST does.
    func integer(_ index: Int) -> Int64?
    /// Calls `body` with the UTF-8 bytes of a TEXT column (valid only during the call); nil
    /// when the column is NULL. Other values are passed as their text.
    func withText<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R?
}

/// A query's rows read a call at a time; between `next()` calls it is the current row.
public protocol StoreCursor: AnyObject, StoreRow {
    /// Moves to the next row: false when there is none (the statement is then released).
    func next() throws -> Bool
    /// Releases the statement early; `next()` then returns false.
    func close()
}

/// Stops a connection's running statement from another thread.
public protocol StoreCanceller: Sendable {
    /// Asks the store to stop the statement running now (if any) on its connection.
    func cancel()
}

/// An action on a named savepoint.
public enum SavepointAction: Sendable {
    /// Opens the savepoint.
    case begin
    /// Keeps its writes in the enclosing transaction and closes it.
    case release
    /// Undoes its writes and closes it.
    case rollback
}

/// A column of a stored table (`StoreConnection.columns(in:)`).
public struct StoreColumn: Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// Its declared type as the store spells it (SQLite: "INTEGER", "TEXT", "REAL").
    public var type: String
    /// Declared NOT NULL.
    public var notNull: Bool
    /// Part of the primary key.
    public var primaryKey: Bool

    public init(name: String, type: String, notNull: Bool, primaryKey: Bool) {
        self.name = name
        self.type = type
        self.notNull = notNull
        self.primaryKey = primaryKey
    }
}

/// An error a store throws that can tell what kind of failure it is. The error itself is
/// thrown on unchanged, so its message stays the engine's.
public protocol StoreError: Error {
    /// The kind, when generic code must tell (a constraint to name a field, an interrupt, a
    /// busy store); nil for any other failure.
    var storeFailure: StoreFailure? { get }
}

/// The kinds of store failure generic code reacts to (`StoreFailure.of(error)`).
///
/// Example: `if StoreFailure.of(error) == .interrupted { ... }`.
public enum StoreFailure: Sendable, Equatable {
    /// A constraint refused the write; `column` is the one the store named, when it did.
    case constraint(Constraint, table: String?, column: String?)
    /// The statement was stopped (`StoreCanceller`, a time limit, Ctrl-C).
    case interrupted
    /// Another writer held a lock longer than the store would wait.
    case busy

    /// Which constraint.
    public enum Constraint: Sendable, Equatable {
        case unique, notNull, foreignKey, check, other
    }

    /// Whether this is a constraint failure of any kind (`StoreFailure.of(error)?.isConstraint`).
    public var isConstraint: Bool { if case .constraint = self { return true } else { return false } }

    /// The kind of `error` if a store threw it and could tell (`StoreError`), else nil.
    public static func of(_ error: any Error) -> StoreFailure? {
        (error as? any StoreError)?.storeFailure
    }
}

/// A value as a store holds it: the five storage classes common to SQLite and PostgreSQL's
/// columns as Fupin declares them (integers, reals, text, bytes, NULL).
///
/// Example: `SQLValue.text("城郊镇")`, `SQLValue(Int64(3)) == .integer(3)`.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ value: Int64) { self = .integer(value) }
    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: Double) { self = .real(value) }
    public init(_ value: String) { self = .text(value) }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
    /// `.null` for nil, else the value.
    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    /// `.null` for nil, else the value.
    public init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The integer held, or nil (no conversion: a real or text gives nil).
    public var integerValue: Int64? { if case .integer(let i) = self { return i } else { return nil } }

    /// The text held, or nil (no conversion).
    public var textValue: String? { if case .text(let s) = self { return s } else { return nil } }
}

extension SQLValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}

extension StoreRow {
    /// Column `index` as text (nil when NULL).
    public func text(_ index: Int) -> String? {
        withText(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// The index of the column named `name` (exact match), or nil.
    public func columnIndex(_ name: String) -> Int? {
        (0..<columnCount).first { columnName($0) == name }
    }

    /// The value of the column named `name` (`.null` when there is none).
    public func value(named name: String) -> SQLValue {
        columnIndex(name).map(value) ?? .null
    }

    /// Every column's value in order.
    public var values: [SQLValue] { (0..<columnCount).map(value) }
}

extension StoreConnection {
    public func indexExists(_ name: String) throws -> Bool {
        try fetchInt("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [.text(name)]) != nil
    }

    /// Runs one statement with `arguments`; returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ arguments: [SQLValue] = [], reuse: Bool = false) throws -> Int {
        try prepare(sql, reuse: reuse).execute(arguments)
    }

    /// Runs an INSERT and returns the new row's `id` (`StoreStatement.insert`).
    public func insert(_ sql: String, _ arguments: [SQLValue] = [], reuse: Bool = false) throws -> Int64 {
        try prepare(sql, reuse: reuse).insert(arguments)
    }

    /// Runs a query and calls `body` with each row while it returns true.
    public func query(
        _ sql: String, _ arguments: [SQLValue] = [], reuse: Bool = false,
        _ body: (any StoreRow) throws -> Bool
    ) throws {
        try prepare(sql, reuse: reuse).query(arguments, body)
    }

    /// Every row of a query, read with `read` (for small results).
    public func fetchAll<T>(
        _ sql: String, _ arguments: [SQLValue] = [], reuse: Bool = false,
        _ read: (any StoreRow) throws -> T
    ) throws -> [T] {
        var result: [T] = []
        try query(sql, arguments, reuse: reuse) { row in
            result.append(try read(row))
            return true
        }
        return result
    }

    /// The first row of a query read with `read`, or nil when there is none.
    public func fetchOne<T>(
        _ sql: String, _ arguments: [SQLValue] = [], reuse: Bool = false,
        _ read: (any StoreRow) throws -> T
    ) throws -> T? {
        var result: T?
        try query(sql, arguments, reuse: reuse) { row in
            result = try read(row)
            return false
        }
        return result
    }

    /// The first column of the first row as a value (nil when there is no row).
    public func fetchValue(_ sql: String, _ arguments: [SQLValue] = [], reuse: Bool = false) throws -> SQLValue? {
        try fetchOne(sql, arguments, reuse: reuse) { $0.value(0) }
    }

    /// The first column of the first row as an integer (nil when there is no row or it is NULL).
    public func fetchInt(_ sql: String, _ arguments: [SQLValue] = [], reuse: Bool = false) throws -> Int64? {
        try fetchOne(sql, arguments, reuse: reuse) { $0.integer(0) } ?? nil
    }

    /// Runs `body` inside savepoint `name`: released if it returns, rolled back (and the error
    /// thrown on) if it throws.
    public func inSavepoint<T>(_ name: String = "fupin", _ body: () throws -> T) throws -> T {
        try savepoint(.begin, name)
        let result: T
        do {
            result = try body()
        } catch {
            // The body's error is the one to report; a failed rollback leaves the transaction
            // to be rolled back by the unit around it.
            try? savepoint(.rollback, name)
            throw error
        }
        try savepoint(.release, name)
        return result
    }
}
