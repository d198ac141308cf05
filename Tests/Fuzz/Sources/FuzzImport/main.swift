import FupinCore
import FuzzSupport

/// Input: byte 0 picks the collection (or the national layout), byte 1 the encoding, the rest
/// is the file. Every run is a dry run (rolled back), so the fixture never changes. Errors are
/// expected; a crash, a leak into another run or a hang is a finding.
private let collections = [
    "households", "members", "distributions", "funds", "visits", "incomes", "national",
    "villages", "poverty_lines", "ranger_posts", "eco_projects", "notes",
]
private let encodings: [TextEncoding] = [.auto, .utf8, .gb18030]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    var input = FuzzBytes(Array(UnsafeBufferPointer(start: data, count: size)))
    let collection = input.pick(collections)
    let encoding = input.pick(encodings)
    let file = input.rest()
    let workspace = FuzzFixture.workspace
    let options = ImportOptions(encoding: encoding, dryRun: true, maxProblems: 20)
    do {
        let report =
            collection == "national"
            ? try workspace.importNational(
                bytes: file, file: "fuzz.csv", options: options, context: FuzzFixture.context)
            : try workspace.importCSV(
                collection, bytes: file, file: "fuzz.csv", options: options, context: FuzzFixture.context)
        _ = report.description
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("FuzzImport_main")
public func fuzzImportMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { fuzzImport($0, $1) }
}
