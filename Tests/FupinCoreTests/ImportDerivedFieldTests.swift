import Foundation
import GRDB
import Testing

@testable import FupinCore

/// A required field that a product rule derives (a sale's amount from quantity × unit price)
/// needs no column of its own in an imported file when the two others have columns.
@Test func importDerivesARequiredProductFieldFromTheOtherTwoColumns() throws {
    let ws = try fixture()
    try ws.registerLedger(salesWithDerivedAmount)
    let good = Array("日期,产品,数量,单价\n2019-12-05,鸡蛋,100,1.2\n2019-12-06,黄瓜,12.5,6.4\n".utf8)
    let report = try ws.importCSV("sales", bytes: good, file: "s.csv", options: ImportOptions(), context: testContext)
    #expect(report.inserted["sales"] == 2)
    let amounts = try ws.read { db in try Int64.fetchAll(db, sql: "SELECT amount FROM sales ORDER BY id") }
    #expect(amounts == [12000, 8000])

    // A row that lacks one of the two still fails on the required amount, naming the row.
    let short = Array("日期,产品,数量,单价\n2019-12-07,鸡蛋,100,\n".utf8)
    #expect(throws: ImportFailure.self) {
        try ws.importCSV("sales", bytes: short, file: "short.csv", options: ImportOptions(), context: testContext)
    }
    do {
        try ws.importCSV("sales", bytes: short, file: "short.csv", options: ImportOptions(), context: testContext)
    } catch let failure as ImportFailure {
        #expect(failure.report.problems.first?.row == 2)
        #expect(failure.report.problems.first?.field == "amount")
    }
    // Only one of the three: the header itself is refused.
    let one = Array("日期,产品,数量\n2019-12-07,鸡蛋,100\n".utf8)
    do {
        try ws.importCSV("sales", bytes: one, file: "one.csv", options: ImportOptions(), context: testContext)
        Issue.record("a file without amount or unit price was imported")
    } catch let failure as ImportFailure {
        #expect(failure.report.problems.first?.reason.contains("is required but the file has no column amount") == true)
    }
    #expect(try count(ws, "sales") == 2)
}
