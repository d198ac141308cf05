import FupinCore
import LuaKit

/// Reading a manifest table: every wrong field becomes one line of `PluginManifestError`
/// (all of them, not only the first), naming the field and the value.
extension PluginManifest {
    /// Parses the table `plugin.lua` returned for the plugin in folder `folderName`.
    public static func parse(_ table: LuaTable, folderName: String) throws -> PluginManifest {
        var reader = ManifestReader(plugin: folderName)
        guard let manifest = reader.read(table, folderName: folderName), reader.problems.isEmpty else {
            throw PluginManifestError(
                plugin: folderName, problems: reader.problems.isEmpty ? ["the manifest is not usable"] : reader.problems
            )
        }
        return manifest
    }
}

/// Collects problems while reading a manifest.
struct ManifestReader {
    let plugin: String
    var problems: [String] = []

    static let topKeys: Set<String> = [
        "name", "version", "api", "title", "description", "requires", "permissions",
        "limits", "ledgers", "commands", "exports", "homepage", "author", "license",
    ]

    mutating func problem(_ text: String) { problems.append(text) }

    mutating func string(_ t: LuaTable, _ key: String, at path: String, required: Bool = false) -> String? {
        let value = t.rawGet(.string(LuaString(key)))
        if case .string(let s) = value { return s.description }
        if value.isNil {
            if required { problem("\(path)\(key) is required") }
            return nil
        }
        problem("\(path)\(key) must be a string, not \(value.typeName)")
        return nil
    }

    mutating func table(_ t: LuaTable, _ key: String, at path: String) -> LuaTable? {
        let value = t.rawGet(.string(LuaString(key)))
        if case .table(let inner) = value { return inner }
        if !value.isNil { problem("\(path)\(key) must be a table, not \(value.typeName)") }
        return nil
    }

    mutating func read(_ t: LuaTable, folderName: String) -> PluginManifest? {
        t.forEach { key, _ in
            guard let key else { return }
            if !ManifestReader.topKeys.contains(key.description) { problem("unknown field '\(key.description)'") }
        }
        let name = string(t, "name", at: "", required: true) ?? folderName
        if !PluginManifest.isValidName(name) {
            problem("name \"\(name)\" must be lower-case letters, digits and '-', starting with a letter")
        } else if name != folderName {
            problem("name \"\(name)\" differs from its folder \"\(folderName)\"")
        }
        let versionText = string(t, "version", at: "", required: true) ?? "0.0.0"
        let version = SemanticVersion(versionText)
        if version == nil { problem("version \"\(versionText)\" is not a semantic version such as 1.0.0") }
        var api = 0
        switch t.rawGet("api") {
        case .integer(let n): api = Int(clamping: n)
        case .nil: problem("api is required (the plugin API version, currently 1)")
        case let other: problem("api must be an integer, not \(other.typeName)")
        }
        if api != 0 && !PluginManifest.supportedAPIs.contains(api) {
            problem(
                "api \(api) is not supported by this Fupin (it runs api \(PluginManifest.supportedAPIs.map(String.init).joined(separator: ", ")))"
            )
        }
        let title = string(t, "title", at: "") ?? name
        let description = string(t, "description", at: "") ?? ""
        let requires = readRequires(t)
        let permissions = readPermissions(t)
        let limits = readLimits(t)
        let ledgers = readLedgers(t, plugin: name)
        let commands = readCommands(t)
        var exportNames: [String] = []
        let exports = t.rawGet("exports")
        switch exports {
        case .nil: break
        case .table(let e): e.forEach { k, _ in if let k { exportNames.append(k.description) } }
        default: problem("exports must be a table, not \(exports.typeName)")
        }
        guard let version else { return nil }
        return PluginManifest(
            name: name, version: version, api: api, title: title, description: description,
            requires: requires, permissions: permissions, limits: limits, ledgers: ledgers,
            commands: commands, hasExports: !exports.isNil, exportNames: exportNames.sorted())
    }

    mutating func readRequires(_ t: LuaTable) -> [PluginRequirement] {
        guard let list = table(t, "requires", at: "") else { return [] }
        var result: [PluginRequirement] = []
        for (i, item) in list.toArray().enumerated() {
            guard case .string(let s) = item else {
                problem("requires[\(i + 1)] must be a string such as \"ledgers >= 1.0\""); continue
            }
            do { result.append(try PluginRequirement(parsing: s.description)) } catch {
                problem("requires[\(i + 1)]: \(error)")
            }
        }
        return result
    }

