import FupinCore
import LuaKit

/// Ledger declarations: `ledgers = { sales = { label, summary, fields = {...}, derive = {...} } }`
/// becomes one `CollectionSchema` per ledger.
extension ManifestReader {
    static let ledgerKeys: Set<String> = [
        "label", "summary", "fields", "derive", "date_field", "year_field", "keeps_valid", "transitions",
    ]
    static let fieldKeys: Set<String> = [
        "name", "type", "label", "required", "min", "max", "unique", "pii", "help", "values", "to", "default",
    ]

    mutating func readLedgers(_ t: LuaTable, plugin: String) -> [CollectionSchema] {
        guard let ledgers = table(t, "ledgers", at: "") else { return [] }
        var result: [CollectionSchema] = []
        ledgers.forEach { key, value in
            guard let key, case .string = key else { problem("ledgers must be keyed by ledger name"); return }
            let name = key.description
            guard SQLNames.isPlain(name), name == name.lowercased() else {
                problem("ledgers.\(name): a ledger name is lower-case letters, digits and '_'")
                return
            }
            guard case .table(let l) = value else { problem("ledgers.\(name) must be a table"); return }
            if let ledger = readLedger(name, l, plugin: plugin) { result.append(ledger) }
        }
        return ManifestReader.referencedFirst(result.sorted { $0.name < $1.name })
    }

    /// Ledgers in an order where one that refers to another ledger of the same plugin comes
    /// after it (partnership_progress after partnerships), so each registers against tables
    /// that exist; otherwise by name. A cycle keeps the remaining ledgers by name.
    static func referencedFirst(_ ledgers: [CollectionSchema]) -> [CollectionSchema] {
        let names = Set(ledgers.map(\.name))
        var done: Set<String> = []
        var ordered: [CollectionSchema] = []
        var pending = ledgers
        while !pending.isEmpty {
            let ready =
                pending.firstIndex { ledger in
                    ledger.referenceFields.allSatisfy { field in
                        guard let target = field.referencedCollection, names.contains(target), target != ledger.name
                        else { return true }
                        return done.contains(target)
                    }
                } ?? 0
            let next = pending.remove(at: ready)
            done.insert(next.name)
            ordered.append(next)
        }
        return ordered
    }

