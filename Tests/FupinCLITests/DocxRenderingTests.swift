import Foundation
import Testing

/// The annual summary as a Word document, rendered by real programs: pandoc writes it (through
/// the host, for the report plugin), LibreOffice prints it to PDF and poppler reads the PDF
/// back. Enabled where those programs are installed (`make render-deps`, `.ci/run`).
@Suite struct DocxRenderingTests {
    static func tool(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static let canWrite = tool("pandoc") != nil
    static let canPrint = canWrite && tool("soffice") != nil && tool("pdftotext") != nil && tool("pdfinfo") != nil

    /// The summary of 2019 written as DOCX into a sample workspace's exports/.
    static func docx() throws -> (folder: URL, file: URL) {
        let folder = try FupinBinary.scratchFolder()
        let ws = folder.appendingPathComponent("ws")
        let made = try FupinBinary.run(["init", ws.path, "--sample"])
        #expect(made.status == 0, "\(made.stderr)")
        let r = try FupinBinary.run([
            "report", "annual", "--year", "2019", "--format", "docx", "-o", "summary.docx",
            "--workspace", ws.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        return (folder, ws.appendingPathComponent("exports/summary.docx"))
    }

    /// Runs a program to its end; returns its standard output.
    static func output(_ path: String, _ arguments: [String]) throws -> String {
        let r = try FupinBinary.run([path] + arguments, viaEnv: true)
        #expect(r.status == 0, "\(path) \(arguments): \(r.stderr)")
        return r.stdout
    }

    @Test(.enabled(if: canWrite)) func theDocxCarriesTheReferenceLayout() throws {
        let (_, file) = try DocxRenderingTests.docx()
        let bytes = try Data(contentsOf: file)
        #expect(bytes.prefix(2) == Data("PK".utf8))
        // part names are stored uncompressed in a zip's directory
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("word/footer1.xml") && text.contains("word/footer2.xml"))
        #expect(text.contains("word/document.xml"))
        // the charts, rasterised for Word where rsvg-convert is installed
        if DocxRenderingTests.tool("rsvg-convert") != nil {
            #expect(text.contains("word/media/") && text.contains(".png"))
        }
    }

    @Test(.enabled(if: canPrint)) func libreOfficePrintsTitlePageNumbersAndClosing() throws {
        let (folder, file) = try DocxRenderingTests.docx()
        let profile = folder.appendingPathComponent("lo-profile")
        let T = DocxRenderingTests.self
        guard let soffice = T.tool("soffice"), let pdfinfo = T.tool("pdfinfo"), let pdftotext = T.tool("pdftotext")
        else {
            Issue.record("the rendering programs went missing")
            return
        }
        _ = try T.output(
            soffice,
            [
                "-env:UserInstallation=file://\(profile.path)", "--headless",
                "--convert-to", "pdf", "--outdir", folder.path, file.path,
            ])
        let pdf = folder.appendingPathComponent("summary.pdf").path
        let info = try T.output(pdfinfo, [pdf])
        #expect(info.contains("A4"))
        let pages =
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int(String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces)) } ?? 0
        #expect(pages >= 3 && pages <= 12, "\(pages) pages")
        // pdftotext spaces CJK from digits; compare without whitespace
        let text = try T.output(pdftotext, [pdf, "-"]).filter { !$0.isWhitespace }
        #expect(text.contains("东胜区林业局2019年度精准扶贫工作总结"))
        #expect(text.contains("—1—") && text.contains("—\(pages)—"))
        #expect(text.contains("东胜区林业局2019年12月20日"))
        #expect(text.contains("一、工作开展情况") && text.contains("三、下一步工作思路"))
        try T.expectTheGrid(pages: T.output(pdftotext, [pdf, "-"]).components(separatedBy: "\u{0C}"))
    }

    /// GB/T 9704's grid, as LibreOffice set it: 22 lines a page and 28 characters a line of
    /// body text. Read on the prose pages (before the appendix's tables): no page holds more
    /// than 22 lines and a full one holds exactly 22; a full line of full-width characters holds
    /// 28 (29 when the last is punctuation hanging in the margin), never more.
    static func expectTheGrid(pages: [String]) {
        let lines = pages.map { page in
            page.split(separator: "\n").map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
        }
        let prose = lines.prefix { page in !page.contains { $0.hasPrefix("附件") } }
            .map { page in page.filter { !($0.hasPrefix("—") && $0.hasSuffix("—")) } }  // the page number
        #expect(prose.count >= 3, "\(prose.count) prose pages")
        let counts = prose.map(\.count)
        #expect(counts.allSatisfy { $0 <= 22 } && counts.contains(22), "lines a page: \(counts)")
        // Lines of full-width characters only (digits and Latin letters are half as wide).
        let fullWidth = prose.joined().filter { line in
            line.count >= 20 && line.unicodeScalars.allSatisfy { $0.value >= 0x3000 }
        }
        let hanging: Set<Character> = ["，", "。", "；", "、", "：", "？", "！", "”", "）", "》"]
        var lengths: [Int: Int] = [:]
        for line in fullWidth {
            lengths[line.count, default: 0] += 1
            let most = hanging.contains(line.last ?? " ") ? 29 : 28
            #expect(line.count <= most, "\(line.count) characters: \(line)")
        }
        #expect(lengths.max { $0.value < $1.value }?.key == 28, "full-width lines by length: \(lengths)")
    }
}
