import ArgumentParser
import Foundation
import FupinCore
import FupinScripting
import LuaKit

/// `fupin PLUGIN COMMAND [ARGS...]`: a plugin's command from the shell, its arguments parsed
/// from the manifest's declaration, `--help` generated from it. Also takes the shared
/// `--workspace DIR`, `--operator NAME` and `--dry-run`, before or after the plugin's words,
/// and `--as-of DATE-OR-TIME` for commands that do not declare an `as_of` of their own (the
/// command then reads the ledgers as they stood then: see `AsOfSnapshot`).
///
/// Example: `fupin produce-sales summary --year 2019 --by village`.
struct PluginCommandLine {
    var plugin: String
    var words: [String]
    var workspace: String?
    var operatorName: String?
    var dryRun = false
    var help = false

    /// Nil when `words` name a built-in command (or none): ArgumentParser handles those.
    init?(words: [String], builtins: Set<String>) {
        var rest: [String] = []
        var i = 0
        var plugin: String?
        var workspace: String?
        var operatorName: String?
        var dryRun = false
        var help = false
        while i < words.count {
            let word = words[i]
            i += 1
            func value(_ option: String) -> String? {
                if word.hasPrefix(option + "=") { return String(word.dropFirst(option.count + 1)) }
                if word == option, i < words.count { i += 1; return words[i - 1] }
                return nil
            }
            if let v = value("--workspace") { workspace = v; continue }
            if let v = value("--operator") { operatorName = v; continue }
            if word == "--dry-run" { dryRun = true; continue }
            if plugin == nil {
                if word.hasPrefix("-") {
                    if word == "--help" || word == "-h" { return nil }
                    return nil
                }
                if builtins.contains(word) { return nil }
                plugin = word
                continue
            }
            if word == "--help" || word == "-h" { help = true; continue }
            rest.append(word)
        }
        guard let plugin else { return nil }
        self.plugin = plugin
        self.words = rest
        self.workspace = workspace
        self.operatorName = operatorName
        self.dryRun = dryRun
        self.help = help
    }

    /// Runs the command and exits with its status (0, 1 on failure, 64 on a usage error).
    func runAndExit() -> Never {
        // The command's worker starts now, while the host opens the workspace and its plugins —
        // unless only help is asked for, which needs no worker (starting one anyway tripled the
        // wall time of `fupin PLUGIN --help` on a busy machine).
        if !help && !words.isEmpty { PluginIsolation.prestart() }
        do {
            try run()
            exit(0)
        } catch let error as PluginArgumentError {
            printToStandardError("fupin: \(error.description)\nSee: fupin \(plugin) \(error.command) --help")
            exit(64)
        } catch let error as PluginCommandError {
            // The message and traceback carry the plugin's text: no raw control characters.
            printToStandardError(SafeTerminalText.forStandardError("fupin: " + error.description))
            exit(1)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch {
            printToStandardError("fupin: \(error)")
            exit(1)
        }
    }

    func run() throws {
        var options = WorkspaceOptions()
        options.workspace = workspace
        options.operatorName = operatorName
        let folder = options.folder
        guard Workspace.holdsWorkspace(folder) else {
            let places = PluginPlaces.standard(workspaceFolder: nil)
            if !places.discover().contains(where: { $0.name == plugin }) {
                throw CommandFailure(
                    "unknown command '\(plugin)' (fupin --help lists the commands; fupin plugins list the plugins)")
            }
            _ = try options.open()  // says how to make a workspace
            return
        }
        guard let host = try ScriptHost.makeHost(options, source: "plugin:\(plugin)"), let runtime = host.plugins else {
            return
        }
        guard let loaded = runtime.plugin(plugin) else {
            throw CommandFailure(
                "unknown command '\(plugin)': it is neither a command of fupin nor a plugin (fupin plugins list shows the plugins)"
            )
        }
        guard loaded.isEnabled, let manifest = loaded.manifest else {
            throw CommandFailure("plugin \(plugin) is disabled: \(loaded.problem ?? "not loaded")")
        }
        guard let commandName = words.first else {
            print(PluginHelp.pluginText(manifest))
            if !help { throw ExitCode(64) }
            return
        }
        guard let command = manifest.command(commandName) else {
            throw PluginCommandError(
                plugin: plugin, command: commandName,
                message: "no such command (commands: \(manifest.commands.map(\.name).joined(separator: ", ")))")
        }
        if help {
            print(PluginHelp.commandText(manifest, command))
            return
        }
        var commandWords = Array(words.dropFirst())
        var runHost = host
        var snapshot: AsOfSnapshot?
        defer { snapshot?.remove() }
        // `--as-of` is the host's for every command (a manifest may not declare `as_of`): the
        // ledgers as they stood then, and that day as the command's today.
        if let moment = AsOfSnapshot.take(&commandWords) {
            let made = try AsOfSnapshot(of: host.workspace, at: moment)
            snapshot = made
            var snapshotOptions = options
            snapshotOptions.workspace = made.folder.path
            guard let other = try ScriptHost.makeHost(snapshotOptions, source: "plugin:\(plugin)") else { return }
            other.exportsFolder = made.exports
            other.today = made.day
            runHost = other
        }
        let arguments = try PluginArguments.fromCommandLine(commandWords, command, plugin: plugin)
        let (results, changes) = try runHost.runPluginCommand(
            plugin, command.name, arguments: arguments, dryRun: dryRun,
            userTyped: true)
        let shown = results.filter { !$0.isNil }
        // A result without a line of its own (ctx.result without text) adds nothing.
        if !shown.isEmpty, case let line = try ScriptHost.render(shown, in: runHost.lua, host: runHost), !line.isEmpty {
            print(SafeTerminalText.forStandardOutput(line))
        }
        if let changes {
            printToStandardError("dry run: nothing was written. It would have made these changes:\n\(changes)")
        }
    }
}

/// Help text generated from a manifest.
enum PluginHelp {
    static func pluginText(_ manifest: PluginManifest) -> String {
        var lines = ["\(manifest.name) \(manifest.version) — \(manifest.title)"]
        if !manifest.description.isEmpty { lines.append(manifest.description) }
        lines.append("")
        lines.append("USAGE: fupin \(manifest.name) <command> [options]")
        lines.append("")
        lines.append("COMMANDS:")
        let width = manifest.commands.map { DisplayWidth.width($0.name) }.max() ?? 0
        for c in manifest.commands {
            lines.append("  " + pad(c.name, to: width + 2) + c.summary)
        }
        lines.append("")
        lines.append("See 'fupin \(manifest.name) <command> --help' for a command's options.")
        return lines.joined(separator: "\n")
    }

