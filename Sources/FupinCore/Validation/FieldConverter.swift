import Foundation

/// One field compiled for fast conversion: turns a `FieldInput` into the stored `SQLValue`
/// and applies every single-field rule (format, vocabulary, bounds, non-negative, ID check digit,
/// phone, real date). References and uniqueness need the database and are checked elsewhere.
///
/// Example: a money field converts `.double(6.4)` to `640` and rejects `.text("12.345")`.
final class FieldConverter: Sendable {
    let spec: FieldSpec
    let collection: String
    private let kind: Kind
    private let vocabulary: Vocabulary?
    private let minInteger: Int64?
    private let maxInteger: Int64?
    private let minReal: Double?
    private let maxReal: Double?

    private enum Kind: Sendable {
        case text, integer, number, money, area, date, bool, enumeration, ref, idNumber, phone, creditCode
    }

    init(_ spec: FieldSpec, collection: String) {
        self.spec = spec
        self.collection = collection
        switch spec.type {
        case .text: kind = .text
        case .integer: kind = .integer
        case .number: kind = .number
        case .money: kind = .money
        case .area: kind = .area
        case .date: kind = .date
        case .bool: kind = .bool
        case .enum: kind = .enumeration
        case .ref: kind = .ref
        case .idNumber: kind = .idNumber
        case .phone: kind = .phone
        case .creditCode: kind = .creditCode
        }
        vocabulary = spec.type.vocabulary
        let scale: Double = (kind == .money || kind == .area) ? 100 : 1
        var minimum = spec.min
        if spec.type.isQuantity && !spec.allowsNegative { minimum = max(minimum ?? 0, 0) }
        minReal = minimum
        maxReal = spec.max
        minInteger = minimum.map { FieldConverter.clampedInt64(($0 * scale).rounded(.up)) }
        maxInteger = spec.max.map { FieldConverter.clampedInt64(($0 * scale).rounded(.down)) }
    }

    /// `value` as Int64, saturating at the ends (bounds from manifests may be anything).
    static func clampedInt64(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9.2e18 { return Int64.max }
        if value <= -9.2e18 { return Int64.min }
        return Int64(value)
    }

    /// The most UTF-8 bytes one field holds (1 MiB): a ledger cell is never a document, and a
    /// runaway value (a file pasted into a field, a broken quote swallowing the rest of a CSV)
    /// should be an error that says so, not a silent 10 MB record.
    static let maxTextBytes = 1 << 20

    /// Refuses text no field may hold: over `maxTextBytes`, or holding NUL (U+0000), which C
    /// tools, exports and terminals cut the text at. The value in the error is shortened and
    /// NUL shown as \0.
    static func checkText(_ text: String, fail: (FieldInput, String) -> ValidationError) throws(ValidationError) {
        let size = text.utf8.count
        if size > maxTextBytes {
            throw fail(
                .text(String(text.prefix(24)) + "…"),
                "is \(size) bytes long; a field holds at most \(maxTextBytes) bytes (1 MiB)")
        }
        let hasNUL =
            text.utf8.withContiguousStorageIfAvailable { buffer in
                buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false
            } ?? text.utf8.contains(0)
        if hasNUL {
            let shown = String(text.replacingOccurrences(of: "\0", with: "\\0").prefix(64))
            throw fail(.text(shown), "contains a NUL character (byte 00)")
        }
    }

    private func fail(_ input: FieldInput, _ reason: String) -> ValidationError {
        ValidationError(collection: collection, field: spec.name, value: input.display, reason: reason)
    }