    mutating func readPermissions(_ t: LuaTable) -> Set<PluginPermission> {
        var result: Set<PluginPermission> = [.read]
        guard let list = table(t, "permissions", at: "") else { return result }
        for (i, item) in list.toArray().enumerated() {
            guard let s = item.stringValue, let p = PluginPermission(rawValue: s) else {
                let known = PluginPermission.allCases.map(\.rawValue).joined(separator: ", ")
                problem("permissions[\(i + 1)] \"\(item.stringValue ?? item.typeName)\" is not one of \(known)")
                continue
            }
            result.insert(p)
        }
        return result
    }

    mutating func readLimits(_ t: LuaTable) -> PluginLimits {
        var limits = PluginLimits.hostDefault
        guard let l = table(t, "limits", at: "") else { return limits }
        let maximum = PluginLimits.hostMaximum
        l.forEach { key, value in
            switch key?.description {
            case "memory_mb":
                guard let mb = value.doubleValue, mb > 0 else {
                    problem("limits.memory_mb must be a positive number"); return
                }
                if mb * 1_048_576 > Double(maximum.memoryBytes) {
                    problem("limits.memory_mb \(value) is more than the host allows (\(maximum.memoryBytes >> 20))")
                } else {
                    limits.memoryBytes = Int(mb * 1_048_576)
                }
            case "seconds":
                guard let s = value.doubleValue, s > 0 else {
                    problem("limits.seconds must be a positive number"); return
                }
                if s > maximum.seconds {
                    problem("limits.seconds \(value) is more than the host allows (\(Int(maximum.seconds)))")
                } else {
                    limits.seconds = s
                }
            default:
                problem("limits.\(key?.description ?? "?") is not a limit (memory_mb, seconds)")
            }
        }
        return limits
    }

    mutating func readCommands(_ t: LuaTable) -> [PluginCommandSpec] {
        guard let commands = table(t, "commands", at: "") else { return [] }
        var result: [PluginCommandSpec] = []
        commands.forEach { key, value in
            guard let key, case .string = key else { problem("commands must be keyed by command name"); return }
            let name = key.description
            let path = "commands.\(name)."
            if !isValidCommandName(name) {
                problem("commands.\(name): a command name is lower-case letters, digits, '-' and '_'")
            }
            guard case .table(let c) = value else {
                problem("commands.\(name) must be a table with a run function"); return
            }
            if c.rawGet("run").functionValue == nil { problem("\(path)run must be a function") }
            let summary = string(c, "summary", at: path) ?? ""
            let help = string(c, "help", at: path)
            var arguments: [PluginArgument] = []
            if let args = table(c, "args", at: path) {
                for (i, item) in args.toArray().enumerated() {
                    guard case .table(let a) = item else { problem("\(path)args[\(i + 1)] must be a table"); continue }
                    if let argument = readArgument(a, at: "\(path)args[\(i + 1)].") {
                        if arguments.contains(where: { $0.name == argument.name }) {
                            problem("\(path)args: '\(argument.name)' is declared twice")
                        }
                        arguments.append(argument)
                    }
                }
            }
            if let formats = table(c, "formats", at: path) {
                arguments += sharedOutputArguments(formats, of: name, declared: arguments, at: path)
            }
            result.append(PluginCommandSpec(name: name, summary: summary, arguments: arguments, help: help))
        }
        return result.sorted { $0.name < $1.name }
    }