    static func commandText(_ manifest: PluginManifest, _ command: PluginCommandSpec) -> String {
        var lines: [String] = []
        if !command.summary.isEmpty { lines += ["OVERVIEW: \(command.summary)", ""] }
        let positional = command.arguments.filter(\.positional).map { "<\($0.name)>" }
        lines.append(
            "USAGE: fupin \(manifest.name) \(command.name) [options]"
                + (positional.isEmpty ? "" : " " + positional.joined(separator: " ")))
        lines += ["", "OPTIONS:"]
        do {
            var rows = command.arguments.map { a -> (String, String) in
                var left = a.positional ? "<\(a.name)>" : (a.short.map { "-\($0), " } ?? "") + a.flag
                if !a.isBool && !a.positional { left += " <\(valueName(a))>" }
                var right = a.help
                if case .field(.enum(let vocabulary)) = a.kind {
                    right += (right.isEmpty ? "" : " ") + "(\(vocabulary.values.joined(separator: "|")))"
                }
                if a.required { right += (right.isEmpty ? "" : " ") + "(required)" }
                if let d = a.defaultText { right += (right.isEmpty ? "" : " ") + "(default: \(d))" }
                return (left, right)
            }
            rows.append(
                ("--as-of <moment>", "read the ledgers as they stood then: a date, a UTC time or an audit sequence"))
            rows.append(
                ("--dry-run", "report what would change, then roll back (also --workspace DIR, --operator NAME)"))
            let width = min(34, rows.map { DisplayWidth.width($0.0) }.max() ?? 0)
            for (left, right) in rows {
                let shown =
                    DisplayWidth.width(left) > width
                    ? left + "\n  " + String(repeating: " ", count: width) : pad(left, to: width)
                lines.append("  " + shown + "  " + right)
            }
        }
        if let help = command.help, !help.isEmpty { lines += ["", help] }
        return lines.joined(separator: "\n")
    }

    /// `text` padded with spaces to `width` terminal columns (a CJK character takes two).
    static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - DisplayWidth.width(text)))
    }

    static func valueName(_ a: PluginArgument) -> String {
        switch a.kind {
        case .path: return "file"
        case .list: return "a,b,..."
        case .field(let type):
            switch type {
            case .date: return "YYYY-MM-DD"
            case .money: return "yuan"
            case .ref(let target): return "\(target) id or name"
            default: return type.name
            }
        }
    }
}
