import ArgumentParser
import Foundation
import FupinCore
import FupinScripting

/// `fupin stubs [-o DIR]`: LuaLS `---@meta` definitions of the whole `fp` API, and the
/// `.luarc.json` that points the Lua language server at them.
struct StubsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stubs",
        abstract: "Write LuaLS type definitions of the fp API (every collection, field and method).",
        discussion: """
            Writes DIR/fp.lua, a ---@meta file for the Lua language server (LuaLS, e.g. the VS Code \
            "Lua" extension or Neovim's lua_ls): every collection as a class with its fields, their \
            types (money and areas as numbers, dates as "YYYY-MM-DD" strings, references as \
            integer ids) and Chinese labels as docs, and every function and method of fp with its \
            parameters, results and an example. Editors then complete fp.households:where{ ... } \
            and show 户主姓名 when hovering head_name.

            DIR defaults to .fupin/stubs inside the workspace folder (--workspace, \
            $FUPIN_WORKSPACE, else the current folder). The workspace need not exist yet: without \
            one the stubs describe the core collections; with one, the workspace's collections.

            Also writes .luarc.json in the workspace folder (runtime Lua 5.4, DIR as a library, \
            fp as a known global) so an editor opened on that folder uses the stubs. An existing \
            .luarc.json keeps its other settings; --no-luarc leaves it alone. Run the command again \
            after plugins add or change ledgers.

            Examples:
              fupin stubs
              fupin stubs --workspace ~/fupin-2019
              fupin stubs -o ~/lua-types --no-luarc
            """
    )

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "The folder to write fp.lua to (default: WORKSPACE/.fupin/stubs).", valueName: "dir"))
    var output: String?

    @Flag(name: .customLong("no-luarc"), help: "Do not write or change the workspace's .luarc.json.")
    var noLuarc = false

    @OptionGroup var options: WorkspaceOptions

    func validate() throws {
        if let output, output.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("-o needs a folder")
        }
    }

    /// The folder the stubs go to.
    var stubFolder: URL {
        guard let output else { return options.folder.appendingPathComponent(".fupin/stubs") }
        return URL(fileURLWithPath: (output as NSString).expandingTildeInPath).standardizedFileURL
    }

    func run() throws {
        try reportingFailures {
            // .luarc.json goes into the workspace folder: refuse before writing anything when that
            // folder is missing and the stubs will not create it (-o elsewhere).
            let root = options.folder.standardizedFileURL.path
            if !noLuarc, !FileManager.default.fileExists(atPath: root), !stubFolder.path.hasPrefix(root + "/") {
                throw CommandFailure(
                    "\(root): no such folder to hold .luarc.json; create the workspace (fupin init \(root)) or give --no-luarc"
                )
            }
            let (schema, plugins) = try described()
            print(try StubsCommand.writeStub(schema: schema, plugins: plugins, to: stubFolder))
            if !noLuarc, let line = try StubsCommand.writeLuarc(stubFolder: stubFolder, in: options.folder) {
                print(line)
            }
        }
    }

    /// The schema to describe: the workspace's (core collections and registered ledgers) when
    /// there is a workspace, else the core collections.
    func described() throws -> (Schema, [PluginManifest]) {
        let folder = options.folder
        let exists = Workspace.holdsWorkspace(folder)
        let workspace =
            exists
            ? try Workspace.open(at: folder, options: Workspace.Options(readOnly: true)) : try Workspace.inMemory()
        let host = try FupinHost(workspace: workspace, view: FpView(source: "stubs"))
        let runtime = try host.loadPlugins(PluginPlaces.standard(workspaceFolder: exists ? folder : nil))
        return (workspace.schema, runtime.plugins.filter(\.isEnabled).compactMap(\.manifest))
    }

    /// Writes `fp.lua` for `schema` into `folder` (created if missing); returns what it did.
    ///
    /// Example: `print(try StubsCommand.writeStub(schema: ws.schema, to: stubs))`.
    static func writeStub(schema: Schema, plugins: [PluginManifest] = [], to folder: URL) throws -> String {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("\(folder.path): cannot create this folder (\(error.localizedDescription))")
        }
        let stub = StubGenerator(schema: schema, plugins: plugins).render()
        let file = folder.appendingPathComponent(StubGenerator.fileName)
        try writeText(stub, to: file)
        let lines = stub.reduce(into: 0) { count, character in if character == "\n" { count += 1 } }
        return
            "wrote \(file.path) (\(Plural.count(schema.collections.count, "collection")), \(Plural.count(lines, "line")))"
    }

    /// Creates or merges `.luarc.json` in `folder` so LuaLS reads the stubs in `stubFolder`;
    /// returns what it did, or nil when the file already had every setting.
    static func writeLuarc(stubFolder: URL, in folder: URL) throws -> String? {
        let file = folder.appendingPathComponent(LuaRC.fileName)
        let existing = FileManager.default.contents(atPath: file.path).map { String(decoding: $0, as: UTF8.self) }
        let text: String
        do {
            text = try LuaRC.render(libraryPath: relativePath(of: stubFolder, from: folder), merging: existing)
        } catch {
            throw CommandFailure("\(file.path): \(error.description)")
        }
        guard text != existing else { return nil }
        try writeText(text, to: file)
        return "\(existing == nil ? "wrote" : "updated") \(file.path)"
    }

    /// `folder` relative to `base` when it lies inside it (".fupin/stubs"), else its full path.
    static func relativePath(of folder: URL, from base: URL) -> String {
        let target = folder.standardizedFileURL.path
        let root = base.standardizedFileURL.path
        let prefix = root.hasSuffix("/") ? root : root + "/"
        if target.hasPrefix(prefix) { return String(target.dropFirst(prefix.count)) }
        return target
    }

    private static func writeText(_ text: String, to url: URL) throws {
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw CommandFailure("\(url.path): cannot write this file (\(error.localizedDescription))")
        }
    }
}
