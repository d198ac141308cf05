import CBenchPeer
import CLua
import LuaKit

/// Lua → Swift call vs Lua → C call (`math.max`) vs Lua → Lua call, in ns per call.
///
/// The Swift function does what `math.max` does for two arguments (check both are
/// numbers, compare, return the larger argument), so the difference is the boundary:
/// the C trampoline, the dispatch into Swift and the error channel back.
enum CallOverhead {
    /// Runs only one of the three loops (for callgrind: instruction counts per call).
    static func profile(_ which: String, calls: Int) throws {
        let lua = try makeState()
        let loop = try makeLoop(lua)
        let f = try lua.run(string: "return \(which)").first ?? .nil
        _ = try loop.call(f, .integer(Int64(calls)))
    }

    static func makeState() throws -> LuaState {
        let lua = try LuaState()
        lua.register("swift_max") { frame in
            let a = try frame.number(1)
            let b = try frame.number(2)
            lua_pushvalue(frame.L, a >= b ? 1 : 2)
            return 1
        }
        try lua.run(string: "function lua_max(a, b) if a >= b then return a end return b end")
        bench_register_c_max(lua.L)
        return lua
    }

    static func makeLoop(_ lua: LuaState) throws -> LuaFunction {
        try lua.load(
            string: """
                local f, n = ...
                local x = 0
                for i = 1, n do x = f(i, 3) end
                return x
                """, chunkName: "=call-loop")
    }

    static func run(calls: Int, rounds: Int) throws -> [BenchResult] {
        let lua = try makeState()
        let loop = try makeLoop(lua)

        func nsPerCall(_ function: String) throws -> Double {
            let f = try lua.run(string: "return \(function)").first ?? .nil
            var samples: [Double] = []
            for _ in 0..<rounds {
                let clock = ContinuousClock()
                let elapsed = try clock.measure { _ = try loop.call(f, .integer(Int64(calls))) }
                samples.append(elapsed.nanoseconds / Double(calls))
            }
            return samples.median
        }
        // Interleave so drift on a shared machine hits all three alike.
        var swift: [Double] = []
        var c: [Double] = []
        var external: [Double] = []
        var luaFn: [Double] = []
        for _ in 0..<3 {
            swift.append(try nsPerCall("swift_max"))
            c.append(try nsPerCall("math.max"))
            external.append(try nsPerCall("c_max"))
            luaFn.append(try nsPerCall("lua_max"))
        }
        return [
            BenchResult(
                name: "lua-swift-call (ns/call)", ours: swift.median, peer: c.median, target: 1.3,
                note: "peer: math.max (C inside liblua); Lua function: \(String(format2: luaFn.median)) ns/call"),
            BenchResult(
                name: "lua-swift-call-vs-external-c (ns/call)", ours: swift.median, peer: external.median, target: nil,
                note: "peer: the same function in C outside liblua, public API only"),
        ]
    }
}
