/// Masks personal data for lists, printouts and exports (unless the user asks for full values):
/// ID numbers keep the first 4 and last 4 characters, phones the first 3 and last 4 digits.
///
/// Example: `Masking.idNumber("152701198001011234") == "1527**********1234"`,
/// `Masking.phone("13800135678") == "138****5678"`.
public enum Masking {
    /// `1527**********1234`; text of 8 characters or fewer is masked whole.
    public static func idNumber(_ value: String) -> String {
        keep(value, first: 4, last: 4)
    }

    /// `138****5678` for mobiles; landlines keep the area code and last 4 (`0477-***8888`).
    public static func phone(_ value: String) -> String {
        if let dash = value.firstIndex(of: "-"), value.hasPrefix("0") {
            let area = value[..<dash]
            let rest = String(value[value.index(after: dash)...])
            return area + "-" + keep(rest, first: 0, last: 4)
        }
        return keep(value, first: 3, last: 4)
    }

    /// Any other personal text (health status, bank account): every character but the first.
    public static func other(_ value: String) -> String {
        keep(value, first: value.count > 8 ? 4 : 1, last: value.count > 8 ? 4 : 0)
    }

    /// The masked form of a value of `field` (unchanged when the field is not personal data).
    /// `personal` names the personal fields the audit log's `before`/`after` JSON may hold
    /// (`AuditMasking`); by default those of the core collections.
    public static func mask(_ value: String, for field: FieldSpec, personal: [String: FieldSpec]? = nil) -> String {
        guard field.pii, !value.isEmpty else { return value }
        if AuditMasking.isChangeField(field) {
            return AuditMasking.mask(value, personal: personal ?? AuditMasking.corePersonalFields)
        }
        switch field.type {
        case .idNumber: return idNumber(value)
        case .phone: return phone(value)
        default: return other(value)
        }
    }

    static func keep(_ value: String, first: Int, last: Int) -> String {
        // ID numbers and phones are printable ASCII, one character per byte: mask the bytes
        // (splitting into Characters is most of the cost of reading masked records).
        var text = value
        if let masked = text.withUTF8({ bytes -> String? in
            guard isPrintableASCII(UnsafeRawBufferPointer(bytes)) else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                maskBytes(
                    UnsafeRawBufferPointer(bytes), first: first, last: last, into: UnsafeMutableRawBufferPointer(out))
                return bytes.count
            }
        }) {
            return masked
        }
        let characters = Array(value)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last)
            + String(characters.suffix(last))
    }

    /// Whether every byte is a printable ASCII character (one character per byte).
    static func isPrintableASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Writes `bytes` to `out` (as long) with all but the first `first` and last `last` bytes
    /// starred; all starred when there are no more than `first + last`.
    static func maskBytes(
        _ bytes: UnsafeRawBufferPointer, first: Int, last: Int, into out: UnsafeMutableRawBufferPointer
    ) {
        let count = bytes.count
        let whole = count <= first + last
        for i in 0..<count { out[i] = !whole && (i < first || i >= count - last) ? bytes[i] : UInt8(ascii: "*") }
    }
}

extension Masking {
    /// `mask` for one field, byte for byte, on text read straight from a store's buffers: the
    /// rule of ID numbers and phones, which keep characters at each end. Reading a masked
    /// record then makes no `String` per personal cell (iter's hot path).
    ///
    /// Example: `Masking.ASCIIRule(phoneField)?.withMasked(bytes) { out.append(contentsOf: $0) }`.
    public struct ASCIIRule: Sendable, Equatable {
        let first: Int
        let last: Int
        /// A phone: a landline (`0477-…`) keeps its area code, so takes `mask`'s String path.
        let phone: Bool

        /// The rule of `field`; nil where `mask` needs more than bytes (other personal types
        /// count characters; the audit log's change fields hold JSON) or leaves it alone.
        public init?(_ field: FieldSpec) {
            guard field.pii, !AuditMasking.isChangeField(field) else { return nil }
            switch field.type {
            case .idNumber: (first, last, phone) = (4, 4, false)
            case .phone: (first, last, phone) = (3, 4, true)
            default: return nil
            }
        }

        /// Calls `body` with the masked form of `bytes` (valid during the call; equal to
        /// `mask`'s) and returns true; returns false without calling it where the rule cannot
        /// mask them byte for byte (not printable ASCII, a landline): mask the String then.
        public func withMasked(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
            guard Masking.isPrintableASCII(bytes) else { return false }
            if phone, bytes.first == UInt8(ascii: "0"), bytes.contains(UInt8(ascii: "-")) { return false }
            withUnsafeTemporaryAllocation(byteCount: max(bytes.count, 1), alignment: 1) { buffer in
                let out = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])
                Masking.maskBytes(bytes, first: first, last: last, into: out)
                body(UnsafeRawBufferPointer(out))
            }
            return true
        }
    }
}