    /// The stored value for `input`. `storageForm` means money/area integers are already fen /
    /// hundredths (typed records); otherwise they are yuan / 亩. Null stays null (required-ness is
    /// checked by the record validator).
    func convert(_ given: FieldInput, storageForm: Bool = false, today: CalendarDate) throws(ValidationError)
        -> SQLValue
    {
        var input = given
        switch given {
        case .null: return .null
        case .text(let text):
            try FieldConverter.checkText(text, fail: { fail($0, $1) })
            // Trim once; everything below sees trimmed text.
            let trimmed = text.trimmingSpaces()
            if trimmed.isEmpty { return .null }
            input = .text(trimmed)
        default: break
        }
        switch kind {
        case .text:
            switch input {
            case .text(let text): return text.sqlValue
            case .integer(let value): return String(value).sqlValue
            case .double: return input.display.sqlValue
            case .bool(let value): return (value ? "true" : "false").sqlValue
            case .null: return .null
            }
        case .integer:
            let value = try integer(input)
            try checkBounds(value, input)
            return value.sqlValue
        case .ref:
            let value = try integer(input)
            if value <= 0 { throw fail(input, "is not a record id") }
            return value.sqlValue
        case .number:
            let value: Double
            switch input {
            case .integer(let integer): value = Double(integer)
            case .double(let double): value = double
            case .text(let text):
                guard let parsed = Double(text.trimmingSpaces()) else { throw fail(input, "is not a number") }
                value = parsed
            default: throw fail(input, "is not a number")
            }
            guard value.isFinite else { throw fail(input, "is not a finite number") }
            if let minReal, value < minReal {
                throw fail(
                    input,
                    minReal == 0 && spec.min == nil
                        ? "is negative" : "is less than the minimum \(FieldInput.shortest(minReal))")
            }
            if let maxReal, value > maxReal {
                throw fail(input, "is more than the maximum \(FieldInput.shortest(maxReal))")
            }
            return value.sqlValue
        case .money, .area:
            let hundredths: Int64
            do {
                switch input {
                case .text(let text): hundredths = try FixedPoint2.parse(text)
                case .double(let double):
                    if storageForm {
                        guard double == double.rounded() else { throw FixedPoint2.Failure.tooManyDecimals }
                        guard abs(double) < 9.0e15 else { throw FixedPoint2.Failure.outOfRange }
                        hundredths = Int64(double)
                    } else {
                        hundredths = try FixedPoint2.parse(double)
                    }
                case .integer(let integer): hundredths = storageForm ? integer : try FixedPoint2.parse(integer)
                default: throw fail(input, kind == .money ? "is not an amount of money" : "is not an area")
                }
            } catch let failure as FixedPoint2.Failure {
                throw fail(input, MoneyError(input: "", failure: failure).reason)
            } catch let error as ValidationError {
                throw error
            } catch {
                throw fail(input, "is not a number")
            }
            try checkBounds(hundredths, input)
            return hundredths.sqlValue
        case .date:
            let text: String
            switch input {
            case .text(let value): text = value.trimmingSpaces()
            case .integer(let value): text = String(value)
            default: throw fail(input, "is not a date (YYYY-MM-DD)")
            }
            guard let date = CalendarDate(parsing: text) else {
                throw fail(input, looksLikeDate(text) ? "is not a real date" : "is not a date (YYYY-MM-DD)")
            }
            return date.text.sqlValue
        case .bool:
            switch input {
            case .bool(let value): return (value ? 1 : 0).sqlValue
            case .integer(let value) where value == 0 || value == 1: return value.sqlValue
            case .double(let value) where value == 0 || value == 1: return Int64(value).sqlValue
            case .text(let text):
                if let value = FieldConverter.commonBool(text) { return value.sqlValue }
                switch text.trimmingSpaces().lowercased() {
                case "1", "true", "yes", "y", "是", "有", "√", "t": return Int64(1).sqlValue
                case "0", "false", "no", "n", "否", "无", "×", "f": return Int64(0).sqlValue
                default: throw fail(input, "is not a yes/no value")
                }
            default: throw fail(input, "is not a yes/no value")
            }
        case .enumeration:
            guard let vocabulary else { return .null }
            let text: String
            switch input {
            case .text(let value): text = value
            case .integer(let value): text = String(value)
            default: throw fail(input, notInVocabulary(vocabulary))
            }
            guard let canonical = vocabulary.canonical(text) else { throw fail(input, notInVocabulary(vocabulary)) }
            return canonical.sqlValue
        case .idNumber:
            let text: String
            switch input {
            case .text(let value): text = IDNumber.normalized(value)
            case .integer(let value): text = String(value)
            default: throw fail(input, "is not an ID number")
            }
            if let problem = IDNumber.problem(text, today: today) { throw fail(input, problem) }
            return text.sqlValue
        case .phone:
            let text: String
            switch input {
            case .text(let value): text = value.trimmingSpaces()
            case .integer(let value): text = String(value)
            default: throw fail(input, "is not a phone number")
            }
            guard let phone = PhoneNumber.normalized(text) else {
                throw fail(
                    input, "is not a mainland phone number (mobile 1[3-9] and 9 digits, or landline like 0477-8888888)")
            }
            return phone.sqlValue
        case .creditCode:
            guard case .text(let value) = input else { throw fail(input, "is not a unified social credit code") }
            let code = CreditCode.normalized(value)
            if let problem = CreditCode.problem(code) { throw fail(input, problem) }
            return code.sqlValue
        }
    }

