/// `fp.report`: documents built from sections, paragraphs, lists, tables and charts, rendered
/// to Markdown, self-contained print-ready HTML (A4, inline SVG charts, no network) or plain
/// text. It is plain Lua over the standard string/table/math libraries, with one measure from
/// the host (`width`, FupinCore's DisplayWidth), so it behaves the same in the REPL, in scripts
/// and inside the plugin sandbox; the `fp` prelude installs it as `fp.report`.
///
/// ```lua
/// local doc = fp.report.document{ title = "物资发放" }
/// local s = doc:section("按物资")
/// s:paragraph("2019年共发放物资5种。")
/// s:table{ columns = { "物资", { label = "数量", align = "right" } }, rows = { { "果树苗", 211 } } }
/// s:chart{ kind = "bar", title = "按物资（元）", data = { { "果树苗", 1688 }, { "猪仔", 1600 } } }
/// local html = doc:render("html")
/// ```
public enum FpReport {
    /// Names of the functions of `fp.report` and the methods of a document or section.
    public static let functionNames = ["document", "svg", "escape", "number", "wan", "width", "pad"]
    public static let containerMethods = ["section", "paragraph", "list", "table", "chart", "page_break", "render"]

    /// The Lua chunk (`lua/fp_report.lua`, compiled into the binary); called with the width
    /// native, it returns the `fp.report` table.
    public static var source: [UInt8] { PackageResources.fp_report_lua }
}
