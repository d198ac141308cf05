import Foundation
import LuaKit

/// Word documents for plugins: a plugin cannot start processes, so the host runs pandoc on its
/// behalf (`ctx.write_file(path, markdown, { convert = "docx", reference = "reference.docx" })`).
/// pandoc is found as `$FUPIN_PANDOC`, else `pandoc` on `$PATH` (Debian: `apt-get install pandoc`).
///
/// Example: `try DocumentConverter.docx(markdown: bytes, to: target, reference: ref)`.
enum DocumentConverter {
    /// The pandoc executable, or nil when none is installed.
    static func pandoc() -> URL? {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["FUPIN_PANDOC"], !given.isEmpty {
            return FileManager.default.isExecutableFile(atPath: given) ? URL(fileURLWithPath: given) : nil
        }
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("pandoc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Converts pandoc Markdown to DOCX at `target` (written whole or not at all), styled by
    /// the `reference` document when given.
    static func docx(markdown: [UInt8], to target: URL, reference: URL?) throws {
        guard let pandoc = pandoc() else {
            throw LuaScriptError("ctx.write_file: a DOCX needs pandoc, which is not installed (Debian: apt-get install pandoc; or set FUPIN_PANDOC)")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.md")
        let output = scratch.appendingPathComponent("out.docx")
        try Data(markdown).write(to: input)
        let process = Process()
        process.executableURL = pandoc
        var arguments = ["--from", "markdown", "--to", "docx", "--output", output.path]
        if let reference { arguments += ["--reference-doc", reference.path] }
        process.arguments = arguments + [input.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw LuaScriptError("ctx.write_file: pandoc failed (status \(process.terminationStatus)): \(text)")
        }
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: output, to: target)
    }
}
