import Foundation
import Testing

/// Several fupin processes writing to one workspace at once (the workspace runs in WAL mode
/// with a 5 s busy timeout). Every write lands, or its process says the workspace is busy and
/// writes nothing: none lost, none doubled.
@Suite(.serialized) struct ConcurrencyTests {
    /// `writers` processes, each running `units` separate `fupin eval` units that add `perUnit`
    /// notes tagged with the process and unit; then every tag is counted.
    ///
    /// A unit holds the write lock for milliseconds, far below the 5 s busy timeout, so every
    /// unit must land: a refusal here means writers no longer wait for each other (a refused
    /// unit writing nothing would otherwise pass as "none lost").
    func concurrentWriters(_ writers: Int, units: Int, perUnit: Int) throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        let notesBefore = try WorkspaceProbe.count(ws, "SELECT COUNT(*) FROM notes;")
        final class Outcomes: @unchecked Sendable {
            let lock = NSLock()
            var landed: [String] = []
            var refused: [String: String] = [:]
            var other: [String] = []
        }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            for u in 0..<units {
                let tag = "w\(w)u\(u)"
                let code =
                    "for i = 1, \(perUnit) do fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"\(tag) \" .. i } end"
                let result = try? FupinBinary.run(["eval", code, "--workspace", ws.path, "--operator", tag])
                outcomes.lock.lock()
                if let result, result.status == 0 {
                    outcomes.landed.append(tag)
                } else if let result, result.stderr.contains("the workspace is busy") {
                    outcomes.refused[tag] = result.stderr
                } else {
                    outcomes.other.append("\(tag): \(result?.stderr ?? "did not run")")
                }
                outcomes.lock.unlock()
            }
        }
        #expect(outcomes.other.isEmpty, "\(outcomes.other)")
        #expect(
            outcomes.refused.isEmpty, "refused although no unit holds the lock near the timeout: \(outcomes.refused)")
        #expect(outcomes.landed.count == writers * units)
        #expect(
            try WorkspaceProbe.count(ws, "SELECT COUNT(*) FROM notes;") == notesBefore + outcomes.landed.count * perUnit
        )
        for tag in outcomes.landed {
            #expect(
                try WorkspaceProbe.count(ws, "SELECT COUNT(*) FROM notes WHERE text LIKE '\(tag) %';") == perUnit,
                "\(tag) lost or doubled")
            #expect(
                try WorkspaceProbe.count(ws, "SELECT COUNT(DISTINCT text) FROM notes WHERE text LIKE '\(tag) %';")
                    == perUnit)
            #expect(
                try WorkspaceProbe.count(ws, "SELECT COUNT(*) FROM audit_log WHERE operator = '\(tag)';") == perUnit)
        }
        for tag in outcomes.refused.keys {
            #expect(
                try WorkspaceProbe.count(ws, "SELECT COUNT(*) FROM notes WHERE text LIKE '\(tag) %';") == 0,
                "\(tag) half-written")
        }
        #expect(try WorkspaceProbe.integrity(ws) == "ok")
    }

    @Test func twoWritersLoseNothing() throws {
        try concurrentWriters(2, units: 6, perUnit: 50)
    }

    @Test func fourWritersLoseNothing() throws {
        try concurrentWriters(4, units: 4, perUnit: 50)
    }

    /// A writer that holds the write lock longer than the busy timeout (5 s): the other one
    /// waits the timeout, then says plainly that the workspace is busy, and writes nothing.
    @Test func aWriterBlockedPastTheTimeoutIsToldTheWorkspaceIsBusy() throws {
        let ws = try ImportExportCommandTests.sampleWorkspace()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: FupinBinary.path)
        // Holds its unit (and so the write lock) open until its stdin closes.
        holder.arguments = [
            "eval",
            "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"holder\" }; io.write(\"locked\\n\"); io.flush(); io.read(\"a\"); return \"released\"",
            "--workspace", ws.path,
        ]
        let out = Pipe()
        let input = Pipe()
        holder.standardOutput = out
        holder.standardInput = input
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        // Wait for the holder to say it has the lock (a line on its stdout, not a sleep).
        var said = Data()
        while !said.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        #expect(String(decoding: said, as: UTF8.self).hasPrefix("locked"))
        let clock = ContinuousClock()
        let start = clock.now
        let blocked = try FupinBinary.run([
            "eval", "fp.notes:add{ year = 2019, unit_id = 1, kind = \"problem\", text = \"blocked\" }",
            "--workspace", ws.path,
        ])
        let waited = clock.now - start
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("the workspace is busy"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("nothing was written"))
        #expect(!blocked.stderr.contains("SQLite error"), "\(blocked.stderr)")
        #expect(waited >= .seconds(4), "refused after \(waited), before the busy timeout")
        #expect(try WorkspaceProbe.count(ws, "SELECT COUNT(*) FROM notes WHERE text = 'blocked';") == 0)
        #expect(try WorkspaceProbe.count(ws, "SELECT COUNT(*) FROM notes WHERE text = 'holder';") == 1)
    }
}
