import ArgumentParser
import Foundation
import FupinCore

/// An error a command reports itself: the message goes to stderr as `fupin: MESSAGE` and the
/// command exits with status 1 (ArgumentParser's own "Error:" prefix is not used).
///
/// Example: `throw CommandFailure("x.csv: no such file")`.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Runs a command body: any error is printed to stderr as `fupin: ...` and becomes exit status 1.
///
/// Example: `try reportingFailures { try ws.importCSV(...) }`.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printToStandardError("fupin: " + describeFailure(error))
        throw ExitCode(1)
    }
}

/// The words for an error a command met: storage problems (busy, damaged, read-only, disk
/// full) as `StorageFailure` explains them, anything else as it describes itself.
func describeFailure(_ error: Error) -> String {
    if let storage = StorageFailure.explain(error) { return storage }
    return String(describing: error)
}

/// Writes `text` and a line break to stderr.
func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
