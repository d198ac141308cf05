import Testing

@testable import FupinCore

/// Rows held as the bulk writer sends them (`PreparedRows`): each row's COPY text and audit
/// text are its values' as the reference writers write each value.
@Suite struct PreparedRowsTests {
    /// A row's COPY text and audit tail as the reference writers write its values one by one.
    func expected(_ row: [SQLValue]) -> (copy: [UInt8], audit: [UInt8]) {
        var copy: [UInt8] = []
        for value in row {
            copy.append(9)
            PostgresBulkCopy.append(value, to: &copy)
        }
        copy.append(10)
        var audit: [UInt8] = []
        for value in row {
            audit.append(UInt8(ascii: ","))
            AuditJSONBuffer.append(value, to: &audit)
        }
        audit.append(UInt8(ascii: "]"))
        return (copy, audit)
    }

    @Test func eachRowsTextsAreItsValues() {
        var generator = SystemRandomNumberGenerator()
        let few: [SQLValue] = [
            "户主", "配偶", "a\tb", "say \"hi\"", "back\\slash", "line\nbreak", "cr\rhere", "bell\u{07}", "", .null,
            .integer(-42), .integer(.min), .integer(.max), .real(6.4), .real(-0.5), .blob([1, 2]),
        ]
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
            #expect(rows.withTexts(index) { copyText, _ in Array(copyText) } == copy, "row \(index)")
            #expect(rows.withTexts(index) { _, auditTail in Array(auditTail) } == audit, "row \(index)")
        }
    }

    @Test func theValuesFormKeepsValuesAndTheAuditText() {
        var rows = PreparedRows(copyForm: false, fieldCount: 2)
        rows.append(["甲", 1], explicitID: 7)
        rows.append(["甲", .null], explicitID: nil)
        #expect(Array(rows.rowValues(1)) == ["甲", .null])
        #expect(rows.explicitID(0) == 7 && rows.explicitID(1) == nil)
        #expect(rows.withTexts(0) { copy, _ in copy.isEmpty })
        #expect(rows.withTexts(1) { _, audit in String(decoding: audit, as: UTF8.self) } == #","甲",null]"#)
    }

    /// A copy of a batch is its own: rows added to one are not in the other, and each keeps
    /// its texts, as with an array.
    @Test func aCopyIsWrittenApart() {
        var rows = PreparedRows(copyForm: true, fieldCount: 1, capacity: 1)
        rows.append(["甲"], explicitID: nil)
        var copy = rows
        copy.append([.text(String(repeating: "乙", count: 100))], explicitID: nil)
        rows.append(["丙"], explicitID: nil)
        #expect(rows.count == 2 && copy.count == 2)
        #expect(rows.withTexts(1) { text, _ in String(decoding: text, as: UTF8.self) } == "\t丙\n")
        #expect(copy.withTexts(1) { _, audit in audit.count } == 3 * 100 + 4)
        #expect(copy.withTexts(0) { text, _ in String(decoding: text, as: UTF8.self) } == "\t甲\n")
    }

    /// Rows kept as values have the audit text the copy form has.
    @Test func bothFormsHaveTheSameAuditText() {
        let row: [SQLValue] = ["户主", "say \"hi\"", .integer(-7), .null, .real(1.5), "line\nbreak"]
        var copied = PreparedRows(copyForm: true, fieldCount: row.count)
        var bound = PreparedRows(copyForm: false, fieldCount: row.count)
        copied.append(row, explicitID: nil)
        bound.append(row, explicitID: nil)
        #expect(copied.withTexts(0) { _, audit in Array(audit) } == expected(row).audit)
        #expect(bound.withTexts(0) { _, audit in Array(audit) } == expected(row).audit)
    }
}
