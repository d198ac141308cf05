import Foundation

/// Masking of the audit log's `before` and `after` values: JSON copies of records, in which the
/// personal fields are masked as they are in the records themselves (the rest stays readable).
///
/// An entry does not carry its collection's schema, so a key is masked when it names a personal
/// field of any collection of `schema` (masking more, never less). JSON that cannot be read is
/// masked whole.
///
/// Example: `AuditMasking.mask(#"{"id":1,"head_id_number":"152701198001011234"}"#, personal: ...)`
/// → `{"head_id_number":"1527**********1234","id":1}`.
public enum AuditMasking {
    /// Whether `field` is one of the audit log's change fields (`before`, `after`).
    public static func isChangeField(_ field: FieldSpec) -> Bool {
        // The names first: hashing a whole FieldSpec for every masked value was costly.
        (field.name == "before" || field.name == "after") && changeFields.contains(field)
    }

    static let changeFields: Set<FieldSpec> = Set(
        Schema.auditLog.fields.filter { $0.name == "before" || $0.name == "after" })

    /// Personal fields by name over every collection of `collections`.
    public static func personalFields(_ collections: [CollectionSchema]) -> [String: FieldSpec] {
        var personal: [String: FieldSpec] = [:]
        for collection in collections {
            for field in collection.fields where field.pii && !isChangeField(field) && personal[field.name] == nil {
                personal[field.name] = field
            }
        }
        return personal
    }

    /// The core collections' personal fields (when no workspace schema is at hand).
    public static let corePersonalFields = personalFields(Schema.core.collections)

    /// `json` with every value of a key in `personal` masked. Reads the three stored forms: an
    /// object, an array of objects, and bulk entries' `{"columns": [...], "rows": [[...]]}`.
    public static func mask(_ json: String, personal: [String: FieldSpec]) -> String {
        guard let data = json.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data) else {
            return Masking.other(json)
        }
        func maskObject(_ object: [String: Any]) -> [String: Any] {
            var copy = object
            for (key, value) in object {
                guard let field = personal[key] else { continue }
                if let text = value as? String {
                    copy[key] = Masking.mask(text, for: field)
                } else if !(value is NSNull) {
                    copy[key] = "*"
                }
            }
            return copy
        }
        let masked: Any
        if var object = value as? [String: Any], let columns = object["columns"] as? [String],
            let rows = object["rows"] as? [[Any]]
        {
            let fields = columns.map { personal[$0] }
            object["rows"] = rows.map { row in
                row.enumerated().map { i, cell -> Any in
                    guard i < fields.count, let field = fields[i] else { return cell }
                    if let text = cell as? String { return Masking.mask(text, for: field) }
                    return cell is NSNull ? cell : "*"
                }
            }
            masked = object
        } else if let object = value as? [String: Any] {
            masked = maskObject(object)
        } else if let array = value as? [[String: Any]] {
            masked = array.map(maskObject)
        } else {
            return Masking.other(json)
        }
        guard
            let out = try? JSONSerialization.data(
                withJSONObject: masked, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            return Masking.other(json)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
