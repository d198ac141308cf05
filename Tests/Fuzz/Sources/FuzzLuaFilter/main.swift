import FupinCore
import FupinScripting
import FuzzSupport
import LuaKit

/// Input: byte 0 picks a collection, the rest is Lua text evaluated (in an empty environment,
/// under a time and memory limit) to the value handed to `fp.<collection>:where`, `:find` and
/// `:group_by` — so FpConverter meets every Lua type, nesting, operator spelling and key kind.
/// Every run is a dry-run unit (rolled back). Errors are expected; a crash is a finding.
private let collections = [
    "households", "members", "distributions", "funds", "visits", "incomes", "poverty_lines",
    "eco_projects", "notes", "audit",
]

private let driverSource = """
    local source, name = ...
    local make = load("return " .. source, "=filter", "t", {})
    if not make then return end
    local ok, filter = pcall(make)
    if not ok then return end
    local c = fp[name]
    if not c then return end
    pcall(function() return c:where(filter):count() end)
    pcall(function() return c:where(filter):order_by("id", "desc"):limit(3):list() end)
    pcall(function() return c:find(filter) end)
    pcall(function() return c:where(filter):group_by("id"):count() end)
    pcall(function() return c:where(filter):sum(filter) end)
    """

nonisolated(unsafe) private var fixture: (host: FupinHost, driver: LuaFunction)? = {
    do {
        let host = try FupinHost(workspace: FuzzFixture.workspace, view: FpView(source: "fuzz", operatorName: "fuzz"))
        host.lua.memoryLimit = 256 << 20
        return (host, try host.lua.load(string: driverSource, chunkName: "=driver"))
    } catch {
        return nil
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLuaFilter(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    guard let (host, driver) = fixture else { return -1 }
    var input = FuzzBytes(Array(UnsafeBufferPointer(start: data, count: size)))
    let name = input.pick(collections)
    let source = LuaString(bytes: input.rest())
    _ = try? host.runUnit(dryRun: true) {
        try host.lua.withTimeLimit(.milliseconds(200)) {
            try driver.call(.string(source), .string(LuaString(name)))
        }
    }
    return 0
}

@_cdecl("FuzzLuaFilter_main")
public func fuzzLuaFilterMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { fuzzLuaFilter($0, $1) }
}
