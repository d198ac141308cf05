import FupinWire

/// Input: the bytes of one message body as a plugin's worker (or a compromised one) could send
/// them to the host. The decoder must refuse anything malformed with a `WireError`, never
/// crash, hang or allocate beyond the message; whatever it accepts must encode back to a form
/// that decodes to the same value (NaN payloads aside, compared through the bytes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? WireCodec.decode(bytes) else { return 0 }
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
