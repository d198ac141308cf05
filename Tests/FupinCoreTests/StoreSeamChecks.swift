import Testing

@testable import FupinCore

/// Checks every store must pass, run through the seam's protocol alone, so the SQLite and the
/// PostgreSQL suites run the same steps.
enum StoreSeamChecks {
    /// Writes 甲, 乙 in a savepoint that throws, 丙 in a savepoint, 丁 in a savepoint of the
    /// same name nested inside and rolled back; returns the towns left, in id order (a
    /// correct store leaves 甲 and 丙).
    static func savepoints(_ store: any StoreConnection) throws -> [String] {
        try store.execute("INSERT INTO towns (name) VALUES ('甲')")
        #expect(throws: ValidationError.self) {
            try store.inSavepoint("step") {
                try store.execute("INSERT INTO towns (name) VALUES ('乙')")
                throw ValidationError(collection: "towns", field: "name", value: "乙", reason: "test")
            }
        }
        try store.savepoint(.begin, "outer")
        try store.execute("INSERT INTO towns (name) VALUES ('丙')")
        try store.savepoint(.begin, "outer")
        try store.execute("INSERT INTO towns (name) VALUES ('丁')")
        try store.savepoint(.rollback, "outer")
        try store.savepoint(.release, "outer")
        return try store.fetchAll("SELECT name FROM towns ORDER BY id") { $0.text(0) ?? "" }
    }

    /// Inserts 城郊镇 and 新街镇 through one reused statement, reads them back by name, id and
    /// column name, finds one by a `?` parameter, and marks both with an UPDATE (its count
    /// checked). Returns the second town's id.
    @discardableResult
    static func insertAndReadBack(_ store: any StoreConnection) throws -> Int64 {
        let d = store.dialect
        let insert = "INSERT INTO \(d.quote("towns")) (\(d.quote("name"))) VALUES (\(d.placeholder(1)))"
        let first = try store.insert(insert, ["城郊镇"], reuse: true)
        let second = try store.insert(insert, [.text("新街镇")], reuse: true)
        #expect(second == first + 1)
        let names = try store.fetchAll("SELECT name, id FROM towns ORDER BY id") { row in
            (row.text(0), row.integer(1), row.columnName(0))
        }
        #expect(names.map(\.0) == ["城郊镇", "新街镇"])
        #expect(names.map(\.1) == [first, second])
        #expect(names.first?.2 == "name")
        #expect(try store.fetchValue("SELECT name FROM towns WHERE id = ?", [.integer(second)]) == "新街镇")
        #expect(try store.execute("UPDATE towns SET name = name || '!'") == 2)
        return second
    }
}
