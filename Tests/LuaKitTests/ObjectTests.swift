import Testing

@testable import LuaKit

final class Ledger {
    var total: Int64 = 0
    var name: String
    init(name: String) { self.name = name }
}

/// Swift objects appear in Lua as userdata with methods, properties and a releasing `__gc`.
@Suite struct ObjectTests {
    func makeState() throws -> LuaState {
        let lua = try LuaState()
        lua.register(Ledger.self, name: "Ledger") { c in
            c.method("add") { ledger, frame in
                ledger.total += try frame.integer(2)
                frame.push(ledger.total)
                return 1
            }
            c.method("describe", values: { ledger, args in [.text("\(ledger.name):\(ledger.total):\(args.count)")] })
            c.property(
                "name", get: { .text($0.name) },
                set: { ledger, v in
                    guard let s = v.stringValue else { throw LuaScriptError("name must be a string") }
                    ledger.name = s
                })
            c.property("total", get: { .integer($0.total) })
            c.toString { "Ledger(\($0.name))" }
        }
        return lua
    }

    @Test func methodsPropertiesAndToString() throws {
        let lua = try makeState()
        let ledger = Ledger(name: "sales")
        lua.setGlobal("ledger", lua.value(for: ledger))
        let r = try lua.run(
            string: """
                ledger:add(5)
                local t = ledger:add(7)
                ledger.name = "消费扶贫"
                return t, ledger.total, ledger.name, tostring(ledger), ledger:describe(1, 2)
                """)
        #expect(r.map(\.description) == ["12", "12", "消费扶贫", "Ledger(消费扶贫)", "消费扶贫:12:2"])
        #expect(ledger.total == 12)
    }

    @Test func wrongUseGivesClearErrors() throws {
        let lua = try makeState()
        lua.setGlobal("ledger", lua.value(for: Ledger(name: "x")))
        let dot = try lua.run(string: "return pcall(function() return ledger.add(5) end)")
        #expect(dot[1].stringValue?.contains("Ledger expected") == true)
        let readonly = try lua.run(string: "return pcall(function() ledger.total = 1 end)")
        #expect(readonly[1].stringValue?.contains("cannot set field 'total'") == true)
        let badValue = try lua.run(string: "return pcall(function() ledger.name = 1 end)")
        #expect(badValue[1].stringValue?.contains("name must be a string") == true)
    }

    @Test func gcReleasesTheSwiftObject() throws {
        let lua = try makeState()
        weak var weakLedger: Ledger?
        do {
            let ledger = Ledger(name: "temporary")
            weakLedger = ledger
            lua.setGlobal("ledger", lua.value(for: ledger))
        }
        lua.collectGarbage()
        #expect(weakLedger != nil, "Lua still holds it")
        try lua.run(string: "ledger = nil")
        lua.collectGarbage()
        lua.collectGarbage()
        #expect(weakLedger == nil, "__gc released the Swift object")
    }

    @Test func swiftClosuresAreReleasedWhenLuaDropsThem() throws {
        final class Token {}
        let lua = try LuaState()
        weak var weakToken: Token?
        do {
            let token = Token()
            weakToken = token
            lua.register("f") { (_: LuaCallFrame) in
                _ = token; return 0
            }
        }
        #expect(weakToken != nil)
        try lua.run(string: "f = nil")
        lua.collectGarbage()
        lua.collectGarbage()
        #expect(weakToken == nil)
    }
}
