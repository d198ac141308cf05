import Foundation
import TestScratch

/// Runs the built `fupin` executable and captures what it prints.
struct FupinBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable next to this test bundle (or $FUPIN_BIN).
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["FUPIN_BIN"] { return explicit }
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("fupin").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/fupin").path
    }()

    /// Runs `fupin ARGS`, feeding `stdin` if given, in `directory` if given.
    /// With `viaEnv`, `arguments` is a whole command line (a wrapper such as setpriv or bash
    /// before the fupin path), run through /usr/bin/env.
    static func run(
        _ arguments: [String], stdin: String? = nil, directory: URL? = nil,
        environment: [String: String] = [:], viaEnv: Bool = false
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: viaEnv ? "/usr/bin/env" : path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
        final class Collected: @unchecked Sendable { var data = Data() }
        let errCollected = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errCollected.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errCollected.data
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func scratchFolder() throws -> URL {
        try TestScratch.scratchFolder("test")
    }
}
