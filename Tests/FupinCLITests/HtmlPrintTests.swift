import Foundation
import Testing

/// The HTML documents printed by headless Chromium to PDF and read back with poppler: A4,
/// page numbers "— n —", wide tables on landscape pages (the named page "wide"). Enabled where
/// chromium and poppler are installed (`make render-deps`, `.ci/run`).
@Suite struct HtmlPrintTests {
    static let canPrint =
        DocxRenderingTests.tool("chromium") != nil && DocxRenderingTests.tool("pdfinfo") != nil
        && DocxRenderingTests.tool("pdftotext") != nil

    /// Writes `arguments` as HTML into a sample workspace and prints it; returns (pdfinfo, text).
    static func print(_ arguments: [String]) throws -> (info: String, text: String) {
        let T = DocxRenderingTests.self
        let folder = try FupinBinary.scratchFolder()
        let ws = folder.appendingPathComponent("ws")
        let made = try FupinBinary.run(["init", ws.path, "--sample"])
        #expect(made.status == 0, "\(made.stderr)")
        let r = try FupinBinary.run(arguments + ["--format", "html", "-o", "doc.html", "--workspace", ws.path])
        #expect(r.status == 0, "\(r.stderr)")
        guard let chromium = T.tool("chromium"), let pdfinfo = T.tool("pdfinfo"), let pdftotext = T.tool("pdftotext")
        else {
            Issue.record("the printing programs went missing")
            return ("", "")
        }
        let pdf = folder.appendingPathComponent("doc.pdf").path
        _ = try T.output(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--user-data-dir=\(folder.appendingPathComponent("chromium").path)",
                "--print-to-pdf=\(pdf)", ws.appendingPathComponent("exports/doc.html").path,
            ])
        let info = try T.output(pdfinfo, ["-f", "1", "-l", "40", pdf])
        let text = try T.output(pdftotext, [pdf, "-"]).filter { !$0.isWhitespace }
        return (info, text)
    }

    /// The elements wider than their page (174 mm of A4 portrait; 267 mm inside a wide table,
    /// which prints landscape), measured by Chromium in a copy of the page with a probe script
    /// (the documents themselves carry no script).
    static func overflowing(_ arguments: [String]) throws -> String {
        let T = DocxRenderingTests.self
        let folder = try FupinBinary.scratchFolder()
        let ws = folder.appendingPathComponent("ws")
        let made = try FupinBinary.run(["init", ws.path, "--sample"])
        #expect(made.status == 0, "\(made.stderr)")
        let r = try FupinBinary.run(arguments + ["--format", "html", "-o", "doc.html", "--workspace", ws.path])
        #expect(r.status == 0, "\(r.stderr)")
        let probe = """
            <script>
            window.addEventListener("load", function () {
              var page = 174 * 96 / 25.4, wide = 267 * 96 / 25.4, bad = [];
              document.querySelectorAll("body *").forEach(function (el) {
                var w = el.getBoundingClientRect().width;
                if (w > (el.closest("table.wide") ? wide : page) + 1) bad.push(el.tagName + ":" + Math.round(w));
              });
              var out = document.createElement("pre");
              out.textContent = "OVERFLOW[" + bad.join(",") + "]";
              document.body.appendChild(out);
            });
            </script>
            """
        let html = try String(contentsOf: ws.appendingPathComponent("exports/doc.html"), encoding: .utf8)
        let probed = folder.appendingPathComponent("probe.html")
        try html.replacingOccurrences(of: "</body>", with: probe + "</body>").write(
            to: probed, atomically: true, encoding: .utf8)
        guard let chromium = T.tool("chromium") else { Issue.record("chromium went missing"); return "" }
        let dom = try T.output(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--window-size=658,1000",
                "--user-data-dir=\(folder.appendingPathComponent("chromium").path)",
                "--dump-dom", probed.path,
            ])
        guard let start = dom.range(of: "OVERFLOW[", options: .backwards),
            let end = dom.range(of: "]", range: start.upperBound..<dom.endIndex)
        else { return "no probe result" }
        return String(dom[start.upperBound..<end.lowerBound])
    }

    @Test(.enabled(if: canPrint)) func noElementIsWiderThanItsPage() throws {
        #expect(try HtmlPrintTests.overflowing(["report", "annual", "--year", "2019", "--explain"]) == "")
        #expect(try HtmlPrintTests.overflowing(["ledgers", "register", "--year", "2019"]) == "")
        #expect(try HtmlPrintTests.overflowing(["ledgers", "card"]) == "")
    }

    static func pages(_ info: String) -> Int {
        info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int(String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    @Test(.enabled(if: canPrint)) func theSummaryPrintsOnNumberedA4Pages() throws {
        let (info, text) = try HtmlPrintTests.print(["report", "annual", "--year", "2019"])
        let pages = HtmlPrintTests.pages(info)
        #expect(pages >= 2 && pages <= 12, "\(pages) pages")
        #expect(info.contains("594.96 x 841.92"))
        #expect(text.contains("东胜区林业局2019年度精准扶贫工作总结"))
        #expect(text.contains("—1—") && text.contains("—\(pages)—"))
    }

    @Test(.enabled(if: canPrint)) func theRegisterPrintsItsWideTablesAcrossThePage() throws {
        let (info, text) = try HtmlPrintTests.print(["ledgers", "register", "--year", "2019"])
        #expect(info.contains("841.92 x 594.96"), "no landscape page:\n\(info)")
        #expect(info.contains("594.96 x 841.92"))
        #expect(text.contains("全镇合计"))
    }
}
