import GRDB
import Testing

@testable import FupinCore

@Suite("Bulk writes")
struct BulkWriterTests {
    @Test func bulkInsertValidatesAuditsAndCachesReferences() throws {
        let ws = try fixture()
        let ids = try ws.write { db -> [Int64] in
            try ws.bulkInsert(
                "members", columns: ["household_id", "number", "name", "id_number", "migrant_months"],
                context: testContext, in: db
            ) { bulk in
                bulk.auditChunkSize = 150
                var ids: [Int64] = []
                for index in 0..<200 {
                    ids.append(
                        try bulk.insert([
                            1, .text("P\(index)"), .text("成员\(index)"),
                            .text(makeIDNumber(sequence: String(100 + index))), "",
                        ]))
                }
                #expect(bulk.insertedCount == 200)
                return ids
            }
        }
        #expect(ids.count == 200)
        #expect(try count(ws, "members") == 200)
        #expect(try ws.get("members", id: ids[5])?["valid"] == 1.sqlValue)
        // Every insert is in the audit log, in entries of up to 150 consecutive records.
        let entries = try ws.read { db in try AuditLog.entries(db, collection: "members") }
        #expect(entries.map(\.recordIDs) == [ids[0]...ids[149], ids[150]...ids[199]])
        #expect(entries.allSatisfy { $0.action == "insert" && $0.operator == "测试员" && $0.before == nil })
        #expect(entries.flatMap(\.afterRecords).count == 200)
        #expect(entries[1].after(recordID: ids[160])?["name"] as? String == "成员160")
        // The history of one record finds its bulk entry, and later single entries.
        try ws.update("members", id: ids[160], ["name": "改名"], context: testContext)
        let history = try ws.read { db in try AuditLog.entries(db, collection: "members", recordID: ids[160]) }
        #expect(history.map(\.action) == ["insert", "update"])
    }

    @Test func badRowIsNamedAndUnwritten() throws {
        let ws = try fixture()
        var errors: [(Int, ValidationError)] = []
        let audits = try count(ws, "audit_log")
        try ws.dryRun { db in
            let bulk = try ws.bulkWriter(
                "members", columns: ["household_id", "number", "name", "birth_date"],
                context: testContext, in: db)
            let rows: [[FieldInput]] = [
                [1, "P1", "甲", "1980-01-01"],
                [1, "P2", "乙", "1980-02-30"],
                [7, "P3", "丙", "1980-01-01"],
                [1, "P1", "丁", ""],  // duplicate person number
                [1, "P4", "", ""],
            ]
            for (index, row) in rows.enumerated() {
                do { try bulk.insert(row) } catch let error as ValidationError { errors.append((index, error)) }
            }
            #expect(bulk.insertedCount == 1)
        }
        #expect(errors.map(\.0) == [1, 2, 3, 4])
        #expect(errors.map(\.1.field) == ["birth_date", "household_id", "number", "name"])
        #expect(errors[0].1.description == "members.birth_date: 1980-02-30 is not a real date")
        #expect(errors[2].1.reason == "is already used by another record")
        #expect(try count(ws, "members") == 0)
        #expect(try count(ws, "audit_log") == audits)
    }

    @Test func unknownColumnsAreRejected() throws {
        let ws = try fixture()
        try ws.dryRun { db in
            let error = validationError {
                _ = try ws.bulkWriter("members", columns: ["name", "shoe_size"], context: testContext, in: db)
            }
            #expect(error?.description == "members.shoe_size: is not a field of members (家庭成员)")
        }
    }

    @Test func aKeyTheWriterChecksComparesTextByteForByte() throws {
        // As a unique key on the server does (and the writer's check must, where the load has
        // dropped the key): é composed and é decomposed are two values, é twice one.
        let ws = try fixture()
        var refused: [ValidationError] = []
        try ws.dryRun { db in
            let bulk = try ws.bulkWriter(
                "members", columns: ["household_id", "number", "name"], context: testContext, in: db)
            bulk.checkUnique(["number"])
            for number in ["P\u{E9}", "Pe\u{301}", "P\u{E9}", "P2", "P2"] {
                do { try bulk.insert([1, .text(number), "甲"]) } catch let error as ValidationError {
                    refused.append(error)
                }
            }
            #expect(bulk.insertedCount == 3)
        }
        #expect(refused.map(\.value) == ["P\u{E9}", "P2"])
        #expect(refused.allSatisfy { $0.field == "number" && $0.reason == "is already used by another record" })
    }

    @Test func aRowsCopyTextReadsBackAsItsValues() {
        // The text a refused row is named from: what the COPY was sent, read back.
        let values: [SQLValue] = [
            .null, 0, -42, .integer(.max), 1.5, "", "\\N", "tab\there", "line\nbreak\r", "back\\slash", "郝九为",
        ]
        var text: [UInt8] = Array("7".utf8)
        for value in values {
            text.append(9)
            PostgresBulkCopy.append(value, to: &text)
        }
        text.append(10)
        let fields = PostgresBulkCopy.fields(ofRow: text[...])
        let expected: [String?] =
            [
                "7", nil, "0", "-42", "\(Int64.max)", "1.5", "", "\\N", "tab\there", "line\nbreak\r", "back\\slash",
                "郝九为",
            ]
        #expect(fields == expected)
    }

    @Test func aRowKeepsNoValueOfThePreviousOneWhereARuleDerivesIt() throws {
        // Rows whose inputs repeat the previous row's keep its stored values, but not where a
        // product rule derives a field: the amount derived for the first row is not the
        // second's input.
        let ws = try fixture()
        try ws.registerLedger(salesWithDerivedAmount)
        try ws.dryRun { db in
            let bulk = try ws.bulkWriter(
                "sales", columns: ["date", "product", "quantity", "unit_price", "amount"], context: testContext,
                in: db)
            let preparer = bulk.preparer
            var rows = preparer.makeRows()
            var scratch: [SQLValue] = []
            try preparer.prepare(["2019-12-05", "鸡蛋", "100", "1.2", ""], into: &rows, scratch: &scratch)
            try preparer.prepare(
                ["2019-12-05", "鸡蛋", "100", "1.5", ""], into: &rows, scratch: &scratch, reusing: true,
                unchanged: [true, true, true, false, true])
            let ids = try (0..<rows.count).map { try bulk.insert(rows, at: $0) }
            let amounts = try ids.map { try ws.get("sales", id: $0, in: ws.connection(db))?["amount"] }
            #expect(amounts == [12000, 15000])
        }
    }

    @Test func upsertByKey() throws {
        let ws = try fixture()
        try ws.write { db in
            let bulk = try ws.bulkWriter(
                "households", columns: ["number", "head_name", "village_id", "size"],
                context: testContext, in: db)
            let first = try bulk.upsert(["150602001001", "郝九为", 1, 4], key: "number")
            let second = try bulk.upsert(["150602001009", "新户", 1, 2], key: "number")
            #expect(first == (1, false))
            #expect(second.inserted)
            try bulk.finish()
        }
        #expect(try ws.get("households", id: 1)?["size"] == 4.sqlValue)
        #expect(try count(ws, "households") == 2)
        #expect(try auditEntries(ws).suffix(2).map(\.action) == ["update", "insert"])
    }
}
