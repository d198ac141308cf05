import FupinWire

#if canImport(Glibc)
    import Glibc
#endif

/// One end of the socket between the host and a plugin's worker: whole framed messages
/// (docs/worker-protocol.md) written and read, with a deadline on the host's side.
struct WorkerChannel {
    let fd: Int32
    var limit = WireCodec.defaultLimit

    /// Why a message could not be read or written.
    enum Failure: Error, Equatable {
        /// The other end closed the socket (a worker that exited or was killed).
        case closed
        /// The deadline passed before a whole message arrived.
        case timedOut
        /// The host's user pressed Ctrl-C while waiting.
        case interrupted
        /// The bytes were not a valid message.
        case malformed(WireError)
        case system(String)
    }

    /// Sends `value` as one frame.
    func send(_ value: WireValue) throws(Failure) {
        // The length is written in front once the body is encoded after it (no second copy).
        var frame: [UInt8] = [0, 0, 0, 0]
        do throws(WireError) { try WireCodec.encodeAppending(value, to: &frame, limit: limit + 4) } catch {
            throw .malformed(error)
        }
        let length = frame.count - 4
        guard length <= limit else { throw .malformed(WireError(.tooLarge(limit), at: 0)) }
        for k in 0..<4 { frame[k] = UInt8(truncatingIfNeeded: length >> (8 * k)) }
        var sent = 0
        while sent < frame.count {
            let n = frame.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw .closed }
                throw .system("send: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    /// Reads one whole message; `deadline` (CLOCK_MONOTONIC nanoseconds) bounds the wait, and
    /// `interrupted` is asked whenever a signal or 100 ms pass.
    func receive(deadline: UInt64? = nil, interrupted: () -> Bool = { false }) throws(Failure) -> WireValue {
        let body = try receiveBody(deadline: deadline, interrupted: interrupted)
        do { return try WireCodec.decode(body) } catch { throw .malformed(error) }
    }

    /// Reads one whole message and returns its body undecoded.
    func receiveBody(deadline: UInt64? = nil, interrupted: () -> Bool = { false }) throws(Failure) -> [UInt8] {
        let header = try read(4, deadline: deadline, interrupted: interrupted)
        let length: Int
        do { length = try WireCodec.bodyLength(header: header, limit: limit) } catch { throw .malformed(error) }
        return try read(length, deadline: deadline, interrupted: interrupted)
    }

    private func read(_ count: Int, deadline: UInt64?, interrupted: () -> Bool) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            if let deadline { try wait(until: deadline, interrupted: interrupted) }
            let n = buffer.withUnsafeMutableBytes { raw in
                Glibc.recv(fd, raw.baseAddress! + got, count - got, 0)
            }
            if n == 0 { throw .closed }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == ECONNRESET { throw .closed }
                throw .system("recv: \(String(cString: strerror(errno)))")
            }
            got += n
        }
        return buffer
    }

    /// Returns when the socket is readable; throws `timedOut` at `deadline`.
    private func wait(until deadline: UInt64, interrupted: () -> Bool) throws(Failure) {
        while true {
            if interrupted() { throw .interrupted }
            let now = WorkerClock.now()
            if now >= deadline { throw .timedOut }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = min(100, Int32(clamping: (deadline - now + 999_999) / 1_000_000))
            let r = poll(&p, 1, ms)
            if r > 0 { return }
            if r < 0 && errno != EINTR { throw .system("poll: \(String(cString: strerror(errno)))") }
        }
    }
}

/// The monotonic clock the host's deadlines use.
enum WorkerClock {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
