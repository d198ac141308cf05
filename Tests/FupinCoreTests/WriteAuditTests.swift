import Foundation
import GRDB
import Testing

@testable import FupinCore

@Suite("Writes are audited, removals mark invalid, failed writes write nothing")
struct WriteAuditTests {
    @Test func insertUpdateRemoveAreAudited() throws {
        let ws = try Workspace.inMemory()
        let time = Date(timeIntervalSince1970: 1_556_697_600)  // 2019-05-01T08:00:00Z
        let ctx = WriteContext(operator: "王明刚", source: "plugin:produce-sales:record", time: time)
        let id = try ws.insert("towns", ["name": "乌兰木伦镇"], context: ctx)
        try ws.update("towns", id: id, ["district": "康巴什区"], context: ctx)
        try ws.remove("towns", id: id, context: ctx)

        let entries = try auditEntries(ws)
        #expect(entries.map(\.action) == ["insert", "update", "remove"])
        for entry in entries {
            #expect(entry.time == "2019-05-01T08:00:00.000Z")
            #expect(entry.operator == "王明刚")
            #expect(entry.source == "plugin:produce-sales:record")
            #expect(entry.collection == "towns")
            #expect(entry.recordID == id)
        }
        #expect(entries[0].before == nil)
        #expect(entries[0].after == #"{"id":1,"name":"乌兰木伦镇","district":null,"valid":1}"#)
        #expect(entries[1].before == entries[0].after)
        #expect(entries[1].after == #"{"id":1,"name":"乌兰木伦镇","district":"康巴什区","valid":1}"#)
        #expect(entries[2].before == entries[1].after)
        #expect(entries[2].after == #"{"id":1,"name":"乌兰木伦镇","district":"康巴什区","valid":0}"#)
        #expect(entries[2].afterObject?["valid"] as? Int == 0)
    }

    @Test func removalMarksInvalidAndDeletesNothing() throws {
        let ws = try fixture()
        let member = try ws.insert("members", ["household_id": 1, "name": "刘三"], context: testContext)
        let before = (try count(ws, "households"), try count(ws, "members"))
        try ws.remove("members", id: member, context: testContext)
        try ws.remove("households", id: 1, context: testContext)
        #expect((try count(ws, "households"), try count(ws, "members")) == before)
        #expect(try ws.get("households", id: 1)?.isValid == false)
        #expect(try ws.get("members", id: member)?.isValid == false)
        #expect(try ws.get("members", id: member)?["name"] == "刘三".sqlValue)
        // Removing again changes nothing and is not audited twice.
        let audits = try auditEntries(ws).count
        try ws.remove("members", id: member, context: testContext)
        #expect(try auditEntries(ws).count == audits)
        // A record can be restored by an update of its valid flag.
        try ws.update("households", id: 1, ["valid": true], context: testContext)
        #expect(try ws.get("households", id: 1)?.isValid == true)
    }

    @Test func removalDeletesOnlyWhereNoValidFlagAndIsAudited() throws {
        let ws = try fixture()
        let line = try ws.insert("poverty_lines", ["year": 2019, "amount": 3747], context: testContext)
        try ws.remove("poverty_lines", id: line, context: testContext)
        #expect(try count(ws, "poverty_lines") == 0)
        let last = try #require(try auditEntries(ws).last)
        #expect(last.action == "remove")
        #expect(last.before == #"{"id":1,"year":2019,"amount":374700,"note":null}"#)
        #expect(last.after == nil)
    }

    @Test func failedMultiRowWriteLeavesCountsAndAuditUnchanged() throws {
        let ws = try fixture()
        let households = try count(ws, "households")
        let audits = try count(ws, "audit_log")
        let rows: [[String: FieldInput]] = [
            ["number": "150602001002", "head_name": "杨来才", "village_id": 1],
            ["number": "150602001003", "head_name": "刘三", "village_id": 1],
            ["number": "150602001004", "head_name": "某某", "village_id": 1, "head_id_number": "152701198001011235"],
            ["number": "150602001005", "head_name": "某某", "village_id": 1],
        ]
        do {
            try ws.insertAll("households", rows, context: testContext)
            Issue.record("expected the third row to fail")
        } catch let error as RowError {
            #expect(error.row == 2)
            #expect(
                error.description == "row 3: households.head_id_number: 152701198001011235 fails the ID check digit")
        }
        #expect(try count(ws, "households") == households)
        #expect(try count(ws, "audit_log") == audits)

        // The same inside a caller's transaction (one unit of work): an error rolls back all.
        #expect(throws: ValidationError.self) {
            try ws.write { db in
                try ws.insert("households", rows[0], context: testContext, in: db)
                try ws.update("households", id: 1, ["size": -3], context: testContext, in: db)
            }
        }
        #expect(try count(ws, "households") == households)
        #expect(try count(ws, "audit_log") == audits)
    }

    @Test func failedSingleWriteInsideATransactionWritesNothingOfItself() throws {
        let ws = try fixture()
        let audits = try count(ws, "audit_log")
        try ws.write { db in
            #expect(throws: ValidationError.self) {
                try ws.insert("members", ["household_id": 1, "name": "x", "sex": "?"], context: testContext, in: db)
            }
            try ws.insert("members", ["household_id": 1, "name": "郝九为"], context: testContext, in: db)
        }
        #expect(try count(ws, "members") == 1)
        #expect(try count(ws, "audit_log") == audits + 1)
    }

    @Test func dryRunRollsBack() throws {
        let ws = try fixture()
        let before = try count(ws, "audit_log")
        let id = try ws.dryRun { db in try ws.insert("towns", ["name": "新街镇"], context: testContext, in: db) }
        #expect(id == 2)
        #expect(try count(ws, "towns") == 1)
        #expect(try count(ws, "audit_log") == before)
    }

    @Test func settingsChangesAreAudited() throws {
        let ws = try fixture()
        try ws.setMonitoringBandFactor("2", context: testContext)
        #expect(try ws.store.read { c in try ws.monitoringBandFactorHundredths(in: c) } == 200)
        let last = try #require(try auditEntries(ws).last)
        #expect(last.collection == "settings")
        #expect(last.before == #"{"key":"monitoring_band_factor","value":"1.5"}"#)
        #expect(last.after == #"{"key":"monitoring_band_factor","value":"2.00"}"#)
        #expect(throws: WorkspaceError.self) { try ws.setMonitoringBandFactor("-1", context: testContext) }
    }

    @Test func updatingNothingWritesNoAudit() throws {
        let ws = try fixture()
        let before = try count(ws, "audit_log")
        try ws.update("households", id: 1, ["head_name": "郝九为"], context: testContext)
        #expect(try count(ws, "audit_log") == before)
        #expect(throws: WorkspaceError.self) { try ws.update("households", id: 42, ["size": 2], context: testContext) }
        #expect(throws: WorkspaceError.self) { try ws.insert("nothing", ["a": 1], context: testContext) }
    }
}