    func isValidCommandName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (97...122).contains(first) else { return false }
        return name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 }
    }

    /// The host's shared output arguments for a command declaring `formats = { "txt", ...,
    /// help = "...", output = "..." }`: `--format` (those values, the first by default; `help`
    /// describes them) and `-o`/`--output` (a file, a bare name under exports/; `output` says
    /// what is written without it), so every plugin offers them alike. A command that declares
    /// either itself as well is refused: one of the two would silently win.
    mutating func sharedOutputArguments(
        _ formats: LuaTable, of command: String, declared: [PluginArgument],
        at path: String
    ) -> [PluginArgument] {
        let list = formats.toArray().compactMap(\.stringValue)
        guard !list.isEmpty, list.count == formats.rawLength, Set(list).count == list.count else {
            problem("\(path)formats must be a list of distinct format names, e.g. { \"txt\", \"xlsx\" }")
            return []
        }
        if declared.contains(where: { $0.name == "format" || $0.name == "output" }) {
            problem("\(path)formats: the host adds --format and -o itself; declare neither in args")
            return []
        }
        // `help` says what the formats are, `output` what file is written when -o is not given.
        let formatHelp = string(formats, "help", at: "\(path)formats.") ?? "how to write the result"
        let outputDefault = string(formats, "output", at: "\(path)formats.") ?? "print"
        return [
            PluginArgument(
                name: "format", kind: .field(.enum(Vocabulary("\(plugin).\(command).format", "format", list))),
                required: false, short: nil, help: formatHelp, defaultText: list[0], positional: false),
            PluginArgument(
                name: "output", kind: .path, required: false, short: "o",
                help: "file to write (a bare name goes under exports/; default: \(outputDefault))",
                defaultText: nil, positional: false),
        ]
    }

    mutating func readArgument(_ a: LuaTable, at path: String) -> PluginArgument? {
        guard let rawName = string(a, "name", at: path, required: true) else { return nil }
        let name = rawName.replacingOccurrences(of: "-", with: "_")
        guard SQLNames.isPlain(name) else {
            problem("\(path)name \"\(rawName)\" must be letters, digits and '_'"); return nil
        }
        // One meaning for `--as-of` on every command: the host's reading of the ledgers then.
        guard name != "as_of" else {
            problem(
                "\(path)name \"\(rawName)\" is taken by the host's --as-of (the ledgers as they stood then, "
                    + "with ctx.today that day); give the command's own date another name, such as on")
            return nil
        }
        let typeName = string(a, "type", at: path) ?? "text"
        let kind: PluginArgument.Kind
        switch typeName {
        case "path": kind = .path
        case "list": kind = .list
        default:
            guard let type = fieldType(typeName, a, at: path, plugin: plugin, field: name) else { return nil }
            kind = .field(type)
        }
        var short: Character?
        if let s = string(a, "short", at: path) {
            if s.count == 1, let c = s.first, c.isASCII, c.isLetter {
                short = c
            } else {
                problem("\(path)short must be one letter")
            }
        }
        var defaultText: String?
        switch a.rawGet("default") {
        case .nil: break
        case .string(let s): defaultText = s.description
        case .integer(let n): defaultText = String(n)
        case .number(let d): defaultText = FieldInput.shortest(d)
        case .boolean(let b): defaultText = b ? "true" : "false"
        case let other: problem("\(path)default must be a string, number or boolean, not \(other.typeName)")
        }
        return PluginArgument(
            name: name, kind: kind, required: a.rawGet("required").boolValue == true, short: short,
            help: string(a, "help", at: path) ?? "", defaultText: defaultText,
            positional: a.rawGet("positional").boolValue == true)
    }

    /// A field type from its manifest name (`enum` reads `values`, `ref` reads `to`).
    mutating func fieldType(_ typeName: String, _ t: LuaTable, at path: String, plugin: String, field: String)
        -> FieldType?
    {
        switch typeName {
        case "text": return .text
        case "integer": return .integer
        case "number": return .number
        case "money": return .money
        case "area": return .area
        case "date": return .date
        case "bool": return .bool
        case "id_number": return .idNumber
        case "phone": return .phone
        case "credit_code": return .creditCode
        case "ref":
            guard let to = string(t, "to", at: path, required: true) else { return nil }
            return .ref(to)
        case "enum":
            guard let values = table(t, "values", at: path) else {
                problem("\(path)values is required for an enum"); return nil
            }
            let list = values.toArray().compactMap(\.stringValue)
            if list.isEmpty || list.count != values.rawLength {
                problem("\(path)values must be a non-empty list of strings"); return nil
            }
            if Set(list).count != list.count { problem("\(path)values lists a value twice") }
            return .enum(Vocabulary("\(plugin).\(field)", field, list))
        default:
            problem(
                "\(path)type \"\(typeName)\" is not one of text, integer, number, money, area, date, bool, enum, ref, id_number, phone, credit_code"
            )
            return nil
        }
    }
}

/// Names a manifest may give ledgers, fields, arguments and modules: plain SQL identifiers
/// of at most 64 bytes.
enum SQLNames {
    static func isPlain(_ name: String) -> Bool {
        name.utf8.count <= 64 && SQLIdentifier.isPlain(name)
    }
}
