import Dispatch

/// A file's UTF-8 check run on another thread while this one already reads the file as UTF-8
/// (the national import's first pass, 0.15 s of a million-person file's start): the check
/// was a step of its own before the reading, with the other core idle during the first pass.
/// The reader asks `requireValid()` before it writes anything; a file that is not UTF-8 then
/// goes the way it always did (`TextDecoding.decode`: GB18030, or an error naming the byte).
///
/// Example:
/// ```swift
/// if let check = UTF8CheckBeside(bytes, encoding: .auto) {
///     // read check.bytes as UTF-8 …
///     try check.requireValid()  // throws `UTF8CheckBeside.NotUTF8` for a file that is not
/// }
/// ```
final class UTF8CheckBeside: @unchecked Sendable {
    /// The file is not valid UTF-8: decode it as the encoding said (`TextDecoding.decode`).
    struct NotUTF8: Error {}

    /// The bytes to read as UTF-8 (the file's, a byte-order mark left out).
    let bytes: [UInt8]
    private let done = DispatchGroup()
    /// Written by the checking thread, read once `done` has been waited for.
    private var firstInvalid: Int?

    /// A check of `bytes` started, or nil where the file is not to be read as UTF-8 first:
    /// `encoding` names GB18030, or the file is small enough that the check is no step worth
    /// saving.
    init?(_ bytes: [UInt8], encoding: TextEncoding, from size: Int = TextDecoding.parallelCheckFrom) {
        guard encoding != .gb18030, bytes.count >= size else { return nil }
        var body = bytes
        if body.starts(with: TextDecoding.bom) { body.removeFirst(TextDecoding.bom.count) }
        self.bytes = body
        done.enter()
        DispatchQueue.global().async { [self] in
            firstInvalid = self.bytes.withUnsafeBufferPointer { TextDecoding.firstInvalidUTF8($0) }
            done.leave()
        }
    }

    /// Waits for the check; throws `NotUTF8` when a byte is not UTF-8.
    func requireValid() throws {
        done.wait()
        if firstInvalid != nil { throw NotUTF8() }
    }
}
