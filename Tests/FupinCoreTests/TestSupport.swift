import Foundation
import GRDB
import TestScratch
import Testing

@testable import FupinCore

/// An 18-character resident ID computed here, independently of FupinCore, with the
/// GB 11643 / ISO 7064 MOD 11-2 check character.
func makeIDNumber(area: String = "152701", birth: String = "19800101", sequence: String = "123") -> String {
    let first17 = area + birth + sequence
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    var sum = 0
    for (character, weight) in zip(first17, weights) { sum += (character.wholeNumberValue ?? 0) * weight }
    let checks = Array("10X98765432")
    return first17 + String(checks[sum % 11])
}

/// The same ID with a wrong check character.
func withWrongCheck(_ id: String) -> String {
    let last = id.last ?? "0"
    let wrong: Character = last == "1" ? "2" : "1"
    return String(id.dropLast()) + String(wrong)
}

let testContext = WriteContext(operator: "测试员", source: "test")

/// An in-memory workspace with one unit, town, village and household (ids 1).
func fixture() throws -> Workspace {
    let ws = try Workspace.inMemory()
    try ws.insert("units", ["name": "区林业局", "kind": "党政机关", "group_head": "局长"], context: testContext)
    try ws.insert("towns", ["name": "乌兰木伦镇"], context: testContext)
    try ws.insert("villages", ["name": "前进村", "town_id": 1, "unit_id": 1], context: testContext)
    try ws.insert(
        "households",
        [
            "number": "150602001001", "head_name": "郝九为", "village_id": 1, "size": 3,
            "standard": "国家",
        ], context: testContext)
    return ws
}

func count(_ ws: Workspace, _ table: String) throws -> Int {
    try ws.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? -1 }
}

func auditEntries(_ ws: Workspace) throws -> [AuditEntry] {
    try ws.read { db in try AuditLog.entries(db) }
}

/// The validation error thrown by `body`, or nil when it did not throw one.
func validationError(_ body: () throws -> Void) -> ValidationError? {
    do {
        try body()
        return nil
    } catch let error as ValidationError {
        return error
    } catch let error as RowError {
        return error.error
    } catch {
        return nil
    }
}

/// `text` in GB18030, as the system's iconv writes it (Excel on Chinese Windows writes the same).
func gb18030ByIconv(_ text: String) throws -> [UInt8] {
    let folder = try scratchFolder("gb")
    let source = folder.appendingPathComponent("in.csv")
    let target = folder.appendingPathComponent("gb.csv")
    try Data(text.utf8).write(to: source)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = ["-f", "UTF-8", "-t", "GB18030", "-o", target.path, source.path]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return [UInt8](try Data(contentsOf: target))
}

/// A plugin-style ledger whose amount a product rule derives (quantity × unit price).
let salesWithDerivedAmount = CollectionSchema(
    name: "sales", label: "销售记录",
    fields: [
        FieldSpec("date", .date, "日期", required: true),
        FieldSpec("product", .text, "产品", required: true),
        FieldSpec("quantity", .number, "数量", min: 0),
        FieldSpec("unit_price", .money, "单价", min: 0),
        FieldSpec("amount", .money, "金额", required: true, min: 0),
    ],
    keepsValidFlag: true, dateField: "date", rules: [.product("amount", factors: ["quantity", "unit_price"])])
