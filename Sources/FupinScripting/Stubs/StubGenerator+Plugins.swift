import FupinCore

/// Stubs for plugins: each plugin's commands as functions of one table (with each argument
/// typed and documented) under `fp.plugins`, and the names of its exports.
extension StubGenerator {
    /// `fp.report`: its functions, and the methods of documents and sections.
    func reportTypes(_ out: inout StubWriter) {
        for name in ["fp.report.Section", "fp.report.Document: fp.report.Section"] {
            out.line("---@class \(name)")
            out.line("local \(name.split(separator: ":")[0].replacingOccurrences(of: ".", with: "_")) = {}")
            out.blank()
        }
        for member in FpAPI.reportMethods { method(member, owner: "fp_report_Section", into: &out) }
        out.line(
            "---Reports for analysts: documents of sections, paragraphs, tables and SVG charts, as Markdown, HTML or text."
        )
        out.line("---@class fp.report")
        out.line("local fp_report = {}")
        out.blank()
        for member in FpAPI.report { method(member, owner: "fp_report", dot: true, into: &out) }
    }

    /// `fp.Ctx`: what a plugin command's `run(args, ctx)` receives (annotate it with
    /// `---@param ctx fp.Ctx`).
    func ctxType(_ out: inout StubWriter) {
        out.line("---What a plugin command's `run(args, ctx)` receives.")
        out.line("---@class fp.Ctx")
        for field in FpAPI.ctxFields { out.line("---@field \(field.name) \(field.type) \(field.summary)") }
        out.line("local fp_Ctx = {}")
        out.blank()
        for member in FpAPI.ctx { method(member, owner: "fp_Ctx", dot: true, into: &out) }
    }

    func pluginTypes(_ out: inout StubWriter) {
        out.line("---Commands of the loaded plugins, by plugin name.")
        out.line("---@class fp.Plugins")
        for plugin in plugins {
            out.line("---@field [\"\(plugin.name)\"] \(pluginClass(plugin)) \(StubTypes.oneLine(plugin.title))")
        }
        out.blank()
        for plugin in plugins {
            for command in plugin.commands {
                out.line("---Arguments of `\(plugin.name) \(command.name)`.")
                out.line(
                    "---@class \(pluginClass(plugin)).\(StubTypes.className(command.name.replacingOccurrences(of: "-", with: "_")))Args"
                )
                for argument in command.arguments {
                    let doc = [
                        argument.help, argument.required ? "(required)" : "",
                        argument.defaultText.map { "(default \($0))" } ?? "",
                    ]
                    .filter { !$0.isEmpty }.joined(separator: " ")
                    out.line(
                        "---@field \(argument.name)\(argument.required ? "" : "?") \(luaType(argument.kind)) \(StubTypes.oneLine(doc))"
                    )
                }
                out.blank()
            }
            out.line("---\(StubTypes.oneLine(plugin.title)) (\(plugin.name) \(plugin.version)).")
            out.line("---@class \(pluginClass(plugin))")
            for command in plugin.commands {
                out.line(
                    "---@field \(command.name.replacingOccurrences(of: "-", with: "_")) fun(args: \(pluginClass(plugin)).\(StubTypes.className(command.name.replacingOccurrences(of: "-", with: "_")))Args): any \(StubTypes.oneLine(command.summary))"
                )
            }
            out.blank()
            if !plugin.exportNames.isEmpty {
                out.line("---What `require(\"\(plugin.name)\")` gives the plugins that require \(plugin.name).")
                out.line("---@class \(pluginClass(plugin)).Exports")
                for name in plugin.exportNames where StubTypes.isIdentifier(name) { out.line("---@field \(name) any") }
                out.blank()
            }
        }
    }

    func pluginClass(_ plugin: PluginManifest) -> String {
        "fp.plugin." + StubTypes.className(plugin.name.replacingOccurrences(of: "-", with: "_"))
    }

    func luaType(_ kind: PluginArgument.Kind) -> String {
        switch kind {
        case .path: return "string"
        case .list: return "string[]"
        case .field(let type):
            switch type {
            case .integer, .ref: return "integer"
            case .number, .money, .area: return "number"
            case .bool: return "boolean"
            default: return "string"
            }
        }
    }
}
