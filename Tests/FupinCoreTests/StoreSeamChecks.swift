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
}
