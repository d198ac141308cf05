import Foundation
import FupinCore

/// The REPL without a workspace: plain Lua, no `fp`. The banner says so and names the
/// folder that was looked at, and using `fp` explains itself instead of Lua's bare
/// "attempt to index a nil value (global 'fp')".
///
/// ```text
/// $ fupin --workspace /no/such
/// Fupin 0.1.0 (扶贫) · Lua 5.4.4 · :help for help, Ctrl-D to leave
/// no workspace open: /no/such does not exist — plain Lua, without fp
/// ```
struct NoWorkspace {
    let folder: URL

    /// Why there is no workspace in `folder`.
    var reason: String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
            return "\(folder.path) does not exist"
        }
        guard isFolder.boolValue else { return "\(folder.path) is not a folder" }
        return "no \(Workspace.databaseFileName) in \(folder.path)"
    }

    func install(in session: ReplSession) {
        session.bannerNotes.append("no workspace open: \(reason) — plain Lua, without fp")
        let explanation = "fp needs a workspace: \(reason) (fupin init DIR makes one; fupin --workspace DIR opens one)"
        session.hints.append { input, message in
            if let message {
                if message.contains("(global 'fp')") { return explanation }
                if message.contains("(global 'help')") {
                    return "help(x) explains the fp API, which " + explanation.dropFirst(3)
                }
                return nil
            }
            return input.trimmingCharacters(in: .whitespacesAndNewlines) == "fp" ? explanation : nil
        }
    }
}
