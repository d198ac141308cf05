import GRDB

/// A fast JSON encoder for stored records (no Foundation round trip): `{"id":1,"name":"郝九为",...}`.
enum AuditJSON {
    /// JSON object of `id` and `values` under `names` (same order).
    static func object(id: Int64, names: [String], values: [DatabaseValue]) -> String {
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

    static func append(_ value: DatabaseValue, to out: inout String) {
        switch value.storage {
        case .null: out += "null"
        case .int64(let integer): out += String(integer)
        case .double(let double):
            out += double.isFinite ? FieldInput.shortest(double) : "null"
        case .string(let string): appendString(string, to: &out)
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
        let hour = millisOfDay / 3_600_000, minute = millisOfDay / 60_000 % 60
        let second = millisOfDay / 1000 % 60, milli = millisOfDay % 1000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(milli, 3))Z"
    }
}
