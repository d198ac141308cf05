import FupinCore
import Testing

/// 统一社会信用代码 (GB 32100-2015): length, alphabet and check character.
@Suite struct CreditCodeTests {
    @Test func checkCharacterAndProblems() throws {
        let body = Array("91150602MA0N7X8R2")
        let check = try #require(CreditCode.checkCharacter(body))
        let valid = String(body) + String(check)
        #expect(CreditCode.problem(valid) == nil)
        let wrong = String(body) + (check == "0" ? "1" : "0")
        #expect(CreditCode.problem(wrong)?.contains("the 18th should be \(check)") == true)
        #expect(CreditCode.problem("9115060") == "has 7 characters; a unified social credit code has 18")
        #expect(CreditCode.problem("91150602MA0N7X8RIO")?.contains("has 'I' at position 17") == true)
        #expect(CreditCode.normalized(" 9115 0602ma0n7x8r2\(check) ") == valid)
    }

    @Test func aCreditCodeFieldRefusesABadCodeNamingFieldAndValue() throws {
        let spec = FieldSpec("credit_code", .creditCode, "统一社会信用代码")
        #expect(throws: ValidationError.self) {
            try spec.checked(.text("91150602MA0N7X8R2A"), collection: "enterprises")
        }
        do { _ = try spec.checked(.text("91150602MA0N7X8R2A"), collection: "enterprises") } catch {
            #expect(error.description.contains("enterprises.credit_code: 91150602MA0N7X8R2A fails the check character"))
        }
    }
}
