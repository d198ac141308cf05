import Foundation
import Testing

@testable import FupinCore

/// A connection that only forwards to another through the protocol, so FupinCore cannot
/// recognise SQLite behind it: what a store other than SQLite (PostgreSQL) gets from the
/// generic code, checked here on SQLite's answers.
final class ForwardingConnection: StoreConnection {
    let inner: any StoreConnection
    init(_ inner: any StoreConnection) { self.inner = inner }

    var dialect: any SQLDialect { inner.dialect }
    func prepare(_ sql: String, reuse: Bool) throws -> any StoreStatement {
        ForwardingStatement(try inner.prepare(sql, reuse: reuse))
    }
    func executeScript(_ sql: String) throws { try inner.executeScript(sql) }
    func savepoint(_ action: SavepointAction, _ name: String) throws { try inner.savepoint(action, name) }
    func tableExists(_ name: String) throws -> Bool { try inner.tableExists(name) }
    func columns(in table: String) throws -> [StoreColumn] { try inner.columns(in: table) }
    func readOnlyQuery(_ sql: String, _ arguments: [SQLValue], label: String, _ body: (any StoreRow) throws -> Bool)
        throws
    {
        try inner.readOnlyQuery(sql, arguments, label: label, body)
    }
    var canceller: any StoreCanceller { inner.canceller }
    var heldMemory: Int { inner.heldMemory }
}

final class ForwardingStatement: StoreStatement {
    let inner: any StoreStatement
    init(_ inner: any StoreStatement) { self.inner = inner }
    func execute(_ arguments: [SQLValue]) throws -> Int { try inner.execute(arguments) }
    func insert(_ arguments: [SQLValue]) throws -> Int64 { try inner.insert(arguments) }
    func query(_ arguments: [SQLValue], _ body: (any StoreRow) throws -> Bool) throws {
        try inner.query(arguments, body)
    }
    func cursor(_ arguments: [SQLValue]) throws -> any StoreCursor { ForwardingCursor(try inner.cursor(arguments)) }
}

final class ForwardingCursor: StoreCursor {
    let inner: any StoreCursor
    init(_ inner: any StoreCursor) { self.inner = inner }
    func next() throws -> Bool { try inner.next() }
    func close() { inner.close() }
    var columnCount: Int { inner.columnCount }
    func columnName(_ index: Int) -> String { inner.columnName(index) }
    func value(_ index: Int) -> SQLValue { inner.value(index) }
    func isNull(_ index: Int) -> Bool { inner.isNull(index) }
    func integer(_ index: Int) -> Int64? { inner.integer(index) }
    func withText<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try inner.withText(index, body)
    }
}

/// Collects what `RecordRows.visit` hands a visitor, as text per cell.
struct CellCollector: RecordColumnVisitor {
    var cells: [String] = []
    mutating func integer(_ column: Int, _ value: Int64) { cells.append("\(column):i\(value)") }
    mutating func double(_ column: Int, _ value: Double) { cells.append("\(column):d\(value)") }
    mutating func text(_ column: Int, _ bytes: UnsafeRawBufferPointer) {
        cells.append("\(column):t" + String(decoding: bytes, as: UTF8.self))
    }
    mutating func null(_ column: Int) { cells.append("\(column):null") }
    mutating func personal(_ column: Int, _ value: FieldValue) { cells.append("\(column):p\(value.plainText)") }
}

@Suite struct GenericStoreTests {
    /// Runs `body` twice, each in a unit rolled back afterwards: once on SQLite's own
    /// connection, once on one FupinCore sees only through the protocol.
    func both<T>(_ ws: Workspace, _ body: (WorkUnit) throws -> T) throws -> (sqlite: T, generic: T) {
        let sqlite = try ws.store.transaction(rollback: true) { c in try body(WorkUnit(workspace: ws, store: c)) }
        let generic = try ws.store.transaction(rollback: true) { c in
            try body(WorkUnit(workspace: ws, store: ForwardingConnection(c)))
        }
        return (sqlite, generic)
    }

    func visitAll(_ rows: RecordRows, masking: Bool) throws -> [String] {
        var collector = CellCollector()
        while try rows.next() { rows.visit(masking: masking, &collector) }
        return collector.cells
    }

    @Test func rowsVisitTheSameCellsWithoutSQLitesFastPath() throws {
        let ws = try fixture()
        try ws.insert(
            "households",
            [
                "number": "150602001002", "head_name": "杨来才", "village_id": 1, "size": 2,
                "head_id_number": .text(makeIDNumber()), "phone": "13800000000",
            ], context: testContext)
        let query = try ws.query("households")
        for masking in [false, true] {
            let (fast, generic) = try both(ws) { unit -> [String] in
                try visitAll(try unit.rows(query), masking: masking)
            }
            #expect(fast.count > 10)
            #expect(generic == fast, "masking \(masking)")
        }
        let kinds = try ws.store.transaction(rollback: true) { c in
            (
                try WorkUnit(workspace: ws, store: c).rows(query).sqlite != nil,
                try WorkUnit(workspace: ws, store: ForwardingConnection(c)).rows(query).sqlite != nil
            )
        }
        #expect(kinds == (true, false))
    }

