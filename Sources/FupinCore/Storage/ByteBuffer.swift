#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A growing run of bytes written through a pointer: room is made once for what is about to
/// be written (`reserve`), then each piece is stored without a check (`put`). A national import
/// writes each person's values as COPY text and as audit JSON, some thirty short pieces a
/// person; appending them one by one to an `Array` checked its uniqueness and capacity every
/// time, a tenth of the preparing thread.
///
/// A class, so a batch of rows moves between threads as one reference; `PreparedRows` copies
/// it before writing to one it shares (`copy()`), as an `Array` would.
///
/// Example:
/// ```swift
/// let buffer = ByteBuffer(capacity: 64)
/// buffer.reserve(3)
/// buffer.put(0x61); buffer.put(0x62); buffer.put(0x63)
/// buffer.withBytes { Array($0) }   // "abc"
/// ```
final class ByteBuffer: @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes are written.
    private(set) var count = 0

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// A buffer holding these bytes, not shared with this one.
    func copy() -> ByteBuffer {
        let other = ByteBuffer(capacity: capacity)
        other.base.update(from: base, count: count)
        other.count = count
        return other
    }

    /// Makes room for `extra` more bytes, which `put` may then write.
    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var size = capacity * 2
        while size < needed { size *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = size
    }

    /// Writes one byte into room made by `reserve`.
    @inline(__always)
    func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    /// Writes `bytes` into room made by `reserve`.
    @inline(__always)
    func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        memcpy(base + count, source, bytes.count)
        count += bytes.count
    }

    /// Appends `bytes`, making room for them.
    func append(contentsOf bytes: [UInt8]) {
        reserve(bytes.count)
        bytes.withUnsafeBufferPointer { put($0) }
    }

    /// Calls `body` with the bytes written (valid only during the call).
    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}
