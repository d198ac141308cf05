import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The text encoding of an imported file: named, or detected (`auto`).
///
/// `auto` takes valid UTF-8 (with or without a byte-order mark) as UTF-8 and anything else as
/// GB18030, which is what Excel writes for "CSV" on Chinese Windows (GB18030 is a superset of
/// GBK and GB2312, so files in those read correctly too).
///
/// Example: `TextEncoding(name: "gb18030") == .gb18030`, `TextEncoding(name: "UTF8") == .utf8`.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    case auto
    case utf8 = "utf-8"
    case gb18030

    /// The encoding called `name` (case-insensitive; `utf8`, `gbk` and `gb2312` accepted), or nil.
    public init?(name: String) {
        switch name.lowercased() {
        case "auto": self = .auto
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }
}

/// A byte sequence that is not text in the file's encoding.
///
/// Example: `line 3 (byte offset 57): bytes E9 83 are not valid UTF-8`.
public struct TextDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The encoding the bytes were read as (never `auto`).
    public var encoding: TextEncoding
    /// Offset of the first bad byte from the start of the file (0-based, counting a BOM).
    public var offset: Int
    /// The 1-based line of the file holding that byte.
    public var line: Int
    /// Up to 4 bytes from `offset`, in hex.
    public var bytes: String
    /// With detection (`auto`): where the file first failed as UTF-8, before GB18030 was tried
    /// (and failed too, at `line`/`offset`).
    public var utf8Failure: UTF8Failure?
    /// What to do about it, when fupin can tell.
    public var hint: String?

    /// Where a file detected as not UTF-8 first broke UTF-8.
    public struct UTF8Failure: Sendable, Hashable {
        public var offset: Int
        public var line: Int
        public var bytes: String
    }

    public var description: String {
        let own =
            "line \(line) (byte offset \(offset)): bytes \(bytes) are not valid \(encoding == .utf8 ? "UTF-8" : "GB18030")"
        guard let utf8 = utf8Failure else { return hint.map { "\(own) (\($0))" } ?? own }
        return
            "the file is neither UTF-8 (line \(utf8.line) (byte offset \(utf8.offset)): bytes \(utf8.bytes) are not valid UTF-8) nor GB18030 (\(own)); save it as UTF-8 or GB18030"
    }
}

/// Turns the bytes of an imported file into UTF-8 bytes: strips a UTF-8 byte-order mark,
/// validates UTF-8, or converts GB18030 through glibc's `iconv` (Foundation on Linux has no
/// GB18030 `String.Encoding`).
///
/// Example:
/// ```swift
/// let utf8 = try TextDecoding.utf8Bytes(of: fileBytes, encoding: .auto)   // GB18030 or UTF-8 in
/// ```
public enum TextDecoding {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The UTF-8 bytes of `bytes` read as `encoding` (without a BOM). Throws a
    /// `TextDecodingError` naming the offset and line of the first undecodable sequence.
    public static func utf8Bytes(of bytes: consuming [UInt8], encoding: TextEncoding) throws -> [UInt8] {
        try decode(bytes, encoding: encoding).bytes
    }

    /// Like `utf8Bytes`, also telling which encoding was used (`auto` resolved). `bytes` is
    /// consumed: UTF-8 input is returned in place (a BOM removed), without a copy.
    public static func decode(_ bytes: consuming [UInt8], encoding: TextEncoding) throws -> (
        bytes: [UInt8], encoding: TextEncoding
    ) {
        var bytes = bytes
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let resolved: TextEncoding
        // Whether the whole file is already known to be valid UTF-8 (a 100 MB file is read once).
        var validated = false
        switch encoding {
        case .utf8, .gb18030: resolved = encoding
        // A BOM says UTF-8 even when a later byte is bad (then that byte is the error).
        case .auto:
            if !hasBOM, let bad = firstInvalidUTF8(bytes) {
                // Plenty of well-formed multi-byte UTF-8 before the bad byte: a UTF-8 file with a
                // broken spot, not GB18030 (whose byte pairs rarely form UTF-8); name that spot
                // rather than import mojibake.
                if utf8Characters(in: bytes, before: bad, atLeast: 2) {
                    var failure = error(bytes, at: bad, encoding: .utf8)
                    failure.hint = "the file reads as UTF-8 up to there; if it is GB18030, say --encoding gb18030"
                    throw failure
                }
                do {
                    return (try fromGB18030(bytes), .gb18030)
                } catch var failure as TextDecodingError {
                    // Neither reading works: say where each one broke, not only GB18030's.
                    let utf8 = error(bytes, at: bad, encoding: .utf8)
                    failure.utf8Failure = .init(offset: utf8.offset, line: utf8.line, bytes: utf8.bytes)
                    throw failure
                }
            }
            resolved = .utf8
            validated = !hasBOM
        }
        if resolved == .gb18030 { return (try fromGB18030(bytes), .gb18030) }
        if !validated, let bad = firstInvalidUTF8(bytes) { throw error(bytes, at: bad, encoding: .utf8) }
        if hasBOM { bytes.removeFirst(3) }
        return (bytes, .utf8)
    }

