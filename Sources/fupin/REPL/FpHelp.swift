import FupinCore
import FupinScripting
import LuaKit

/// Help on the `fp` API at the prompt — `help(fp.households)`, `help(fp.households.where)`,
/// `help("sql")`, `:help where` — from the data the type stubs are written from (`FpAPI`,
/// the workspace schema, the plugin manifests): a signature, a sentence and an example.
///
/// ```text
/// > :help where
/// collection:where(filter: fp.Filter) → fp.Query
///   Narrows the query: ...
/// Example:
///   fp.distributions:where{ item = '雏鸡', year = 2019 }
/// ```
struct FpHelp {
    let host: FupinHost

    /// Installs `help` as a REPL local and `:help NAME` for API names.
    func install(in session: ReplSession) throws {
        let describe = session.lua.function { [host] frame in
            let help = FpHelp(host: host)
            let kind = try frame.string(1)
            let name = try frame.optionalString(2)
            let detail = try frame.optionalString(3)
            guard let text = help.text(kind: kind, name: name, detail: detail) else { frame.pushNil(); return 1 }
            frame.push(.text(text))
            return 1
        }
        let chunk = try session.lua.load(bytes: PackageResources.repl_help_lua, chunkName: "=fupin.help", mode: "t")
        guard let fp = host.fpTable,
            let help = try chunk.call(.function(describe), .table(fp)).first, case .function = help
        else { return }
        session.environment.declare("help", help)
        session.helpLookups.append { name in FpHelp(host: host).text(forName: name) }
    }

    /// What `repl_help.lua` asks for: `kind` is overview, fp, plugins, name, collection,
    /// function, method (name, collection), plugin or command (plugin, command).
    func text(kind: String, name: String?, detail: String?) -> String? {
        switch kind {
        case "overview": return overview
        case "fp": return fpText
        case "plugins": return pluginsText
        case "name": return name.flatMap(text(forName:))
        case "collection": return name.flatMap(collectionText)
        case "function":
            return name.flatMap { n in FpAPI.functions.first { $0.name == n } }.map { memberText($0, owner: "fp.") }
        // Every collection shares the query methods: only a helper belongs to `detail`.
        case "method": return name.flatMap { methodText($0, collection: detail, named: false) }
        case "plugin": return name.flatMap(pluginText)
        case "command": return name.flatMap { p in detail.flatMap { commandText(plugin: p, command: $0) } }
        default: return nil
        }
    }

    /// Help for a name typed after `:help` or given to `help("...")`.
    func text(forName raw: String) -> String? {
        var name = raw
        if name == "fp" { return fpText }
        if name.hasPrefix("fp.") { name.removeFirst(3) }
        if name == "plugins" { return pluginsText }
        if name == "report" { return reportText }
        if name.hasPrefix("report."), let m = FpAPI.report.first(where: { "report." + $0.name == name }) {
            return memberText(m, owner: "fp.report.")
        }
        if let text = collectionText(name) { return text }
        if let m = FpAPI.functions.first(where: { $0.name == name }) { return memberText(m, owner: "fp.") }
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2, host.workspace.schema[parts[0]] != nil {
            return methodText(parts[1], collection: parts[0], named: true)
        }
        if let text = methodText(name, collection: nil, named: false) { return text }
        if let m = FpAPI.report.first(where: { $0.name == name }) { return memberText(m, owner: "fp.report.") }
        if let text = pluginText(name) { return text }
        let command = name.split(separator: ".", maxSplits: 1).map(String.init)
        if command.count == 2, let text = commandText(plugin: command[0], command: command[1]) { return text }
        return nil
    }

    // MARK: - Texts

    var overview: String {
        """
        help(x) explains a part of the fp API: help(fp), help(fp.households), help(fp.households.where),
        help(fp.plugins["produce-sales"].summary), or a name: help("sql"), :help where.
        Example:
          help(fp.households.where)
        """
    }

    var fpText: String {
        let functions = FpAPI.functions.map(\.name).joined(separator: ", ")
        return """
            fp — the workspace: one object per collection (fp.households ...), functions and plugins.
              collections: \(host.workspace.schema.names.joined(separator: ", "))
              functions: \(functions); fp.report (documents), fp.plugins (plugin commands)
            Example:
              fp.households:where{ standard = '国家' }:count()
            """
    }

    var pluginsText: String {
        let enabled = host.plugins?.plugins.filter(\.isEnabled) ?? []
        let names = enabled.map { "fp.plugins[\"\($0.name)\"]" }.joined(separator: ", ")
        return """
            fp.plugins — the commands of the enabled plugins, by plugin name: \(names.isEmpty ? "none" : names).
              Each command is a function of one table of arguments (:plugins lists the plugins).
            Example:
              \(enabled.first.flatMap { p in p.manifest?.commands.first.map { commandExample(plugin: p.name, $0) } } ?? "fp.plugins")
            """
    }

    var reportText: String {
        """
        fp.report — documents of sections, paragraphs, tables and charts, as Markdown, HTML or text.
          functions: \(FpAPI.report.map(\.name).joined(separator: ", "))
          document methods: \(FpAPI.reportMethods.map(\.name).joined(separator: ", "))
        Example:
          \(FpAPI.report[0].example)
        """
    }

