#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a whole file (or standard input) into one byte array, with POSIX calls so a large
/// import file is read once, straight into the array the parser scans (no `Data` copy).
///
/// Example: `let bytes = try FileBytes.read("households.csv")`; `FileBytes.read("-")` reads stdin.
public enum FileBytes {
    /// A file that cannot be read, with the system's reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The bytes of the file at `path` ("-" for standard input).
    public static func read(_ path: String) throws -> [UInt8] {
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
        if descriptor < 0 { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        defer { if path != "-" { close(descriptor) } }
        var info = stat()
        var capacity = 1 << 16
        if fstat(descriptor, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, reason: "is a folder, not a file") }
            if info.st_size > 0 { capacity = Int(info.st_size) + 1 }
        }
        // Read straight into the array's storage: no intermediate chunk, no second copy.
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            while initialized < buffer.count {
                let count = posixRead(descriptor, base + initialized, buffer.count - initialized)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { return }
                initialized += count
            }
        }
        if failure != 0 { throw Failure(path: path, reason: String(cString: strerror(failure))) }
        // A pipe, or a file that grew after fstat: go on in chunks.
        if bytes.count == capacity {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = chunk.withUnsafeMutableBytes { buffer in
                    posixRead(descriptor, buffer.baseAddress, buffer.count)
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Failure(path: path, reason: String(cString: strerror(errno)))
                }
                if count == 0 { break }
                bytes.append(contentsOf: chunk[0..<count])
            }
        }
        return bytes
    }
}

/// `read(2)` (the name `read` is taken by `FileBytes.read` inside the enum).
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.read(descriptor, buffer, count)
    #else
        return Darwin.read(descriptor, buffer, count)
    #endif
}