    mutating func readLedger(_ name: String, _ l: LuaTable, plugin: String) -> CollectionSchema? {
        let path = "ledgers.\(name)."
        l.forEach { key, _ in
            if let key, !ManifestReader.ledgerKeys.contains(key.description) {
                problem("\(path)\(key.description) is not a ledger setting")
            }
        }
        let label = string(l, "label", at: path) ?? name
        let summary = string(l, "summary", at: path) ?? ""
        guard let list = table(l, "fields", at: path) else { problem("\(path)fields is required"); return nil }
        var fields: [FieldSpec] = []
        for (i, item) in list.toArray().enumerated() {
            guard case .table(let f) = item else { problem("\(path)fields[\(i + 1)] must be a table"); continue }
            if let field = readField(f, at: "\(path)fields[\(i + 1)].", plugin: plugin, ledger: name) {
                if fields.contains(where: { $0.name == field.name }) {
                    problem("\(path)fields: '\(field.name)' is declared twice")
                }
                fields.append(field)
            }
        }
        if fields.isEmpty { problem("\(path)fields must declare at least one field") }
        var rules: [CollectionRule] = []
        if let derive = table(l, "derive", at: path) {
            derive.forEach { key, value in
                let result = key?.description ?? "?"
                let factors = value.tableValue?.toArray().compactMap(\.stringValue) ?? []
                guard factors.count == 2 else {
                    problem("\(path)derive.\(result) must list two fields, e.g. { \"quantity\", \"unit_price\" }");
                    return
                }
                for f in [result] + factors {
                    guard let field = fields.first(where: { $0.name == f }) else {
                        problem("\(path)derive.\(result) names unknown field '\(f)'"); return
                    }
                    guard field.type.isQuantity else {
                        problem("\(path)derive.\(result): '\(f)' is \(field.type.name), not a number"); return
                    }
                }
                rules.append(.product(result, factors: factors))
            }
        }
        if let transitions = table(l, "transitions", at: path) {
            transitions.forEach { key, value in
                let name = key?.description ?? "?"
                guard let field = fields.first(where: { $0.name == name }), field.type.storage == .text else {
                    problem("\(path)transitions.\(name) must name a text or enum field of the ledger")
                    return
                }
                guard case .table(let map) = value else {
                    problem("\(path)transitions.\(name) must map each value to the values that may follow it"); return
                }
                var allowed: [String: [String]] = [:]
                map.forEach { from, next in
                    let list = next.tableValue?.toArray().compactMap(\.stringValue) ?? []
                    guard let from = from?.description, next.tableValue?.rawLength == list.count else {
                        problem("\(path)transitions.\(name): each value maps to a list of values")
                        return
                    }
                    for v in [from] + list where field.type.vocabulary.map({ !$0.contains(v) }) ?? false {
                        problem("\(path)transitions.\(name): \(v) is not one of the field's values")
                    }
                    allowed[from] = list
                }
                rules.append(.transitions(name, allowed: allowed))
            }
        }
        let dateField = string(l, "date_field", at: path) ?? fields.first(where: { $0.type == .date })?.name
        let yearField = string(l, "year_field", at: path)
        if let dateField, fields.first(where: { $0.name == dateField })?.type != .date {
            problem("\(path)date_field '\(dateField)' is not a date field")
        }
        if let yearField, fields.first(where: { $0.name == yearField })?.type != .integer {
            problem("\(path)year_field '\(yearField)' is not an integer field")
        }
        let keepsValid = l.rawGet("keeps_valid").boolValue ?? true
        return CollectionSchema(
            name: name, label: label, summary: summary, fields: fields, keepsValidFlag: keepsValid,
            dateField: dateField, yearField: yearField, rules: rules)
    }

    mutating func readField(_ f: LuaTable, at path: String, plugin: String, ledger: String) -> FieldSpec? {
        f.forEach { key, _ in
            if let key, !ManifestReader.fieldKeys.contains(key.description) {
                problem("\(path)\(key.description) is not a field setting")
            }
        }
        guard let name = string(f, "name", at: path, required: true) else { return nil }
        guard SQLNames.isPlain(name), name != CollectionSchema.idField else {
            problem("\(path)name \"\(name)\" must be letters, digits and '_' (and not id)")
            return nil
        }
        guard let typeName = string(f, "type", at: path, required: true),
            let type = fieldType(typeName, f, at: path, plugin: plugin, field: "\(ledger).\(name)")
        else { return nil }
        func bound(_ key: String) -> Double? {
            let v = f.rawGet(.string(LuaString(key)))
            if v.isNil { return nil }
            guard let d = v.doubleValue else { problem("\(path)\(key) must be a number"); return nil }
            if !type.isQuantity { problem("\(path)\(key) applies only to numbers, money and area") }
            return d
        }
        let minimum = bound("min")
        let maximum = bound("max")
        if let minimum, let maximum, minimum > maximum { problem("\(path)min \(minimum) is more than max \(maximum)") }
        var defaultValue: FieldSpec.DefaultValue?
        switch f.rawGet("default") {
        case .nil: break
        case .boolean(let b) where type == .bool: defaultValue = .integer(b ? 1 : 0)
        case .integer(let n) where type == .integer: defaultValue = .integer(n)
        case .string(let s) where type.storage == .text: defaultValue = .text(s.description)
        case let other: problem("\(path)default \(other) does not fit type \(type.name)")
        }
        let pii = f.rawGet("pii").boolValue ?? (type == .idNumber || type == .phone)
        return FieldSpec(
            name, type, string(f, "label", at: path) ?? name,
            required: f.rawGet("required").boolValue == true, min: minimum, max: maximum, pii: pii,
            unique: f.rawGet("unique").boolValue == true, allowsNegative: (minimum ?? 0) < 0,
            defaultValue: defaultValue, help: string(f, "help", at: path))
    }
}
