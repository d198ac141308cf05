import Foundation

/// Looks inside a workspace database from outside fupin, through the `sqlite3` shell (one of
/// the system packages `make deps` installs): integrity, row counts, a full dump to compare.
enum WorkspaceProbe {
    /// Runs `sqlite3 -batch DB SQL` and returns what it printed (stderr appended on failure).
    static func sqlite(_ database: URL, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-batch", database.path, sql]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if process.terminationStatus != 0 { return text + "\nERROR: " + String(decoding: errData, as: UTF8.self) }
        return text
    }

    static func database(_ workspace: URL) -> URL { workspace.appendingPathComponent("fupin.sqlite") }

    /// "ok" when SQLite finds the database intact.
    static func integrity(_ workspace: URL) throws -> String {
        try sqlite(database(workspace), "PRAGMA integrity_check;")
    }

    /// An integer query's value (-1 when it does not print one).
    static func count(_ workspace: URL, _ sql: String) throws -> Int {
        Int(try sqlite(database(workspace), sql)) ?? -1
    }

    /// The whole database as SQL text: equal dumps, equal data.
    static func dump(_ workspace: URL) throws -> String {
        try sqlite(database(workspace), ".dump")
    }

    /// Sends SIGKILL to a running process and waits for it.
    static func kill(_ process: Process) {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Starts `fupin ARGS` with its output discarded (for processes the test kills).
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FupinBinary.path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
