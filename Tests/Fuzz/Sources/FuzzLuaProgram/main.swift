import FupinCore
import FupinScripting
import FuzzSupport
import LuaKit

#if canImport(Glibc)
    import Glibc
#endif

/// Input: a stream of choices turned into a Lua program of up to 16 steps, each a call of an
/// `fp` function of a plugin's `fp` (masked, read and write) with arguments drawn from a menu
/// of ordinary and hostile values: metatables whose every metamethod raises or yields (and
/// whose metatable's own does), callbacks returning thousands of values, NaN and huge numbers,
/// half-formed queries. Each call runs under `pcall`, some inside a coroutine. Errors are
/// expected; a crash, an AddressSanitizer report, or a host left in the plugin's view (the
/// bookkeeping a longjmp across Swift would skip) is a finding.
private let functions = [
    "fp.format", "fp.transaction", "fp.fields", "fp.income", "fp.sql", "fp.schema", "fp.collections",
    "function(a, b) return fp.households:where(a):count() end",
    "function(a, b) return fp.households:where(a):order_by(b):limit(3):list() end",
    "function(a, b) return fp.members:find(a) end",
    "function(a, b) return fp.households:get(a) end",
    "function(a, b) return fp.households:add(a) end",
    "function(a, b) return fp.households:update(a, b) end",
    "function(a, b) return fp.households:remove(a) end",
    "function(a, b) return fp.distributions:group_by(a):sum(b) end",
    "function(a, b) return fp.distributions:aggregate(a) end",
    "function(a, b) local n = 0 for r in fp.members:where(a):iter() do n = n + 1 end return n end",
    "function(a, b) return fp.format(fp.households:list(), a) end",
    "function(a, b) return fp.transaction(function() return fp.format(a, b) end) end",
]

private let values = [
    "nil", "0", "-1", "1", "2^53", "math.maxinteger", "math.mininteger", "0/0", "1/0", "-0.0", "1.5",
    "true", "false", "''", "'households'", "'id_number'", "'head_name'", "'id'", "'amount'", "'\\0\\255'",
    "'select 1'", "'select * from members'", "'delete from households'", "'commit'",
    "{}", "{ 1, 2, 3 }", "{ head_name = 'x' }", "{ id = 1 }", "{ [0/0 ~= 0/0 and 1 or 2] = 1 }",
    "{ head_name = { 'in', { 'a', 'b' } } }", "{ head_name = { 'between', 1 } }", "{ year = 2019 }",
    "{ n = 'count', s = { 'sum', 'quantity' } }", "{ limit = 2, fields = { 'id' }, mode = 'csv' }",
    "{ _c = 'households' }", "{ _c = 'households', _f = { { head_name = 'x' } }, _o = { { 'id', true } } }",
    "H('raise')", "H('yield')", "{ H('raise') }", "{ H('yield'), H('raise') }",
    "{ _c = 'households', _f = { H('raise') } }", "{ _c = 'households', _f = { { head_name = H('raise') } } }",
    "{ head_name = H('yield') }", "{ limit = H('raise'), fields = H('raise') }", "R('raise')", "R('yield')",
    "setmetatable({ id = 1 }, { __fp_collection = 'households' })",
    "setmetatable({}, setmetatable({}, { __index = function() error('meta') end }))",
    "function() error('cb') end", "function() return coroutine.yield(1) end",
    "function() return table.unpack(BIG, 1, 5000) end", "function() return table.unpack(BIG, 1, 30) end",
    "function() return fp.format({ H('raise') }) end",
    "coroutine.create(function() end)", "string.rep('x', 1000)", "BIG",
]

private let prelude = """
    local fp = ...
    BIG = {} for i = 1, 5000 do BIG[i] = i end
    local behave = { raise = function() error('hostile') end, yield = function() return coroutine.yield('h') end }
    local events = { '__index', '__newindex', '__len', '__tostring', '__name', '__eq', '__lt', '__le', '__concat',
      '__call', '__pairs', '__unm', '__add', '__close' }
    function H(b)
      local f, M = behave[b], {}
      for _, e in ipairs(events) do M[e] = f end
      setmetatable(M, { __index = f, __newindex = f, __len = f })
      return setmetatable({}, M)
    end
    function R(b) return setmetatable({ _c = 'households' }, getmetatable(H(b))) end

    """

/// The Lua program the bytes describe.
private func program(_ input: inout FuzzBytes) -> String {
    var lines = [prelude]
    var steps = 0
    while !input.isAtEnd && steps < 16 {
        steps += 1
        let f = input.pick(functions)
        let a = input.pick(values)
        let b = input.pick(values)
        let call = "pcall(\(f), \(a), \(b))"
        if input.byte() % 3 == 0 {
            lines.append("pcall(coroutine.wrap(function() return \(call) end))")
        } else {
            lines.append(call)
        }
    }
    return lines.joined(separator: "\n")
}

private let pluginView = FpView(
    source: "plugin:fuzz:run", allowsWrites: true, masksPersonalData: true, operatorName: "fuzz")

nonisolated(unsafe) private var fixture: (host: FupinHost, caller: FpCaller, fp: LuaTable)? = {
    do {
        let host = try FupinHost(workspace: FuzzFixture.workspace, view: FpView(source: "fuzz", operatorName: "fuzz"))
        host.lua.memoryLimit = 256 << 20
        let caller = FpCaller(view: pluginView)
        return (host, caller, try host.makeFp(for: caller))
    } catch {
        return nil
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLuaProgram(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    guard let (host, caller, fp) = fixture else { return -1 }
    var input = FuzzBytes(Array(UnsafeBufferPointer(start: data, count: size)))
    let source = program(&input)
    _ = try? host.runUnit(dryRun: true) {
        try host.lua.withTimeLimit(.milliseconds(300)) {
            try host.lua.load(string: source, chunkName: "=program").call(.table(fp))
        }
    }
    // The finding this target exists for: a Lua error that unwound past a native's
    // `defer { view = saved }` leaves the host acting under the plugin's view.
    if host.view.source != "fuzz" || host.view.masksPersonalData || caller.view.source != pluginView.source
        || !caller.view.masksPersonalData
    {
        print("fuzz: the host's view was not restored (\(host.view.source))\n\(source)")
        abort()
    }
    return 0
}

@_cdecl("FuzzLuaProgram_main")
public func fuzzLuaProgramMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { fuzzLuaProgram($0, $1) }
}
