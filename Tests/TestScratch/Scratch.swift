import Foundation

/// The folder a test process makes its scratch folders in (`fupin-tests-<pid>` in the temporary
/// folder), removed with everything in it when the process exits: the suites make thousands of
/// folders, and one left each time filled the temporary folder run after run.
///
/// Example: `let folder = try scratchFolder("plugins")` — a new, empty folder inside it.
public let scratchRoot: URL = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: scratchRoot) }
    return root
}()

/// A new, empty scratch folder named `prefix`-UUID inside `scratchRoot`.
public func scratchFolder(_ prefix: String) throws -> URL {
    let folder = scratchRoot.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