    /// Masked ID numbers and phones come as their masked text (no `personal` call), equal to
    /// `Masking.mask`, on both paths; a landline still comes as a value for the visitor to mask.
    @Test func maskedIDNumbersAndPhonesComeAsMaskedText() throws {
        let ws = try fixture()
        let idNumber = makeIDNumber()
        try ws.insert(
            "households",
            [
                "number": "150602001003", "head_name": "杨来才", "village_id": 1, "size": 2,
                "head_id_number": .text(idNumber), "phone": "13800135678",
            ], context: testContext)
        try ws.insert(
            "households",
            ["number": "150602001004", "head_name": "杨来福", "village_id": 1, "size": 2, "phone": "0477-8888888"],
            context: testContext)
        let (fast, generic) = try both(ws) { unit -> [String] in
            let rows = try unit.rows(try ws.query("households").orderBy("id"))
            let names = rows.columns.map(\.name)
            return try visitAll(rows, masking: true).map { cell in
                let column = cell.split(separator: ":", maxSplits: 1)
                return (Int(column[0]).map { names[$0] } ?? "?") + ":" + column[1]
            }
        }
        #expect(generic == fast)
        let id = FieldSpec("head_id_number", .idNumber, "户主证件号码", pii: true)
        #expect(fast.contains("head_id_number:t" + Masking.mask(idNumber, for: id)))
        #expect(fast.contains("phone:t138****5678"))
        #expect(fast.contains("phone:p0477-8888888"))
        #expect(!fast.contains { $0.contains(idNumber) || $0.contains("13800135678") })
    }

    @Test func readsAndWritesAgreeThroughTheProtocolOnly() throws {
        let ws = try fixture()
        let households = try ws.query("households")
        let (fast, generic) = try both(ws) { unit -> [String] in
            let id = try unit.insert(
                "households", ["number": "150602001009", "head_name": "王五", "village_id": 1, "size": 5],
                context: testContext)
            try unit.update("households", id: id, ["size": 6], context: testContext)
            try? unit.inSavepoint { () throws -> Void in
                try unit.update("households", id: id, ["size": 7], context: testContext)
                throw ValidationError(collection: "households", field: "size", value: "7", reason: "undone")
            }
            let grouped = try unit.grouped(households, by: "village_id", .sum, "size")
            let list = try unit.list(households).map { "\($0.id):\($0.value("size").plainText)" }
            let total = try unit.aggregate(.sum, "size", of: households)
            let record = try unit.get("households", id: id)
            try unit.remove("households", id: id, context: testContext)
            let reference = try unit.resolveReference("villages", "前进村")
            return [
                "\(try unit.count(households))", "\(grouped.map { "\($0.key.plainText)=\($0.value.plainText)" })",
                "\(list)", total.plainText, record?.value("size").plainText ?? "nil", "\(reference)",
            ]
        }
        #expect(fast == generic)
        #expect(fast[4] == "6")
    }

    @Test func theGenericPathMapsConstraintFailuresToFields() throws {
        let ws = try fixture()
        try ws.store.transaction(rollback: true) { c in
            let unit = WorkUnit(workspace: ws, store: ForwardingConnection(c))
            #expect(throws: ValidationError.self) {
                try unit.insert(
                    "households", ["number": "150602001001", "head_name": "重号", "village_id": 1], context: testContext)
            }
        }
    }

    @Test func csvImportsWriteTheSameRecordsAndAuditThroughTheProtocol() throws {
        let ws = try fixture()
        let (fast, generic) = try both(ws) { unit -> [String] in
            var lines: [String] = []
            let report = try unit.importCSV(
                "households", bytes: Array(ImportTests.households.utf8), file: "h.csv",
                options: ImportOptions(), context: testContext)
            lines.append("inserted \(report.inserted)")
            // Again, changed: the key (户编号) finds the records, so they are updated, not doubled.
            let changed = ImportTests.households.replacingOccurrences(of: ",1,4,", with: ",1,5,")
            let again = try unit.importCSV(
                "households", bytes: Array(changed.utf8), file: "h2.csv",
                options: ImportOptions(), context: testContext)
            lines.append("updated \(again.updated) unchanged \(again.unchanged)")
            for record in try unit.list(try ws.query("households")) {
                lines.append(record.fieldValues.map { "\($0.field.name)=\($0.value.plainText)" }.joined(separator: " "))
            }
            for entry in try AuditLog.entries(unit.store, collection: "households") {
                lines.append("\(entry.action) \(entry.recordID)-\(entry.lastRecordID ?? 0) \(entry.after?.count ?? 0)")
            }
            return lines
        }
        #expect(fast.count > 6)
        #expect(generic == fast)
    }
}