    /// The stored form of a filter value: converted like an input (yuan → fen, aliases,
    /// date forms) but without bounds, non-negative, ID check-digit or phone checks, so any
    /// comparison can be expressed.
    func convertForFilter(_ input: FieldInput) throws(ValidationError) -> SQLValue {
        switch kind {
        case .integer, .ref:
            if case .null = input { return .null }
            return try integer(input).sqlValue
        case .number:
            switch input {
            case .integer(let value): return Double(value).sqlValue
            case .double(let value): return value.sqlValue
            case .text(let text):
                guard let value = Double(text.trimmingSpaces()) else { throw fail(input, "is not a number") }
                return value.sqlValue
            case .null: return .null
            case .bool: throw fail(input, "is not a number")
            }
        case .money, .area:
            do {
                switch input {
                case .text(let text): return try FixedPoint2.parse(text).sqlValue
                case .double(let double): return try FixedPoint2.parse(double).sqlValue
                case .integer(let integer): return try FixedPoint2.parse(integer).sqlValue
                case .null: return .null
                case .bool: throw fail(input, "is not a number")
                }
            } catch let failure as FixedPoint2.Failure {
                throw fail(input, MoneyError(input: "", failure: failure).reason)
            } catch let error as ValidationError {
                throw error
            } catch {
                throw fail(input, "is not a number")
            }
        case .idNumber:
            if case .text(let text) = input { return IDNumber.normalized(text).sqlValue }
            return try convert(input, today: CalendarDate(year: 9999, month: 12, day: 31) ?? CalendarDate.today())
        case .phone:
            if case .text(let text) = input { return (PhoneNumber.normalized(text) ?? text.trimmingSpaces()).sqlValue }
            if case .integer(let value) = input { return String(value).sqlValue }
            return .null
        default:
            return try convert(input, today: CalendarDate.today())
        }
    }

    /// 是/否/1/0 read from the bytes (the spellings of nearly every file), without the
    /// allocating lower-casing and Unicode comparisons of the general path; nil otherwise.
    static func commonBool(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { bytes -> Int64? in
            if bytes.count == 1 {
                if bytes[0] == 0x31 { return 1 }
                if bytes[0] == 0x30 { return 0 }
                return nil
            }
            guard bytes.count == 3 else { return nil }
            if bytes[0] == 0xE6 && bytes[1] == 0x98 && bytes[2] == 0xAF { return 1 }  // 是
            if bytes[0] == 0xE5 && bytes[1] == 0x90 && bytes[2] == 0xA6 { return 0 }  // 否
            return nil
        }
    }

    private func integer(_ input: FieldInput) throws(ValidationError) -> Int64 {
        switch input {
        case .integer(let value): return value
        case .double(let value):
            guard value == value.rounded(), abs(value) < 9.0e15 else { throw fail(input, "is not a whole number") }
            return Int64(value)
        case .text(let text):
            let trimmed = text.trimmingSpaces()
            if let value = Int64(trimmed) { return value }
            if trimmed.hasPrefix("+"), let value = Int64(trimmed.dropFirst()) { return value }
            // "3.0" from spreadsheets is a whole number.
            if let double = Double(trimmed), double == double.rounded(), abs(double) < 9.0e15 { return Int64(double) }
            throw fail(input, "is not a whole number")
        default: throw fail(input, "is not a whole number")
        }
    }

    private func checkBounds(_ value: Int64, _ input: FieldInput) throws(ValidationError) {
        let scaled = kind == .money || kind == .area
        if let minInteger, value < minInteger {
            if minInteger == 0 && (spec.min ?? 0) == 0 { throw fail(input, "is negative") }
            throw fail(input, "is less than the minimum \(bound(spec.min ?? 0, scaled))")
        }
        if let maxInteger, value > maxInteger {
            throw fail(input, "is more than the maximum \(bound(spec.max ?? 0, scaled))")
        }
    }

    private func bound(_ value: Double, _ scaled: Bool) -> String { FieldInput.shortest(value) }

    private func looksLikeDate(_ text: String) -> Bool {
        text.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".")
        }
    }

    private func notInVocabulary(_ vocabulary: Vocabulary) -> String {
        if vocabulary.values.count <= 12 {
            return "is not one of "
                + vocabulary.values.map { value in vocabulary.labels[value].map { "\(value)(\($0))" } ?? value }.joined(
                    separator: "/")
        }
        return "is not a value of \(vocabulary.label) (\(vocabulary.name))"
    }
}

extension FieldSpec {
    /// Converts and checks one value as this field would store it, without a database
    /// (references are not looked up). Used for plugin command arguments.
    ///
    /// Example: `try FieldSpec("date", .date, "日期").checked(.text("2019-02-30"), collection: "args")` throws.
    public func checked(_ input: FieldInput, collection: String, today: CalendarDate = .today()) throws(ValidationError)
        -> FieldValue
    {
        let stored = try FieldConverter(self, collection: collection).convert(input, today: today)
        return FieldValue(stored, type: type)
    }
}
