import ArgumentParser
import Foundation

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
    } catch let error as CustomStringConvertible {
        printToStandardError("fupin: " + error.description)
        throw ExitCode(1)
    } catch {
        printToStandardError("fupin: \(error.localizedDescription)")
        throw ExitCode(1)
    }
}

/// Writes `text` and a line break to stderr.
func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
