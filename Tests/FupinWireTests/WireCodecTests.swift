import Testing

@testable import FupinWire

/// The host–worker format: plain values round-trip exactly, and malformed bytes are refused
/// with the offset and the rule they broke (docs/worker-protocol.md).
@Suite struct WireCodecTests {
    func roundTrip(_ v: WireValue) throws -> WireValue {
        try WireCodec.decode(try WireCodec.encode(v))
    }

    @Test func scalarsKeepTheirKind() throws {
        let values: [WireValue] = [
            .nil, .boolean(true), .boolean(false), .integer(0), .integer(.min), .integer(.max),
            .number(1.0), .number(-0.25), .number(.infinity), .text(""), .text("甲乙\u{0}丙"),
            .string([0xff, 0x00, 0x80]),
        ]
        for v in values { #expect(try roundTrip(v) == v) }
        // 1 and 1.0 stay different kinds, as in Lua.
        #expect(try roundTrip(.integer(1)) != .number(1.0))
    }

    @Test func tablesAndRecordsRoundTrip() throws {
        let record = WireValue.record(
            [("id", .integer(7)), ("name", .text("王")), ("income", .number(1234.5))], collection: "households")
        let nested = WireValue.list([record, .list([]), .table(WireTable([WireEntry(.boolean(true), .number(2.5))]))])
        #expect(try roundTrip(nested) == nested)
        guard case .table(let t) = try roundTrip(record) else { Issue.record("not a table"); return }
        #expect(t.collection == "households")
        #expect(t["name"] == .text("王"))
    }

    @Test func theLayoutIsTheDocumentedOne() throws {
        // { [1] = "a" }: tag 6, count 1, key integer 1, value string "a".
        let bytes = try WireCodec.encode(.list([.text("a")]))
        #expect(bytes == [6, 1, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 5, 1, 0, 0, 0, 0x61])
        #expect(try WireCodec.frame([9, 9]) == [2, 0, 0, 0, 9, 9])
    }

    @Test func malformedInputSaysWhereAndWhy() {
        func failure(_ bytes: [UInt8]) -> WireError? {
            do { _ = try WireCodec.decode(bytes); return nil } catch { return error }
        }
        #expect(failure([]) == WireError(.empty, at: 0))
        #expect(failure([9]) == WireError(.unknownTag(9), at: 0))
        #expect(failure([3, 1, 2]) == WireError(.truncated, at: 1))
        #expect(failure([5, 10, 0, 0, 0, 65]) == WireError(.truncated, at: 5))
        #expect(failure([0, 0]) == WireError(.trailingBytes(1), at: 1))
        // A table claiming four billion entries in a few bytes is refused before any allocation.
        #expect(failure([6, 0xff, 0xff, 0xff, 0xff, 0, 0]) == WireError(.truncated, at: 1))
        // nil and NaN keys cannot exist in Lua.
        #expect(failure([6, 1, 0, 0, 0, 0, 2]) == WireError(.badKey("nil"), at: 5))
        var nan: [UInt8] = [6, 1, 0, 0, 0, 4]
        WireCodec.appendUInt64(Double.nan.bitPattern, to: &nan)
        nan.append(2)
        #expect(failure(nan) == WireError(.badKey("NaN"), at: 5))
        // A record's collection name must be UTF-8.
        #expect(failure([7, 1, 0, 0, 0, 0xff, 0, 0, 0, 0]) == WireError(.badCollectionName, at: 1))
        #expect(WireError(.truncated, at: 5).description == "worker message, byte 5: the message ends early")
    }

    @Test func nestingIsCapped() throws {
        var v = WireValue.nil
        for _ in 0..<WireCodec.maxDepth { v = .list([v]) }
        #expect(try roundTrip(v) == v)
        let deeper = WireValue.list([v])
        #expect(throws: WireError.self) { try WireCodec.encode(deeper) }
        // The same depth written by hand is refused by the decoder too.
        var bytes: [UInt8] = []
        for _ in 0...WireCodec.maxDepth { bytes += [6, 1, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0] }
        bytes.append(0)
        do {
            _ = try WireCodec.decode(bytes)
            Issue.record("a table nested \(WireCodec.maxDepth + 1) deep was accepted")
        } catch {
            #expect(error.reason == .tooDeep(WireCodec.maxDepth))
        }
    }

    @Test func sizeIsCapped() throws {
        let big = WireValue.text(String(repeating: "x", count: 2000))
        #expect(throws: WireError.self) { try WireCodec.encode(big, limit: 1000) }
        #expect(try WireCodec.encode(big, limit: 4000).count == 2005)
        let many = WireValue.list(Array(repeating: .integer(1), count: 200))
        #expect(throws: WireError.self) { try WireCodec.encode(many, limit: 1000) }
        #expect(throws: WireError.self) { try WireCodec.bodyLength(header: [0, 0, 0, 2], limit: 1000) }
        #expect(try WireCodec.bodyLength(header: [0xe8, 3, 0, 0], limit: 1000) == 1000)
    }

    /// Tag 8: records of one collection with their field names given once.
    static func recordBatch(index: UInt8 = 1, rows: UInt8 = 2) -> [UInt8] {
        var b: [UInt8] = [8, 1, 0, 0, 0, 0x68]  // collection "h"
        b += [2, 0, 0, 0, 2, 0, 0, 0, 0x69, 0x64, 1, 0, 0, 0, 0x6e]  // keys "id", "n"
        b += [rows, 0, 0, 0]
        for r in 0..<rows {
            b += [2, 0, 0, 0]  // two fields
            b += [0, 0, 0, 0, 3, r + 1, 0, 0, 0, 0, 0, 0, 0]  // id = r + 1
            b += [index, 0, 0, 0, 5, 1, 0, 0, 0, 0x61]  // n = "a"
        }
        return b
    }

    @Test func recordBatchesDecodeToRecords() throws {
        let v = try WireCodec.decode(WireCodecTests.recordBatch())
        let rows = try #require(v.tableValue?.sequence)
        #expect(rows.count == 2)
        let second = try #require(rows[1].tableValue)
        #expect(second.collection == "h")
        #expect(second["id"] == .integer(2))
        #expect(second["n"] == .text("a"))
        // A field index past the names, and counts the bytes cannot hold, are refused.
        #expect(throws: WireError.self) { try WireCodec.decode(WireCodecTests.recordBatch(index: 2)) }
        #expect(throws: WireError.self) { try WireCodec.decode(Array(WireCodecTests.recordBatch().dropLast())) }
        #expect(throws: WireError.self) { try WireCodec.decode([8, 1, 0, 0, 0, 0x68, 0xff, 0xff, 0xff, 0x7f]) }
    }
}
