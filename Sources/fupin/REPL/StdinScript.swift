import Foundation
import LuaKit

/// `fupin < script.lua`: when stdin is not a terminal the REPL runs all of it as one
/// script — no banner, no prompts, no echo of results (only what the script prints).
extension ReplSession {
    /// Runs `source` as the chunk "=stdin" (a first line starting with `#` is skipped, as
    /// lua.c does), as one unit of work. Returns 0, or 1 after printing the error's message
    /// and traceback on stderr.
    ///
    /// ```swift
    /// let status = session.runScript(Array(FileHandle.standardInput.readDataToEndOfFile()))
    /// ```
    func runScript(_ source: [UInt8]) -> Int32 {
        var bytes = source
        if bytes.first == UInt8(ascii: "#") {
            // Keep the newline so line numbers in errors stay right.
            bytes.removeSubrange(0..<(bytes.firstIndex(of: 0x0A) ?? bytes.count))
        }
        ReplInterrupts.install(for: lua)
        defer { ReplInterrupts.uninstall() }
        do {
            let chunk = try lua.load(bytes: bytes, chunkName: chunkName)
            _ = try evaluate(chunk)
            ReplOutput.flush()
            return 0
        } catch let error as LuaError {
            // As at the prompt: a raised table shows as a table, and the traceback keeps
            // the script's own frames.
            var text = "fupin: " + ReplErrorText.message(error, context: printContext)
            if let traceback = error.traceback.flatMap(ReplErrorText.userFrames), !traceback.isEmpty {
                text += "\n" + traceback
            }
            ReplOutput.error(text)
        } catch {
            ReplOutput.error("fupin: \(error)")
        }
        return 1
    }
}
