import FupinWire
import LuaKit

/// The Lua state the bytes are also decoded into, kept for the whole run, with a memory limit
/// small enough (64 KiB above what it holds empty) that larger inputs reach it.
nonisolated(unsafe) let lua: LuaState? = {
    guard let state = try? LuaState(libraries: []) else { return nil }
    state.memoryLimit = state.memoryUsed + (64 << 10)
    return state
}()

/// Input: the bytes of one message body as a plugin's worker (or a compromised one) could send
/// them to the host. The decoder must refuse anything malformed with a `WireError`, never
/// crash, hang or allocate beyond the message; whatever it accepts must encode back to a form
/// that decodes to the same value (NaN payloads aside, compared through the bytes). LuaKit's
/// decoder straight onto the Lua stack must accept whatever it accepts (or stop at the memory
/// limit, cleanly), leaving one value, or none when it refuses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let decoded = try? WireCodec.decode(bytes)
    if let lua {
        let L = lua.L
        var pushed = true
        do { try WireLua(state: lua).pushDecoded(bytes, on: L) } catch let error as LuaError where error.kind == .memory
        {
            pushed = false
            if lua.top(on: L) != 0 { fatalError("a refusal for memory left values on the stack") }
            // (its size estimates may be short by Lua's own bookkeeping, never by a whole value)
            if lua.memoryUsed > lua.memoryLimit + (16 << 10) { fatalError("the decoder went past the memory limit") }
        } catch {
            pushed = false
            if decoded != nil { fatalError("WireLua refused what WireCodec accepts: \(error)") }
            if lua.top(on: L) != 0 { fatalError("a refused message left values on the stack") }
        }
        // (WireLua may accept a little more than WireCodec: a collection name that is not UTF-8
        // is only a label to it.)
        if pushed {
            if lua.top(on: L) != 1 { fatalError("an accepted message left \(lua.top(on: L)) values, not 1") }
            lua.pop(1, on: L)
        }
        lua.collectGarbage()
    }
    guard let value = decoded else { return 0 }
    do {
        let again = try WireCodec.encode(value)
        let back = try WireCodec.decode(again)
        if try WireCodec.encode(back) != again { fatalError("re-encoding a decoded message changed it") }
    } catch {
        fatalError("a message the decoder accepted could not be encoded again: \(error)")
    }
    return 0
}

// libFuzzer's driver, declared here rather than taken from FuzzSupport: that module brings
// FupinCore and GRDB, which this target does not need to build under the sanitizers.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("FuzzWire_main")
public func fuzzWireMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { fuzzWire($0, $1) }
}
