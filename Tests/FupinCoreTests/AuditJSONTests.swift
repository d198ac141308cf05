import Foundation
import GRDB
import Testing

@testable import FupinCore

/// The audit log's JSON writers: what they write parses back to the values given, whatever the
/// text holds, and the bulk (`PreparedRows`) and single-row writers agree byte for byte.
@Suite struct AuditJSONTests {
    static let awkward: [SQLValue] = [
        .null, 0.sqlValue, Int64.min.sqlValue, Int64.max.sqlValue, (-5).sqlValue,
        1.5.sqlValue, (-0.001).sqlValue, "".sqlValue, "郝九为".sqlValue,
        "say \"hi\" \\ back".sqlValue, "line\nbreak\ttab\r\u{01}\u{1F}".sqlValue,
        String(repeating: "长", count: 3000).sqlValue,
    ]

    /// The bulk writer's text of a row after its id, as `PreparedRows` makes it ahead of the
    /// insert — the same whether it holds the row as COPY text or as values.
    func rowTail(_ values: [SQLValue]) -> [UInt8] {
        var copied = PreparedRows(copyForm: true, fieldCount: values.count)
        var bound = PreparedRows(copyForm: false, fieldCount: values.count)
        copied.append(values, explicitID: nil)
        bound.append(values, explicitID: nil)
        let tail = copied.withTexts(0) { _, audit in Array(audit) }
        #expect(bound.withTexts(0) { _, audit in Array(audit) } == tail)
        return tail
    }

    /// Decodes `[id` + a row tail with Foundation's parser.
    func decode(_ bytes: [UInt8]) throws -> [Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [Any])
    }

    @Test func rowTailParsesBackToTheValues() throws {
        let parsed = try decode(Array("[7".utf8) + rowTail(Self.awkward))
        #expect(parsed.count == Self.awkward.count + 1)
        #expect((parsed[0] as? NSNumber)?.int64Value == 7)
        for (value, json) in zip(Self.awkward, parsed.dropFirst()) {
            switch value {
            case .null: #expect(json is NSNull)
            case .integer(let integer): #expect((json as? NSNumber)?.int64Value == integer, "\(integer)")
            case .real(let double): #expect((json as? NSNumber)?.doubleValue == double, "\(double)")
            case .text(let string): #expect(json as? String == string, "\(string.prefix(20))")
            case .blob: Issue.record("no blob given")
            }
        }
    }

    @Test func bulkAndSingleRowWritersAgree() {
        var prepared = AuditJSONBuffer(keys: [])
        rowTail(Self.awkward).withUnsafeBufferPointer { prepared.writeRow(id: 42, tail: $0) }
        var direct = AuditJSONBuffer(keys: [])
        direct.writeRow(id: 42, values: Self.awkward)
        #expect(prepared.bytes == direct.bytes)
        #expect(
            String(decoding: direct.bytes.prefix(31), as: UTF8.self)
                == #"[42,null,0,-9223372036854775808"#)
    }

    @Test func controlCharactersAreEscapedAsJSONRequires() {
        let tail = String(decoding: rowTail(["a\"\\\n\u{07}".sqlValue]), as: UTF8.self)
        #expect(tail == #","a\"\\\n\u0007"]"#)
    }
}

/// What `fupin audit` and dry-run reports show for a recorded value.
@Suite struct AuditDisplayTests {
    @Test func valuesReadAsUsersSeeThem() {
        let wage = FieldSpec("wage", .money, "工资")
        let area = FieldSpec("planned_area", .area, "计划面积")
        let flag = FieldSpec("medical_insurance", .bool, "参加大病医疗")
        let phone = FieldSpec("phone", .phone, "联系电话", pii: true)
        #expect(AuditDisplay.text(NSNumber(value: 1_380_000), field: wage) == "13800.00")
        #expect(AuditDisplay.text(NSNumber(value: 1_005_000), field: area) == "10050.00")
        #expect(AuditDisplay.text(NSNumber(value: 1), field: flag) == "是")
        #expect(AuditDisplay.text(NSNumber(value: 0), field: flag) == "否")
        #expect(AuditDisplay.text("13912345678", field: phone) == "139****5678")
        #expect(AuditDisplay.text("13912345678", field: phone, unmask: true) == "13912345678")
        #expect(AuditDisplay.text(NSNull(), field: wage) == nil)
        #expect(AuditDisplay.text(nil, field: wage) == nil)
        #expect(AuditDisplay.text(NSNumber(value: 7), field: nil) == "7")
    }
}
