import Foundation
import FupinCore
import FupinScripting
import LuaKit
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// fp.report: present in fp, its documented members exist, the three renderings, the SVG
/// charts, and HTML that an XML parser accepts.
@Suite struct FpReportTests {
    let host: FupinHost
    init() throws { host = try FpTestSupport.sampleHost() }

    func value(_ source: String) throws -> LuaValue {
        try FpTestSupport.run(host, source).first ?? .nil
    }

    func text(_ source: String) throws -> String {
        try value(source).stringValue ?? ""
    }

    @Test func everyDocumentedMemberExists() throws {
        for member in FpAPI.report {
            #expect(try text("return type(fp.report.\(member.name))") == "function", "fp.report.\(member.name)")
        }
        for member in FpAPI.reportMethods {
            #expect(
                try text("return type(fp.report.document():section('x').\(member.name))") == "function",
                ":\(member.name)")
        }
        #expect(Set(FpAPI.report.map(\.name)) == Set(FpReport.functionNames))
        #expect(Set(FpAPI.reportMethods.map(\.name)) == Set(FpReport.containerMethods))
    }

    @Test func docsShowEveryMember() throws {
        let doc = try String(contentsOf: LuaAPIDocTests.docURL, encoding: .utf8)
        for member in FpAPI.report { #expect(doc.contains("fp.report.\(member.name)"), "fp.report.\(member.name)") }
        for member in FpAPI.reportMethods {
            #expect(doc.contains(":\(member.name)(") || doc.contains(":\(member.name){"), ":\(member.name)")
        }
    }

    @Test func numbersAndWidths() throws {
        #expect(try text("return fp.report.number(10050)") == "10,050")
        #expect(try text("return fp.report.number(-1234567.5)") == "-1,234,567.5")
        #expect(try text("return fp.report.number(38600, 2)") == "38,600.00")
        #expect(try text("return fp.report.wan(13800)") == "1.38")
        #expect(try text("return fp.report.wan(fp.funds:where{ direction = 'in' }:sum('amount'))") == "3.86")
        #expect(try value("return fp.report.width('郝九为 ab')").intValue == 9)
        // The same measure as fp.show's DisplayWidth, where a table of CJK ranges differed:
        // emoji are wide, combining marks take no column, numbers are measured as text.
        for (sample, columns) in [("😀x", 3), ("Cafe\u{301}", 4), ("（全角）", 8), ("한글", 4), ("", 0)] {
            #expect(try value("return fp.report.width('\(sample)')").intValue == Int64(columns), "\(sample)")
            #expect(DisplayWidth.width(sample) == columns, "\(sample)")
        }
        #expect(try value("return fp.report.width(12.5)").intValue == 4)
        #expect(try text("return fp.report.pad('😀', 4, 'right')") == "  😀")
        #expect(
            try text("return fp.report.escape([[<a href=\"x\">&'</a>]])")
                == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
    }

    static let build = """
        local doc = fp.report.document{ title = '物资 <发放>', subtitle = '2019年' }
        local s = doc:section('一、按物资')
        s:paragraph('共发放' .. fp.distributions:count() .. '次 & 5种物资。')
        local rows = {}
        local byItem = fp.distributions:group_by('item'):sum('value')
        for item, v in pairs(byItem) do rows[#rows + 1] = { item, v } end
        table.sort(rows, function(a, b) return a[2] > b[2] end)
        s:table{ columns = { '物资', { label = '价值（元）', align = 'right' } }, rows = rows,
                 totals = { '合计', fp.distributions:sum('value') } }
        s:chart{ kind = 'bar', title = '按物资（元）', data = rows, unit = '元' }
        s:section('（一）来源'):chart{ kind = 'pie', title = '资金来源',
          data = { { '单位自筹', 30000 }, { '干部职工捐款', 8600 } } }
        doc:page_break()
        doc:section('二、走势'):chart{ kind = 'line', title = '收入', labels = { '2018', '2019' },
          series = { { name = '郝九为', values = { 3300, 9400 } }, { name = '杨来才', values = { 9000, 23300 } } } }
        doc:list({ 'a|b', 'c' }, { ordered = true })
        """

    @Test func markdown() throws {
        let md = try text(Self.build + "\nreturn doc:render('md')")
        #expect(md.hasPrefix("# 物资 <发放>\n"))
        #expect(md.contains("## 一、按物资"))
        #expect(md.contains("### （一）来源"))
        #expect(md.contains("| 物资 | 价值（元） |\n| --- | ---: |\n| 果树苗 | 1,688 |"))
        #expect(md.contains("| **合计** | **4,218** |"))
        #expect(md.contains("**图：按物资（元）**"))
        #expect(md.contains("1. a|b"))
        #expect(!md.contains("<svg"))
        let embedded = try text(Self.build + "\nreturn doc:render('md', { svg = true })")
        #expect(embedded.components(separatedBy: "<svg ").count - 1 == 3)
    }

    @Test func plainText() throws {
        let txt = try text(Self.build + "\nreturn doc:render('txt')")
        #expect(txt.contains("　　共发放12次 & 5种物资。"))
        #expect(txt.split(separator: "\n").contains { $0.hasPrefix("果树苗") && $0.hasSuffix("1,688") })
        #expect(txt.contains("图：资金来源"))
        #expect(txt.contains("\u{0C}"))
    }

    /// A very wide middle cell (an --explain value at province scale) pads the other rows to its
    /// width; trimming those runs of spaces with a Lua pattern was quadratic and ran past the
    /// command's time limit. Rows end without spaces and the last column starts where it should.
    @Test func plainTextWithAVeryWideCell() throws {
        let txt = try text(
            """
            local doc = fp.report.document{ title = 't' }
            doc:section('s'):table{ columns = { 'k', 'v', 'q' },
              rows = { { '1', string.rep('x', 200000), 'a' }, { '2', 'short', 'b' }, { '3', '', '' } } }
            return doc:render('txt')
            """)
        let lines = txt.split(separator: "\n", omittingEmptySubsequences: false)
        let short = try #require(lines.first { $0.hasPrefix("2") })
        #expect(short.hasSuffix(" b"))
        #expect(short.count == 1 + 2 + 200_000 + 2 + 1)
        #expect(lines.contains("3"))
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }

    @Test func htmlIsSelfContainedWithOneSVGPerChart() throws {
        let html = try text(Self.build + "\nreturn doc:render('html')")
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("<meta charset=\"utf-8\"/>"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("<title>物资 &lt;发放&gt;</title>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(html.components(separatedBy: "<figure class=\"chart\">").count - 1 == 3)
        #expect(html.contains("<polyline"))
        #expect(html.contains("<path d=\"M "))
        #expect(html.contains("class=\"page-break\""))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #if canImport(FoundationXML) || os(macOS)
            let parser = XMLParser(data: Data(html.utf8))
            #expect(parser.parse(), "HTML is not well-formed: \(String(describing: parser.parserError))")
        #endif
    }

    @Test func chartsValidateTheirInput() throws {
        #expect(throws: (any Error).self) { try FpTestSupport.run(host, "fp.report.svg{ kind = 'radar', data = {} }") }
        #expect(throws: (any Error).self) { try FpTestSupport.run(host, "fp.report.document():render('pdf')") }
        let empty = try text("return fp.report.svg{ kind = 'bar', title = '空', data = {} }")
        #expect(empty.contains("无数据") && empty.hasSuffix("</svg>"))
        let whole = try text("return fp.report.svg{ kind = 'pie', data = { { '全部', 5 } } }")
        #expect(whole.contains("<circle"))
    }

    @Test func worksWithoutTheCallersGlobals() throws {
        // A plugin's environment holds its own globals; fp.report relies on none of them.
        let html = try text(
            """
            local chunk = load("local d = fp.report.document{ title = 't' } d:section('s'):chart{ data = { { 'a', 1 } } } return d:render('html')",
                               "=sandboxed", "t", { fp = fp })
            return chunk()
            """)
        #expect(html.contains("<svg "))
    }
}
