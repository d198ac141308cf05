import Foundation
import Testing

/// Results taller than the terminal go through $PAGER, as in psql.
@Suite struct ReplPagerTests {
    @Test func aTallResultIsPagedUnlessThePagerIsOff() throws {
        // A stand-in pager that marks every line it shows.
        let (term, _) = try ReplWorkspaceTests.start(rows: 10, extra: ["PAGER": "sed 's/^/paged: /'"])
        let paged = try ReplWorkspaceTests.enter("fp.visits", term)
        #expect(paged.hasPrefix("paged: id  date"), "\(paged)")
        // For the pager (less -S scrolls sideways) the table keeps every column.
        #expect(paged.hasSuffix("paged: (14 rows)") && paged.contains("follow_up"), "\(paged)")
        #expect(try ReplWorkspaceTests.enter("6 * 7", term) == "42")  // short: printed as it is
        #expect(try ReplWorkspaceTests.enter(":pager off", term).contains("pager is off"))
        let plain = try ReplWorkspaceTests.enter("fp.visits", term)
        #expect(plain.hasPrefix("id  date") && !plain.contains("paged: "), "\(plain)")
        #expect(plain.hasSuffix(" of 9 columns)"), "\(plain)")  // fitted to the 120 columns
        #expect(try ReplWorkspaceTests.enter(":pager on", term).contains("pager is on (sed 's/^/paged: /')"))
    }

    @Test func lessIsTheDefaultAndGivesThePromptBack() throws {
        let (term, _) = try ReplWorkspaceTests.start(rows: 8, extra: ["PAGER": "", "LESS": ""])
        term.send("fp.visits\r")
        // less shows the first screen (Chinese as text, though no UTF-8 locale is set); q quits.
        try term.expect("了解家庭收支")
        term.send("q")
        try term.expect("> ")
        #expect(try ReplWorkspaceTests.enter("6 * 7", term) == "42")
    }
}
