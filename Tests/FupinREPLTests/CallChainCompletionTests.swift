import FupinREPL
import Testing

/// Completion after calls and inside a call's arguments: what the chain is and what kind of
/// name fits where the cursor is.
@Suite struct CallChainCompletionTests {
    private func parse(_ text: String) -> (String, [String], [String], CallChainCompletion.Kind)? {
        CallChainCompletion(text).map { ($0.prefix, $0.head, $0.calls, $0.kind) }
    }

    @Test func aMethodAfterAChainedCall() throws {
        let c = try #require(CallChainCompletion(#"fp.households:where{ standard = "国家" }:gr"#))
        #expect(c.head == ["fp", "households"])
        #expect(c.calls == ["where"])
        #expect(c.kind == .method)
        #expect(
            c.completion(of: ["group_by", "list", "_c"]) == ReplCompletion(partial: "gr", candidates: ["group_by"]))
        let long = try #require(CallChainCompletion(#"x = fp.sales:where{ a = { 1, 2 } }:order_by("date"):limit(3):"#))
        #expect(long.calls == ["where", "order_by", "limit"])
        #expect(long.prefix == "")
    }

    @Test func fieldKeysInsideACallsTable() throws {
        #expect(parse("fp.households:where{ sta")! == ("sta", ["fp", "households"], ["where"], .fieldKey))
        #expect(
            parse("fp.households:find{ head_name = 'x', vil")! == ("vil", ["fp", "households"], ["find"], .fieldKey))
        #expect(parse("fp.visits:add{")! == ("", ["fp", "visits"], ["add"], .fieldKey))
        #expect(parse("fp.households:update(3, { pho")! == ("pho", ["fp", "households"], ["update"], .fieldKey))
        #expect(
            parse("fp.sales:where{ year = 2019 }:where{ pro")! == (
                "pro", ["fp", "sales"], ["where", "where"], .fieldKey
            ))
    }

    @Test func argumentsOfAFunctionNamedByAPath() throws {
        #expect(parse("fp.plugins.shop.record{ da")! == ("da", ["fp", "plugins", "shop", "record"], [], .fieldKey))
        #expect(
            parse(#"fp.plugins["produce-sales"].summary{ year = 2019, b"#)!
                == ("b", ["fp", "plugins", "produce-sales", "summary"], [], .fieldKey))
        #expect(parse(#"x["a"]:where{ y"#)! == ("y", ["x", "a"], ["where"], .fieldKey))
        #expect(CallChainCompletion(#"["a"].b{ c"#) == nil)  // no name to start from
    }

    @Test func fieldNamesInsideACallsString() throws {
        #expect(
            parse(#"fp.distributions:group_by("it"#)! == ("it", ["fp", "distributions"], ["group_by"], .fieldString))
        #expect(
            parse("fp.visits:where{ a = 1 }:order_by('da")! == (
                "da", ["fp", "visits"], ["where", "order_by"], .fieldString
            ))
    }

    @Test func notAChainPosition() {
        #expect(CallChainCompletion("fp.households:wh") == nil)  // a plain method: LuaCompletionPath's
        #expect(CallChainCompletion("fp.households:where{ standard = gl") == nil)  // a value, not a key
        #expect(CallChainCompletion("t = { sta") == nil)  // a table given to nothing
        #expect(CallChainCompletion("fp.households:where{ a = f(1, sta") == nil)
        #expect(CallChainCompletion(#"fp.distributions:group_by("item") "#) == nil)
        #expect(CallChainCompletion("print(\"x") == nil)
        #expect(CallChainCompletion("") == nil)
    }

    @Test func fieldsStartingWithAnUnderscoreAreHidden() throws {
        let request = try #require(LuaCompletionPath("fp."))
        #expect(request.completion(of: ["_refresh", "_print", "households"]).candidates == ["fp.households"])
        let asked = try #require(LuaCompletionPath("fp._"))
        #expect(asked.completion(of: ["_refresh", "households"]).candidates == ["fp._refresh"])
        // Globals such as _G and _VERSION stay.
        #expect(
            try #require(LuaCompletionPath("_")).completion(of: ["_G", "_VERSION"]).candidates == ["_G", "_VERSION"])
    }
}
