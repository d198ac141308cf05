import Testing

@testable import FupinCore

/// Rows held as the bulk writer sends them (`PreparedRows`): each row's COPY text and audit
/// text are the values' own, in one buffer.
@Suite struct PreparedRowsTests {
    /// Row `index`'s COPY text and audit tail as written directly from `row`.
    func expected(_ row: [SQLValue]) -> (copy: [UInt8], audit: [UInt8]) {
        var copy: [UInt8] = []
        for value in row {
            copy.append(9)
            PostgresBulkCopy.append(value, to: &copy)
        }
        copy.append(10)
        var audit: [UInt8] = []
        AuditJSONBuffer.appendRowTail(row, to: &audit)
        return (copy, audit)
    }

    @Test func eachRowsTextsAreItsValues() {
        var generator = SystemRandomNumberGenerator()
        let few: [SQLValue] = ["户主", "配偶", "a\tb", "say \"hi\"", "back\\slash", "line\nbreak", "", .null]
        let long = String(repeating: "长", count: 40)
        var rows = PreparedRows(copyForm: true, fieldCount: 5)
        var given: [[SQLValue]] = []
        for index in 0..<400 {
            let row: [SQLValue] = [
                few[Int.random(in: 0..<few.count, using: &generator)],
                .text("名\(index)"),
                .integer(Int64(index % 3)),
                index % 5 == 0 ? .text(long) : .text("短"),
                few[index % 2],
            ]
            given.append(row)
            rows.append(row, explicitID: nil)
        }
        #expect(rows.count == given.count)
        for (index, row) in given.enumerated() {
            let (copy, audit) = expected(row)
            #expect(Array(rows.bytes[rows.copyText(index)]) == copy, "row \(index)")
            #expect(Array(rows.bytes[rows.auditTail(index)]) == audit, "row \(index)")
        }
    }

    @Test func theValuesFormKeepsValuesAndTheAuditText() {
        var rows = PreparedRows(copyForm: false, fieldCount: 2)
        rows.append(["甲", 1], explicitID: 7)
        rows.append(["甲", .null], explicitID: nil)
        #expect(Array(rows.rowValues(1)) == ["甲", .null])
        #expect(rows.explicitID(0) == 7 && rows.explicitID(1) == nil)
        #expect(rows.copyText(0).isEmpty)
        #expect(String(decoding: rows.bytes[rows.auditTail(1)], as: UTF8.self) == #","甲",null]"#)
    }
}