    /// Whether `bytes[..<end]` (valid UTF-8) holds at least `count` multi-byte characters.
    static func utf8Characters(in bytes: [UInt8], before end: Int, atLeast count: Int) -> Bool {
        var found = 0
        for byte in bytes[..<min(end, bytes.count)] where byte >= 0xC2 {
            found += 1
            if found >= count { return true }
        }
        return false
    }

    /// The offset of the first byte that does not start or continue a well-formed UTF-8
    /// sequence (no overlongs, no surrogates, nothing above U+10FFFF), or nil when all is valid.
    /// A file of several megabytes is checked in two halves at once, cut where a character
    /// starts (the first bad byte of the whole is the first half's, or else the second's): the
    /// check is all an import does before its first pass, with the other core idle.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            let cut = buffer.count >= parallelCheckFrom ? characterStart(buffer, near: buffer.count / 2) : 0
            guard cut > 0 else { return firstInvalidUTF8(buffer) }
            let halves = Halves(
                UnsafeBufferPointer(rebasing: buffer[..<cut]), UnsafeBufferPointer(rebasing: buffer[cut...]))
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                if half == 0 {
                    halves.firstFound = firstInvalidUTF8(halves.first)
                } else {
                    halves.secondFound = firstInvalidUTF8(halves.second)
                }
            }
            return halves.firstFound ?? halves.secondFound.map { cut + $0 }
        }
    }

    /// The two halves of a buffer being checked and what each thread found in its own half
    /// (each answer written by one thread, read once both are done).
    private final class Halves: @unchecked Sendable {
        let first: UnsafeBufferPointer<UInt8>
        let second: UnsafeBufferPointer<UInt8>
        var firstFound: Int?
        var secondFound: Int?

        init(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) {
            self.first = first
            self.second = second
        }
    }

    /// Files from this size on are checked in two halves (`firstInvalidUTF8`).
    static let parallelCheckFrom = 4 << 20

    /// The first offset at or after `middle` that is not a continuation byte, looking at most
    /// three bytes on (no character has more); 0 when the buffer is too short to cut there.
    static func characterStart(_ buffer: UnsafeBufferPointer<UInt8>, near middle: Int) -> Int {
        var cut = middle
        while cut < min(buffer.count, middle + 3), buffer[cut] & 0xC0 == 0x80 { cut += 1 }
        return cut < buffer.count ? cut : 0
    }

    /// `firstInvalidUTF8` of one buffer, on this thread.
    static func firstInvalidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        if #available(macOS 26, *) {
            // The standard library's validator (vectorised) is several times faster on CJK text.
            do {
                _ = try UTF8Span(validating: buffer.span)
                return nil
            } catch let error as UTF8.ValidationError {
                return error.byteOffsets.lowerBound
            } catch {
                return firstInvalidUTF8ByteLoop(buffer)
            }
        }
        return firstInvalidUTF8ByteLoop(buffer)
    }

    /// The same check, byte by byte (older platforms; tests compare the two).
    static func firstInvalidUTF8ByteLoop(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidUTF8ByteLoop($0) }
    }

    /// The byte-by-byte check of one buffer.
    static func firstInvalidUTF8ByteLoop(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        let count = buffer.count
        var i = 0
        while i < count {
            // ASCII fast path: 8 bytes at a time.
            while i + 8 <= count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < count else { break }
            let lead = base[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= count else { return i }
            let second = base[i + 1]
            if second < lower || second > upper { return i }
            for k in 2..<length where base[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// Converts GB18030 bytes to UTF-8 with iconv.
    static func fromGB18030(_ bytes: [UInt8]) throws -> [UInt8] {
        if bytes.isEmpty { return [] }
        let descriptor = iconv_open("UTF-8", "GB18030")
        // iconv_open returns (iconv_t)-1 on failure.
        if descriptor == nil || Int(bitPattern: descriptor) == -1 {
            throw TextDecodingError(encoding: .gb18030, offset: 0, line: 1, bytes: "(iconv has no GB18030 converter)")
        }
        defer { iconv_close(descriptor) }
        // Every GB18030 character of n bytes (1, 2 or 4) becomes at most 4 UTF-8 bytes;
        // 2 bytes (a CJK character) become 3: twice the input is always enough.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let produced: Int = try bytes.withUnsafeBufferPointer { inBuffer in
            try output.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return 0 }
                // iconv's input is `char **` but it never writes through it.
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBase)
                    .assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(
                    to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                if result == -1 || inLeft > 0 {
                    throw error(bytes, at: inBuffer.count - inLeft, encoding: .gb18030)
                }
                return outBuffer.count - outLeft
            }
        }
        output.removeSubrange(produced...)
        // GB18030 has its own encoding of U+FEFF (0x84 0x31 0x95 0x33); drop it like a BOM.
        if output.starts(with: bom) { output.removeFirst(3) }
        return output
    }

    static func error(_ bytes: [UInt8], at offset: Int, encoding: TextEncoding) -> TextDecodingError {
        var line = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
        let hexDigits = Array("0123456789ABCDEF")
        let shown = bytes[min(offset, bytes.count)..<min(offset + 4, bytes.count)].map { byte in
            String([hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
        }
        return TextDecodingError(encoding: encoding, offset: offset, line: line, bytes: shown.joined(separator: " "))
    }
}