    func collectionText(_ name: String) -> String? {
        guard let schema = host.workspace.schema[name] else { return nil }
        let fields = ([CollectionSchema.idField] + schema.fields.map(\.name)).joined(separator: ", ")
        let helpers = FpAPI.helpers.filter { $0.collection == name }.map(\.member.name)
        let methods = [FpAPI.collectionMethods.map(\.name), FpAPI.queryMethods.map(\.name), helpers]
            .filter { !$0.isEmpty }.map { $0.joined(separator: ", ") }.joined(separator: "; ")
        return """
            fp.\(name) — \(schema.label): a collection, and the query of all its valid records.
              fields: \(fields) (:schema \(name) gives their types and labels)
              methods: \(methods)
            Example:
              fp.\(name):order_by('id'):limit(5)
            """
    }

    /// A collection or query method, or a helper of `collection` (any collection's when nil);
    /// `named`: the signature says `fp.<collection>:` rather than `collection:`.
    func methodText(_ name: String, collection: String?, named: Bool) -> String? {
        let helper = FpAPI.helpers.first {
            $0.member.name == name && (collection == nil || $0.collection == collection)
        }
        if let helper { return memberText(helper.member, owner: "fp.\(helper.collection):") }
        guard let member = (FpAPI.collectionMethods + FpAPI.queryMethods).first(where: { $0.name == name }) else {
            return nil
        }
        return memberText(member, owner: named ? collection.map { "fp.\($0):" } ?? "collection:" : "collection:")
    }

    /// `(filter: fp.Filter) → fp.Query`: the arrow of `:schema`, and no `> ` that could be
    /// taken for the prompt by whoever reads the screen.
    static func signature(_ member: FpAPI.Member) -> String {
        "(" + member.parameters.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ")"
            + (member.returns.isEmpty ? "" : " → " + member.returns)
    }

    func memberText(_ member: FpAPI.Member, owner: String) -> String {
        var lines = [owner + member.name + FpHelp.signature(member), "  " + member.summary]
        let width = member.parameters.map { DisplayWidth.width($0.0) }.max() ?? 0
        for (name, type, doc) in member.parameters {
            lines.append("  " + DisplayWidth.pad(name, to: width) + "  " + type + (doc.isEmpty ? "" : " — " + doc))
        }
        lines += ["Example:", "  " + member.example]
        return lines.joined(separator: "\n")
    }

    func pluginText(_ name: String) -> String? {
        guard let plugin = host.plugins?.plugin(name) else { return nil }
        guard plugin.isEnabled, let manifest = plugin.manifest else {
            return "plugin \(name) is disabled: \(plugin.problem ?? "not loaded") (:plugins lists the plugins)"
        }
        let width = manifest.commands.map { DisplayWidth.width($0.name) }.max() ?? 0
        let commands = manifest.commands.map { "  " + DisplayWidth.pad($0.name, to: width) + "  " + $0.summary }
        return
            (["fp.plugins[\"\(name)\"] — \(manifest.title) (\(name) \(manifest.version)): \(manifest.description)"]
            + commands + [
                "Example:",
                "  " + (manifest.commands.first.map { commandExample(plugin: name, $0) } ?? "help(fp.plugins)"),
            ])
            .joined(separator: "\n")
    }

    func commandText(plugin: String, command: String) -> String? {
        guard let manifest = host.plugins?.plugin(plugin)?.manifest,
            let spec = manifest.command(command)
                ?? manifest.commands.first(where: { $0.name.replacingOccurrences(of: "-", with: "_") == command })
        else { return nil }
        let signature = spec.arguments.map { "\($0.name)\($0.required ? "" : "?"): \($0.kind.name)" }.joined(
            separator: ", ")
        var lines = ["fp.plugins[\"\(plugin)\"].\(luaName(spec.name)){ \(signature) }", "  " + spec.summary]
        let width = spec.arguments.map { DisplayWidth.width($0.name) }.max() ?? 0
        for argument in spec.arguments {
            var doc = argument.help
            if argument.required { doc += doc.isEmpty ? "required" : " (required)" }
            if let value = argument.defaultText { doc += (doc.isEmpty ? "" : " ") + "(default \(value))" }
            lines.append(
                "  " + DisplayWidth.pad(argument.name, to: width) + "  " + argument.kind.name
                    + (doc.isEmpty ? "" : " — " + doc))
        }
        lines += ["Example:", "  " + commandExample(plugin: plugin, spec)]
        return lines.joined(separator: "\n")
    }

    /// A call with a made-up value for each required argument.
    func commandExample(plugin: String, _ spec: PluginCommandSpec) -> String {
        let arguments = spec.arguments.filter(\.required).map { "\($0.name) = \(sampleValue($0))" }
        return "fp.plugins[\"\(plugin)\"].\(luaName(spec.name)){"
            + (arguments.isEmpty ? "" : " " + arguments.joined(separator: ", ") + " ") + "}"
    }

    private func luaName(_ command: String) -> String { command.replacingOccurrences(of: "-", with: "_") }

    private func sampleValue(_ argument: PluginArgument) -> String {
        switch argument.kind {
        case .path: return "'out.csv'"
        case .list: return "'a,b'"
        case .field(let type):
            switch type {
            case .integer: return argument.name.contains("year") ? "2019" : "1"
            case .number, .money, .area, .ref: return "1"
            case .bool: return "true"
            case .date: return "'2019-01-01'"
            case .enum(let vocabulary): return "'\(vocabulary.values.first ?? "")'"
            default: return "'…'"
            }
        }
    }
}
