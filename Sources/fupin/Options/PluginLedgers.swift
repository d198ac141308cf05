import Foundation
import FupinCore
import FupinScripting

/// Commands that take a collection name (import, export) accept plugin ledgers too: the
/// workspace's plugins are loaded so their ledgers are registered.
enum PluginLedgers {
    /// The workspace of `options`, with plugin ledgers registered when `collection` is not a
    /// core collection; an error listing the collections when it names none.
    static func workspace(_ options: WorkspaceOptions, collection: String?) throws -> Workspace {
        guard let collection, Schema.core[collection] == nil else { return try options.open() }
        guard let host = try ScriptHost.makeHost(options, source: "ledgers") else { return try options.open() }
        guard host.workspace.collection(collection) != nil else {
            throw CommandFailure(
                "\(collection) is not a collection; one of: \(host.workspace.schema.names.joined(separator: ", "))")
        }
        return host.workspace
    }
}
