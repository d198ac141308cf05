import Foundation
import Testing

@testable import FupinCore

/// Inputs the fuzzers (Tests/Fuzz) found crashing, kept as plain tests: each must now be a
/// clean, located import error. The original crash files are in Tests/Fuzz/crashes/.
@Suite struct FuzzRegressionTests {
    /// A quoting problem in a field past the header's last column indexed the header out of
    /// range (FuzzImport-crash-cf385ecb...).
    @Test func aQuoteProblemPastTheHeaderIsReportedNotACrash() throws {
        let ws = try Workspace.inMemory()
        for text in ["year,amount\n2030,1,\"open\n", "year,amount\n2030,1,2,y\"z\n", "year,amount\n2030,2,3,4,\"5\n"] {
            let failure = importFailure { try importText(ws, "poverty_lines", text) }
            #expect(failure != nil)
            #expect(failure?.report.problems.first?.row == 2, "\(failure?.report.problems ?? [])")
        }
    }

    /// Every crash file replayed through the importer as the fuzzer ran it (dry run): each is
    /// now either imported or refused with an ImportFailure that names the file and locates
    /// every problem. A missing or empty crash folder fails, so the test cannot pass vacuously.
    @Test func theFuzzCrashFilesImportWithoutCrashing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/crashes")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("FuzzImport-") }.sorted()
        try #require(!names.isEmpty, "no FuzzImport- crash files in \(folder.path)")
        let ws = try Workspace.inMemory()
        let collections = [
            "households", "members", "distributions", "funds", "visits", "incomes", "national",
            "villages", "poverty_lines", "ranger_posts", "eco_projects", "notes",
        ]
        let encodings: [TextEncoding] = [.auto, .utf8, .gb18030]
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            try #require(bytes.count >= 2, "\(name): too short to replay (the first two bytes pick the import)")
            let collection = collections[Int(bytes[0]) % collections.count]
            let options = ImportOptions(encoding: encodings[Int(bytes[1]) % encodings.count], dryRun: true)
            let context = WriteContext(operator: "fuzz", source: "fuzz")
            do {
                _ =
                    try
                    (collection == "national"
                    ? ws.importNational(bytes: Array(bytes[2...]), file: name, options: options, context: context)
                    : ws.importCSV(
                        collection, bytes: Array(bytes[2...]), file: name, options: options, context: context))
            } catch let failure as ImportFailure {
                #expect(!failure.report.problems.isEmpty, "\(name): refused without saying where")
                #expect(failure.report.problems.allSatisfy { $0.row >= 1 && !$0.reason.isEmpty }, "\(failure)")
                #expect(failure.description.hasPrefix(name + ":"), "\(failure)")
            } catch {
                Issue.record("\(name) into \(collection): not a located import error: \(error)")
            }
        }
        for collection in ["households", "members"] + collections where collection != "national" {
            let query = try ws.query(collection).includingInvalid()
            let stored = try ws.read { db in try ws.list(query, in: db) }
            #expect(stored.isEmpty, "a dry run wrote \(collection)")
        }
    }
}
