import Foundation

/// `fupin-bench [call] [--quick]`: runs the in-process benchmarks and prints one line each.
let arguments = Set(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick")
var results: [BenchResult] = []
do {
    if let i = CommandLine.arguments.firstIndex(of: "profile-call"), i + 1 < CommandLine.arguments.count {
        try CallOverhead.profile(
            CommandLine.arguments[i + 1], calls: Int(ProcessInfo.processInfo.environment["CALLS"] ?? "") ?? 1_000_000)
        exit(0)
    }
    if arguments.isEmpty || arguments.contains("call") || arguments == ["--quick"] {
        results += try CallOverhead.run(calls: quick ? 2_000_000 : 20_000_000, rounds: 3)
    }
} catch {
    FileHandle.standardError.write(Data("fupin-bench: \(error)\n".utf8))
    exit(1)
}
for r in results { print(r.line) }
