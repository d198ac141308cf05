import Foundation
import FupinCore

/// What every fuzz target shares: an in-memory workspace holding the sample data, built once
/// per process, and a reader that turns fuzz bytes into choices.
public enum FuzzFixture {
    /// The sample workspace (seeds/ found through $FUPIN_SEEDS or this checkout).
    public static let workspace: Workspace = {
        let seeds =
            ProcessInfo.processInfo.environment["FUPIN_SEEDS"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds")
        do {
            let workspace = try Workspace.inMemory()
            try SampleWorkspace.load(into: workspace, from: seeds, context: context)
            return workspace
        } catch {
            // A broken fixture is not a finding: stop loudly before fuzzing starts.
            FileHandle.standardError.write(Data("fuzz fixture: \(error)\n".utf8))
            exit(2)
        }
    }()

    public static let context = WriteContext(
        operator: "fuzz", source: "fuzz", time: Date(timeIntervalSince1970: 1_575_158_400))
}

/// Reads fuzz bytes as a stream of small decisions; past the end every read is 0 / empty.
public struct FuzzBytes {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position >= bytes.count }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// One of `choices` (the first when there are no bytes left).
    public mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }

    public mutating func int64() -> Int64 {
        var value: UInt64 = 0
        for _ in 0..<8 { value = value << 8 | UInt64(byte()) }
        return Int64(bitPattern: value)
    }

    /// Up to 255 raw bytes, decoded leniently (invalid UTF-8 becomes U+FFFD, NUL stays).
    public mutating func text() -> String {
        let count = Int(byte()) % 32
        var chunk: [UInt8] = []
        for _ in 0..<count where !isAtEnd { chunk.append(byte()) }
        return String(decoding: chunk, as: UTF8.self)
    }

    /// The bytes not read yet.
    public mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return position < bytes.count ? Array(bytes[position...]) : []
    }
}

/// libFuzzer's entry when the program has its own `main` (SwiftPM links an executable target
/// with `main` defined as `<Module>_main`, so libFuzzer's own `main` is never linked in).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer with the process's arguments and `callback` as the target.
public func runFuzzer(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}
