import Foundation

/// How a value recorded in the audit log (money in fen, areas in hundredths, yes/no as 0/1,
/// text) reads to a user: yuan, 亩, 是/否 — as `fp.show` shows them — with personal data masked
/// unless `unmask`. `fupin audit` and the dry-run report both use it.
///
/// Example: `AuditDisplay.text(NSNumber(value: 1380000), field: wageField) == "13800.00"`.
public enum AuditDisplay {
    /// The value as the user reads it, or nil for a null or absent value.
    public static func text(_ value: Any?, field: FieldSpec?, unmask: Bool = false) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        let raw: String
        if let number = value as? NSNumber, let field {
            switch field.type {
            case .money: raw = Money(fen: number.int64Value).yuanText
            case .area: raw = Area(hundredths: number.int64Value).muText
            case .bool: raw = number.boolValue ? "是" : "否"
            default: raw = "\(number)"
            }
        } else {
            raw = "\(value)"
        }
        guard !unmask, let field else { return raw }
        return Masking.mask(raw, for: field)
    }
}
