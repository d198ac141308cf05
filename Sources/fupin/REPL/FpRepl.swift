import Foundation
import FupinCore
import FupinScripting
import LuaKit

/// The REPL over a workspace: every input is one unit of work of the `fp` host (one
/// transaction; `:dry-run on` rolls each back after saying what it would change), records
/// and queries print as aligned tables, and the fp meta-commands are registered.
///
/// ```text
/// > fp.households:where{ standard = '国家' }
/// id  number  head_name ...
/// (6 rows)
/// > :dry-run on
/// ```
final class FpReplHost: ReplHost {
    let host: FupinHost
    var dryRun = false

    init(host: FupinHost) { self.host = host }

    func runUnit(_ body: () throws -> [LuaValue]) throws -> [LuaValue] {
        let (values, changes) = try host.runUnit(dryRun: dryRun, body)
        if let changes, !changes.isEmpty {
            print("dry run — rolled back; it would have made: \(changes)")
        }
        return values
    }

    /// Whether `table` is what `fp.format` shows as a ledger table: a collection or query,
    /// a record, or a non-empty list of records of one collection. Anything else (a `group_by` result, a
    /// summary, `{ a = 1 }`) is left to the default printer.
    static func isLedgerData(_ table: LuaTable, in host: FupinHost) -> Bool {
        if table.rawGet("_c").stringValue != nil || host.recordCollection(table) != nil { return true }
        let entries = TableEntries(table)
        guard entries.keyed.isEmpty, case .table(let first)? = entries.sequence.first,
            let collection = host.recordCollection(first)
        else { return false }
        return entries.sequence.allSatisfy { item in
            if case .table(let record) = item { return host.recordCollection(record) == collection }
            return false
        }
    }

    /// How a record met inside another table prints: `<households #1>`, its fields left out
    /// (they may hold personal data, which only the ledger table display masks).
    static func recordLabel(in host: FupinHost) -> (LuaTable) -> String? {
        { table in
            host.recordCollection(table).map { name in
                "<\(name) #\(table.rawGet("id").intValue.map(String.init) ?? "?")>"
            }
        }
    }

    /// Connects `session` to the host: unit of work, printer, meta-commands.
    func install(in session: ReplSession) {
        session.host = self
        let host = self.host
        session.printers.insert(
            ClosurePrinter { values, context in
                guard values.count == 1, case .table(let table) = values[0], FpReplHost.isLedgerData(table, in: host)
                else { return nil }
                var options = ShowOptions()
                options.mode = RenderMode(rawValue: context.mode.rawValue) ?? .table
                options.width = context.paging ? nil : context.width
                return try host.format(values[0], options: options)
            }, at: 0)
        session.register(
            metaCommand: ReplMetaCommand(
                name: "collections", summary: "List every collection (core and plugin ledgers) with its count.",
                run: { session, _ in
                    let lines = try host.runUnit {
                        try host.workspace.schema.collections.map { c -> String in
                            let n = try host.lua.run(string: "return fp['\(c.name)']:count()").first?.intValue ?? 0
                            return "\(PluginHelp.pad(c.name, to: 22)) \(PluginHelp.pad(c.label, to: 16))  (\(n))"
                        }
                    }.0
                    print(lines.joined(separator: "\n"))
                }))
        session.register(
            metaCommand: ReplMetaCommand(
                name: "schema", arguments: "NAME",
                summary: "Show a collection's fields: name, type, label, required, reference.",
                completeArgument: { _, _, partial in host.workspace.schema.names.filter { $0.hasPrefix(partial) } },
                run: { _, args in
                    guard let name = args.first, let schema = host.workspace.schema[name] else {
                        throw ReplCommandError(
                            "usage: :schema NAME (one of: \(host.workspace.schema.names.joined(separator: ", ")))")
                    }
                    print("\(schema.name) — \(schema.label)")
                    // Columns sized by terminal width (a CJK label takes two columns a character).
                    let nameWidth = schema.fields.map { DisplayWidth.width($0.name) }.max() ?? 0
                    let typeWidth = schema.fields.map { DisplayWidth.width($0.type.name) }.max() ?? 0
                    let labelWidth = schema.fields.map { DisplayWidth.width($0.label) }.max() ?? 0
                    for f in schema.fields {
                        var notes: [String] = []
                        if f.required { notes.append("required") }
                        if let ref = f.referencedCollection { notes.append("→ \(ref)") }
                        if let v = f.type.vocabulary { notes.append("{" + v.values.joined(separator: "/") + "}") }
                        if f.pii { notes.append("(personal)") }
                        let line =
                            "  " + PluginHelp.pad(f.name, to: nameWidth) + "  "
                            + PluginHelp.pad(f.type.name, to: typeWidth)
                            + "  " + PluginHelp.pad(f.label, to: labelWidth) + "  " + notes.joined(separator: "  ")
                        print(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
                    }
                }))
        session.completionSources.append(FpCompletions(host: host))
        session.recordLabel = FpReplHost.recordLabel(in: host)
        try? FpHelp(host: host).install(in: session)
        session.hints.append { input, message in FpReplHints.hint(input: input, message: message, host: host) }
        installPluginCommands(in: session)
        session.register(
            metaCommand: ReplMetaCommand(
                name: "dry-run", arguments: "on|off",
                summary: "Roll back every input after showing what it would change.",
                completeArgument: { _, _, partial in ["on", "off"].filter { $0.hasPrefix(partial) } },
                run: { [unowned self] session, args in
                    switch args.first {
                    case "on": self.dryRun = true; session.primaryPrompt = "dry> "
                    case "off": self.dryRun = false; session.primaryPrompt = "> "
                    default: print("dry-run is \(self.dryRun ? "on" : "off")")
                    }
                }))
    }
}
