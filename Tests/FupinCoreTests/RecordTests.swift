import GRDB
import Testing

@testable import FupinCore

@Suite("Typed records")
struct RecordTests {
    /// Every record type's columns are exactly its collection's columns, with labels.
    @Test func recordColumnsMatchSchema() throws {
        func check<R: FupinRecord>(_ type: R.Type) {
            let columns = R.Columns.allCases.map(\.rawValue)
            #expect(columns == Schema.core[R.collectionName]?.columnNames, "\(R.collectionName)")
            for column in R.Columns.allCases { #expect(!R.label(column).isEmpty) }
        }
        check(HelpUnit.self); check(Town.self); check(Village.self); check(Household.self); check(Member.self)
        check(Cadre.self); check(Pairing.self); check(Team.self); check(TeamMember.self); check(Measure.self)
        check(Distribution.self); check(Fund.self); check(Income.self); check(PovertyLine.self); check(Training.self)
        check(TrainingAttendee.self); check(Visit.self); check(EcoProject.self); check(RangerPost.self)
        check(MonitoringRecord.self); check(Note.self)
        #expect(Household.label(.headIdNumber) == "户主证件号码")
    }

    @Test func typedInsertIsValidatedAuditedAndRoundTrips() throws {
        let ws = try fixture()
        var member = Member(
            householdId: 1, number: "15060200100101", name: "郝九为", sex: "男",
            idNumber: makeIDNumber(birth: "19560304"), relation: "户主", medicalInsurance: true)
        try ws.insert(&member, context: testContext)
        let id = try #require(member.id)
        let fetched = try #require(try ws.fetch(Member.self, id: id))
        #expect(fetched == member)
        var post = RangerPost(memberId: id, year: 2019, wage: Money(fen: 1_380_000))
        try ws.insert(&post, context: testContext)
        #expect(try ws.get("ranger_posts", id: post.id ?? 0)?.value("wage") == .money(Money(fen: 1_380_000)))
        #expect(try auditEntries(ws).last?.collection == "ranger_posts")

        var bad = Member(householdId: 1, name: "刘三", idNumber: "152701198001011235")
        #expect(validationError { try ws.insert(&bad, context: testContext) }?.field == "id_number")
        #expect(bad.id == nil)

        member.health = "残疾"
        try ws.update(member, context: testContext)
        #expect(try ws.fetch(Member.self, id: id)?.health == "残疾")
        member.sex = "未知"
        #expect(validationError { try ws.update(member, context: testContext) }?.field == "sex")
    }

    @Test func storedRecordPresentation() throws {
        let ws = try fixture()
        let id = try ws.insert(
            "measures",
            [
                "household_id": 1, "year": 2019, "category": "产业", "funds": "1500",
                "planned_quarter": 2,
            ], context: testContext)
        let record = try #require(try ws.get("measures", id: id))
        #expect(record.value("funds").plainText == "1500.00")
        #expect(record.value("done") == .bool(false))  // default
        #expect(record.value("funds").input == .text("1500.00"))
        #expect(record.isValid)
    }
}

@Suite("Masking personal data")
struct MaskingTests {
    @Test func masks() {
        #expect(Masking.idNumber("152701198001011234") == "1527**********1234")
        #expect(Masking.phone("13800135678") == "138****5678")
        #expect(Masking.phone("0477-8888888") == "0477-***8888")
        let field = FieldSpec("head_id_number", .idNumber, "户主证件号码", pii: true)
        #expect(Masking.mask("152701198001011234", for: field) == "1527**********1234")
        #expect(Masking.mask("郝九为", for: FieldSpec("head_name", .text, "户主姓名")) == "郝九为")
        #expect(Schema.core["households"]?.piiFields.map(\.name) == ["head_id_number", "phone"])
    }

    /// ASCII is masked byte by byte, other text character by character: the same rule.
    @Test func shortAndNonASCIIValues() {
        #expect(Masking.idNumber("15270119") == "********")
        #expect(Masking.idNumber("") == "")
        #expect(Masking.idNumber("15270119800101123X") == "1527**********123X")
        #expect(Masking.other("视力差") == "视**")
        #expect(Masking.other("左眼失明，右眼0.3视力") == "左眼失明****.3视力")
        #expect(Masking.other("a\r\nb") == "a**")
        #expect(Masking.phone("138 0013 5678") == "138******5678")
    }

    /// The byte rule iter reads masked records with gives `mask`'s text, or declines (and the
    /// reader masks the String) where bytes are not enough.
    @Test func theByteRuleMasksAsMaskDoes() {
        let id = FieldSpec("head_id_number", .idNumber, "户主证件号码", pii: true)
        let phone = FieldSpec("phone", .phone, "联系电话", pii: true)
        func viaBytes(_ value: String, _ field: FieldSpec) -> String? {
            guard let rule = Masking.ASCIIRule(field) else { return nil }
            var text = value
            var masked: String?
            let done = text.withUTF8 { bytes in
                rule.withMasked(UnsafeRawBufferPointer(bytes)) { masked = String(decoding: $0, as: UTF8.self) }
            }
            #expect(done == (masked != nil))
            return masked
        }
        for value in ["152701198001011234", "15270119800101123X", "15270119", "152701198", "", "1", "a b\"c"] {
            #expect(viaBytes(value, id) == Masking.mask(value, for: id), "\(value)")
        }
        for value in ["13800135678", "138 0013 5678", "1380013", "13800135", "", "+8613800135678"] {
            #expect(viaBytes(value, phone) == Masking.mask(value, for: phone), "\(value)")
        }
        // Declined: a landline keeps its area code, non-ASCII is masked by characters.
        #expect(viaBytes("0477-8888888", phone) == nil)
        #expect(viaBytes("１５２７０１１９８００１０１１２３４", id) == nil)
        #expect(viaBytes("1527\t0119800101", id) == nil)
        // No byte rule where mask counts characters or leaves the value alone.
        #expect(Masking.ASCIIRule(FieldSpec("health", .text, "健康状况", pii: true)) == nil)
        #expect(Masking.ASCIIRule(FieldSpec("phone", .phone, "联系电话")) == nil)
    }
}
