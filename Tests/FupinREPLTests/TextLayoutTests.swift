import FupinCore
import FupinREPL
import Testing

/// Nested values go on one line when they fit, else one item (or a filled run) per line.
@Suite struct TextLayoutTests {
    private func list(_ items: [String]) -> LayoutNode {
        .group(open: "{", close: "}", padded: true, items: items.map { LayoutItem("", .atom($0)) })
    }

    @Test func fitsOnOneLine() {
        let node = LayoutNode.group(
            open: "{", close: "}", padded: true,
            items: [LayoutItem("", .atom("1")), LayoutItem("x = ", .atom("2"))])
        #expect(node.layout(width: 80) == "{ 1, x = 2 }")
        #expect(LayoutNode.group(open: "{", close: "}", padded: true, items: []).layout(width: 80) == "{}")
    }

    @Test func breaksWhenTooWide() {
        let node = LayoutNode.group(
            open: "{", close: "}", padded: true,
            items: [
                LayoutItem("name = ", .atom("\"郝九为\"")), LayoutItem("village = ", .atom("\"东梁村\"")),
            ])
        // One line takes 39 columns (CJK characters take two).
        #expect(node.layout(width: 39) == "{ name = \"郝九为\", village = \"东梁村\" }")
        #expect(node.layout(width: 38) == "{\n  name = \"郝九为\",\n  village = \"东梁村\"\n}")
    }

    @Test func aKeyBeforeANestedGroupCounts() {
        // { fields = { 1111, 2222, 3333 }, x = 1 } broken: "  fields = { 1111, 2222, 3333 }" is 32 columns.
        let inner = list(["1111", "2222", "3333"])
        let node = LayoutNode.group(
            open: "{", close: "}", padded: true,
            items: [LayoutItem("fields = ", inner), LayoutItem("x = ", .atom("1"))])
        #expect(node.layout(width: 32) == "{\n  fields = { 1111, 2222, 3333 },\n  x = 1\n}")
        let narrow = node.layout(width: 30).split(separator: "\n")
        #expect(narrow.allSatisfy { DisplayWidth.width(String($0)) <= 30 }, "\(narrow)")
    }

    @Test func longListsFillLines() {
        let node = list((1...12).map { String(repeating: "x", count: $0 % 3 + 4) })
        let lines = node.layout(width: 30).split(separator: "\n")
        #expect(lines.count > 3)
        #expect(lines.allSatisfy { $0.count <= 30 })
        #expect(lines.dropFirst().dropLast().contains { $0.contains(", ") })  // several per line
    }

    @Test func fillPacksByDisplayWidth() {
        #expect(LayoutNode.fill(["郝九为", "刘三", "ab"], width: 13) == ["郝九为, 刘三", "ab"])
        #expect(LayoutNode.fill(["郝九为", "刘三", "ab"], width: 12) == ["郝九为", "刘三, ab"])
    }
}
