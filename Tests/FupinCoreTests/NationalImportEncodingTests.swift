import Foundation
import Testing

@testable import FupinCore

/// A large national file is read as UTF-8 while another thread checks that it is
/// (`UTF8CheckBeside`); one that is not goes the way a small one does: GB18030 taken, or a bad
/// byte named, and nothing written meanwhile.
@Suite struct NationalImportEncodingTests {
    /// `NationalImportTests.file` with an ignored column, 4 MB of it on the first row, so
    /// the file is large enough to be read before its check ends.
    static let largeFile: String = {
        var lines = NationalImportTests.file.components(separatedBy: "\r\n")
        lines[0] += ",备注"
        lines[1] += "," + String(repeating: "x", count: TextDecoding.parallelCheckFrom)
        for index in 2..<lines.count where !lines[index].isEmpty { lines[index] += "," }
        return lines.joined(separator: "\r\n")
    }()

    func load(_ ws: Workspace, _ bytes: [UInt8]) throws -> ImportReport {
        try ws.importNational(
            bytes: bytes, file: "national.csv", options: ImportOptions(), context: testContext)
    }

    @Test func aLargeFileCheckedBesideItsReadingImportsAsASmallOne() throws {
        #expect(UTF8CheckBeside(Array(Self.largeFile.utf8), encoding: .auto) != nil)
        let ws = try Workspace.inMemory()
        let report = try load(ws, Array(Self.largeFile.utf8))
        #expect(report.encoding == .utf8 && report.ignoredColumns == ["备注"])
        #expect(report.inserted == ["towns": 1, "villages": 2, "households": 2, "members": 5])
    }

    @Test func aLargeGB18030FileIsStillTakenAsGB18030() throws {
        let bytes = try gb18030ByIconv(Self.largeFile)
        #expect(TextDecoding.firstInvalidUTF8(bytes) != nil)
        let ws = try Workspace.inMemory()
        let report = try load(ws, bytes)
        #expect(report.encoding == .gb18030)
        #expect(report.inserted == ["towns": 1, "villages": 2, "households": 2, "members": 5])
    }

    @Test func aLargeFileWithABadByteNamesItAndWritesNothing() throws {
        // The bad byte is on the last row: the first pass has read past it before the check ends.
        var bytes = Array(Self.largeFile.utf8)
        let bad = try #require(bytes.lastIndex(of: UInt8(ascii: ",")))
        bytes[bad - 1] = 0xFF
        let expected = #expect(throws: TextDecodingError.self) { try TextDecoding.decode(bytes, encoding: .auto) }
        let ws = try Workspace.inMemory()
        do {
            _ = try load(ws, bytes)
            Issue.record("a file that is not UTF-8 was imported")
        } catch let failure as ImportFailure {
            #expect(failure.report.problems.map(\.reason) == [expected?.description ?? "?"])
        }
        #expect(try count(ws, "households") == 0 && count(ws, "towns") == 0)
    }
}
