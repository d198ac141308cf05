/// A fast JSON encoder for stored records (no Foundation round trip): `{"id":1,"name":"郝九为",...}`.
enum AuditJSON {
    /// JSON object of `id` and `values` under `names` (same order).
    static func object(id: Int64, names: [String], values: [SQLValue]) -> String {
        var out = "{\"id\":"
        out.reserveCapacity(32 + values.count * 16)
        out += String(id)
        for (name, value) in zip(names, values) {
            out += ",\""
            out += name
            out += "\":"
            append(value, to: &out)
        }
        out += "}"
        return out
    }

    /// The same with precomputed `,"name":` keys (`CompiledCollection.jsonKeys`).
    static func object(id: Int64, keys: [String], values: [SQLValue]) -> String {
        var out = "{\"id\":"
        out.reserveCapacity(64 + values.count * 24)
        out += String(id)
        for index in 0..<min(keys.count, values.count) {
            out += keys[index]
            append(values[index], to: &out)
        }
        out += "}"
        return out
    }

    static func append(_ value: SQLValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .integer(let integer): out += String(integer)
        case .real(let double):
            out += double.isFinite ? FieldInput.shortest(double) : "null"
        case .text(let string): appendString(string, to: &out)
        case .blob: out += "null"
        }
    }

    static func appendString(_ string: String, to out: inout String) {
        out += "\""
        var needsEscape = false
        for byte in string.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }
}

/// The audit JSON of stored rows written as UTF-8 bytes into a reused buffer (bulk path):
/// the same text as `AuditJSON.object`, without building Strings; or, for bulk entries, the
/// columnar form `{"columns":["id","name",...],"rows":[[1,"郝九为",...],...]}` that names each
/// field once per entry instead of once per record (less than half the bytes).
struct AuditJSONBuffer {
    private(set) var bytes: [UInt8] = []
    /// `,"name":` keys as bytes.
    let keys: [[UInt8]]
    /// `{"columns":["id",...],"rows":[` for the columnar form.
    let rowsHeader: [UInt8]

    init(keys: [String], names: [String] = []) {
        self.keys = keys.map { Array($0.utf8) }
        var header = #"{"columns":["id""#
        for name in names {
            header += ","
            AuditJSON.appendString(name, to: &header)
        }
        header += #"],"rows":["#
        rowsHeader = Array(header.utf8)
        bytes.reserveCapacity(1024)
    }

    /// Starts a columnar entry (after `reset`).
    mutating func beginRows() { bytes.append(contentsOf: rowsHeader) }

    /// Ends a columnar entry.
    mutating func endRows() { bytes.append(contentsOf: "]}".utf8) }

    /// Appends `[id` and the part of a columnar row after its id, `,values...]`, made ahead of
    /// the insert on the thread that prepares rows (`PreparedRows`, through `StoredRowText`).
    mutating func writeRow(id: Int64, tail: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "["))
        bytes.appendDecimal(id)
        bytes.append(contentsOf: tail)
    }

    /// Appends one stored row as a JSON array `[id, values...]` (columnar form).
    mutating func writeRow(id: Int64, values: [SQLValue]) {
        bytes.append(UInt8(ascii: "["))
        bytes.appendDecimal(id)
        for value in values {
            bytes.append(UInt8(ascii: ","))
            appendValue(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Empties the buffer.
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Appends a single byte (`[`, `,`, `]`).
    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    var isEmpty: Bool { bytes.isEmpty }

    /// Appends the JSON object of one stored row.
    mutating func write(id: Int64, values: [SQLValue]) {
        bytes.append(contentsOf: #"{"id":"#.utf8)
        bytes.appendDecimal(id)
        for index in 0..<min(keys.count, values.count) {
            bytes.append(contentsOf: keys[index])
            appendValue(values[index])
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func appendValue(_ value: SQLValue) { AuditJSONBuffer.append(value, to: &bytes) }

    /// Appends one stored value's JSON to `bytes` (blobs, and reals that are not finite, as null).
    static func append(_ value: SQLValue, to bytes: inout [UInt8]) {
        switch value {
        case .null, .blob: bytes.append(contentsOf: "null".utf8)
        case .integer(let integer): bytes.appendDecimal(integer)
        case .real(let double): bytes.append(contentsOf: (double.isFinite ? FieldInput.shortest(double) : "null").utf8)
        case .text(let string): appendString(string, to: &bytes)
        }
    }

    private static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var copy = string
        copy.withUTF8 { utf8 in
            var clean = true
            for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                clean = false
                break
            }
            if clean {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [
                        0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                    ])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// ISO-8601 UTC timestamps with milliseconds, formatted without Foundation formatters.
enum AuditClock {
    /// "2019-05-01T08:00:00.123Z" for `secondsSince1970`.
    static func timestamp(secondsSince1970 seconds: Double) -> String {
        let totalMillis = Int64((seconds * 1000).rounded(.down))
        var days = totalMillis / 86_400_000
        var millisOfDay = totalMillis % 86_400_000
        if millisOfDay < 0 { millisOfDay += 86_400_000; days -= 1 }
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let hour = millisOfDay / 3_600_000
        let minute = millisOfDay / 60_000 % 60
        let second = millisOfDay / 1000 % 60
        let milli = millisOfDay % 1000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(milli, 3))Z"
    }
}
