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
        return program("pandoc")
    }

    /// A program on `$PATH`, or nil.
    static func program(_ name: String) -> URL? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `executable` in `folder`; throws with its error output when it fails.
    static func run(_ executable: URL, _ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw LuaScriptError(
                "ctx.write_file: \(executable.lastPathComponent) failed (status \(process.terminationStatus)): \(text)")
        }
    }

    /// Converts pandoc Markdown to DOCX at `target` (written whole or not at all), styled by
    /// the `reference` document when given. `images` are SVG files the Markdown refers to by
    /// name (`![](chart-1.svg)`); where `rsvg-convert` is installed (Debian librsvg2-bin) they
    /// go in as PNG, which every word processor shows.
    static func docx(markdown: [UInt8], to target: URL, reference: URL?, images: [String: [UInt8]] = [:]) throws {
        guard let pandoc = pandoc() else {
            throw LuaScriptError(
                "ctx.write_file: a DOCX needs pandoc, which is not installed (Debian: apt-get install pandoc; or set FUPIN_PANDOC)"
            )
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fupin-docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.md")
        let output = scratch.appendingPathComponent("out.docx")
        var text = String(decoding: markdown, as: UTF8.self)
        let rasteriser = program("rsvg-convert")
        for (name, svg) in images.sorted(by: { $0.key < $1.key }) {
            guard name.range(of: #"^[A-Za-z0-9_-]+\.svg$"#, options: .regularExpression) != nil else {
                throw LuaScriptError(
                    "ctx.write_file: image name \(name) must be letters, digits, '-' or '_' and end in .svg")
            }
            try Data(svg).write(to: scratch.appendingPathComponent(name))
            if let rasteriser {
                let png = String(name.dropLast(4)) + ".png"
                try run(rasteriser, ["--zoom", "2", "--output", png, name], in: scratch)
                text = text.replacingOccurrences(of: "(\(name))", with: "(\(png))")
            }
        }
        try Data(text.utf8).write(to: input)
        var arguments = ["--from", "markdown", "--to", "docx", "--output", output.path]
        if let reference { arguments += ["--reference-doc", reference.path] }
        try run(pandoc, arguments + [input.path], in: scratch)
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: output, to: target)
    }
}
