import Foundation

@testable import FupinCore

/// The PostgreSQL server the tests use: the one `make test` started (`FUPIN_TEST_POSTGRES`
/// holds its URI), or else a private one this test process starts through
/// `Scripts/pg-test-server` on first use and stops when the process exits.
///
/// Each test takes a database of its own (`PostgresTestServer.database()`), so tests run in
/// parallel without seeing each other's tables; roles are cluster-wide, so tests name theirs
/// with `uniqueName`.
enum PostgresTestServer {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/pg-test-server")

    /// The server's URI, or the reason there is none.
    static let base: Result<String, TestServerError> = {
        if let uri = ProcessInfo.processInfo.environment["FUPIN_TEST_POSTGRES"], !uri.isEmpty {
            return .success(uri)
        }
        do {
            let output = try run([script.path, "start"])
            let uri = output.split(separator: "\n").last.map(String.init) ?? ""
            guard let folder = URLComponents(string: uri)?.queryItems?.first(where: { $0.name == "host" })?.value else {
                return .failure(TestServerError("pg-test-server printed no socket folder: \(uri)"))
            }
            Started.folder = folder
            atexit { PostgresTestServer.stopStarted() }
            return .success(uri)
        } catch let error as TestServerError {
            return .failure(error)
        } catch {
            return .failure(TestServerError("\(error)"))
        }
    }()

    /// The folder of the server this process started, for stopping it at exit.
    enum Started { nonisolated(unsafe) static var folder: String? }

    static func stopStarted() {
        guard let folder = Started.folder else { return }
        _ = try? run([script.path, "stop", folder])
    }

    /// A new, empty database on the server; its URI.
    static func database() throws -> String {
        let uri = try base.get()
        let name = uniqueName("t")
        let admin = try PostgresConnection(uri)
        try admin.execute("CREATE DATABASE \(name)")
        return try replacing(uri, database: name)
    }

    /// `uri` with another database and, when given, another user.
    static func replacing(_ uri: String, database: String? = nil, user: String? = nil) throws -> String {
        guard var components = URLComponents(string: uri) else { throw TestServerError("not a URI: \(uri)") }
        if let database { components.path = "/" + database }
        if let user {
            var items = (components.queryItems ?? []).filter { $0.name != "user" }
            items.append(URLQueryItem(name: "user", value: user))
            components.queryItems = items
            components.user = nil
        }
        guard let text = components.string else { throw TestServerError("cannot rebuild \(uri)") }
        return text
    }

    /// A lowercase name no other test of any run uses (databases, roles).
    static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// Runs a program and returns what it printed (standard output and error); throws with
    /// that text when it fails. Through `popen`, not Foundation's `Process`: on Linux `Process`
    /// waits for a descriptor that the server `pg_ctl` starts inherits, so it never returns.
    static func run(_ arguments: [String]) throws -> String {
        let (status, text) = try runStatus(arguments)
        guard status == 0 else { throw TestServerError("\(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }

    /// Runs a program and returns its exit status and what it printed (stdout and stderr).
    static func runStatus(_ arguments: [String]) throws -> (Int32, String) {
        let command =
            arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            + " 2>&1"
        guard let pipe = popen(command, "r") else { throw TestServerError("cannot run \(command)") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        let status = pclose(pipe)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
