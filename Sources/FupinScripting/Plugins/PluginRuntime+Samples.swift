import Foundation
import FupinCore

/// Sample rows a plugin ships for its ledgers: `<plugin>/seeds/manifest.txt` lists
/// `ledger file.csv` lines like the core seeds, loaded by `fupin init --sample` and by
/// `fupin test`'s scratch workspace.
extension PluginRuntime {
    /// Loads the sample data of every enabled plugin, in dependency order, in one
    /// transaction per plugin; returns the reports. A failure names the plugin and the file.
    @discardableResult
    public func loadSampleData(context: WriteContext) throws -> [ImportReport] {
        var reports: [ImportReport] = []
        for plugin in plugins where plugin.isEnabled {
            let seeds = plugin.source.folder.appendingPathComponent("seeds")
            guard
                FileManager.default.fileExists(atPath: seeds.appendingPathComponent(SampleWorkspace.manifestName).path)
            else { continue }
            var pluginContext = context
            pluginContext.source = "\(context.source):\(plugin.name)"
            do {
                reports += try SampleWorkspace.load(into: host.workspace, from: seeds, context: pluginContext)
            } catch {
                throw SampleWorkspace.Failure(message: "plugin \(plugin.name) sample data: \(error)")
            }
        }
        return reports
    }
}
