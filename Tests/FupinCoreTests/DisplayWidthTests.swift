import FupinCore
import Testing

/// Terminal columns of text: the one measure behind fp.show, the REPL's layout and
/// fp.report.width.
@Suite struct DisplayWidthTests {
    @Test func chineseTakesTwoColumns() {
        #expect(DisplayWidth.width("郝九为") == 6)
        #expect(DisplayWidth.width("abc") == 3)
        #expect(DisplayWidth.width("刘三 ok") == 7)
        #expect(DisplayWidth.width("（）") == 4)  // full-width parentheses
        #expect(DisplayWidth.width("") == 0)
    }

    @Test func combiningMarksTakeNoColumn() {
        #expect(DisplayWidth.width("e\u{301}") == 1)
        #expect(DisplayWidth.width("Cafe\u{301}") == 4)
    }

    @Test func controlCharactersAreEscaped() {
        #expect(DisplayWidth.visible("a\nb\tc") == "a\\nb\\tc")
        #expect(DisplayWidth.visible("\u{1B}[31m") == "\\u{1B}[31m")
        #expect(DisplayWidth.width("a\nb") == DisplayWidth.width("a\\nb"))
        #expect(DisplayWidth.visible("郝九为") == "郝九为")
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncate("郝九为", to: 6) == "郝九为")
        #expect(DisplayWidth.truncate("郝九为", to: 5) == "郝九…")
        #expect(DisplayWidth.truncate("郝九为", to: 4) == "郝…")
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        for columns in 1...12 {
            let cut = DisplayWidth.truncate("东梁村位于城市规划区内", to: columns)
            #expect(DisplayWidth.width(cut) <= columns)
            #expect(DisplayWidth.width(cut) >= columns - 1)
            #expect(cut.unicodeScalars.allSatisfy { $0.value != 0xFFFD })
        }
        #expect(DisplayWidth.fit("郝九为", to: 5) == "郝九…")
        #expect(DisplayWidth.fit("郝九为", to: 4) == "郝… ")
        #expect(DisplayWidth.fit("刘三", to: 6, alignment: .right) == "  刘三")
    }
}

/// Where a table of CJK ranges would go wrong: wcwidth knows emoji and unassigned scalars.
@Suite struct DisplayWidthBeyondCJKTests {
    @Test func emojiAreWideAndUnknownScalarsTakeOneColumn() {
        #expect(DisplayWidth.width("😀") == 2)
        #expect(DisplayWidth.width("\u{378}") == 1)  // unassigned: wcwidth says -1
        #expect(DisplayWidth.width("한글") == 4)
    }
}
