import CLibPQ
import Foundation

/// Rows written into a running `COPY … FROM STDIN` (text format), buffered and sent in chunks.
///
/// Example: `try writer.writeRow([.integer(1), .text("城郊镇"), .null])`.
public final class PostgresCopyWriter {
    private let connection: OpaquePointer
    private var buffer: [UInt8] = []
    private let chunkSize = 1 << 16

    init(_ connection: OpaquePointer) {
        self.connection = connection
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// Appends raw bytes of COPY data (already in the statement's format).
    public func write<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    /// Appends one row in COPY's text format: tab-separated, `\N` for NULL, newline-terminated.
    public func writeRow(_ values: [PostgresValue]) throws {
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(9) }
            Self.append(value, to: &buffer)
        }
        buffer.append(10)
        if buffer.count >= chunkSize { try flush() }
    }

    /// Sends what is buffered.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress else { return 1 }
            return fpq_PQputCopyData(connection, base.assumingMemoryBound(to: CChar.self), Int32(clamping: bytes.count))
        }
        buffer.removeAll(keepingCapacity: true)
        if sent != 1 {
            throw PostgresError.from(result: nil, connection: connection)
        }
    }

    /// One value in COPY text form: backslash, tab, newline and carriage return escaped.
    static func append(_ value: PostgresValue, to buffer: inout [UInt8]) {
        switch value {
        case .null:
            buffer.append(contentsOf: [92, 78])  // \N
        case .integer(let number):
            buffer.appendDecimal(number)
        case .real(let number):
            buffer.append(contentsOf: PostgresParameters.text(of: number).utf8)
        case .text(let text):
            appendEscaped(text.utf8, to: &buffer)
        case .bytes(let bytes):
            // bytea's hex input `\x…`, its backslash doubled for COPY's own escaping.
            let digits = Array("0123456789abcdef".utf8)
            buffer.append(contentsOf: [92, 92, 120])
            for byte in bytes {
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 15)])
            }
        }
    }

    /// UTF-8 text bytes in COPY's text form (backslash, tab, newline, carriage return escaped);
    /// text with none of them (most) is appended whole.
    static func appendEscaped(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        guard bytes.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) else {
            buffer.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 92: buffer.append(contentsOf: [92, 92])
            case 9: buffer.append(contentsOf: [92, 116])
            case 10: buffer.append(contentsOf: [92, 110])
            case 13: buffer.append(contentsOf: [92, 114])
            default: buffer.append(byte)
            }
        }
    }
}

extension PostgresConnection {
    /// Runs `sql` (a `COPY … FROM STDIN` statement), lets `produce` write its rows, and returns
    /// how many rows the server stored. When `produce` throws, the COPY is abandoned (the
    /// server stores none of it) and the error is rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ produce: (PostgresCopyWriter) throws -> Void) throws -> Int {
        let connection = try live()
        guard let start = fpq_PQexec(connection, sql) else {
            throw PostgresError.from(result: nil, connection: connection)
        }
        guard fpq_PQresultStatus(start) == PGRES_COPY_IN else {
            // Not a COPY FROM STDIN: report the server's error, or refuse a statement of another kind.
            if fpq_PQresultStatus(start) == PGRES_FATAL_ERROR {
                let error = PostgresError.from(result: start, connection: connection)
                fpq_PQclear(start)
                throw error
            }
            fpq_PQclear(start)
            throw PostgresError(.client, message: "copyIn needs a COPY … FROM STDIN statement")
        }
        fpq_PQclear(start)
        let writer = PostgresCopyWriter(connection)
        var failure: Error?
        do {
            try produce(writer)
            try writer.flush()
        } catch {
            failure = error
        }
        let ended = fpq_PQputCopyEnd(
            connection, failure == nil ? nil : "abandoned by fupin: the rows could not be produced")
        // Drain every result the COPY produced; the first failure wins.
        var stored = 0
        var serverError: PostgresError?
        while let result = fpq_PQgetResult(connection) {
            if fpq_PQresultStatus(result) == PGRES_COMMAND_OK {
                stored = fpq_PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
            } else if serverError == nil {
                serverError = PostgresError.from(result: result, connection: connection)
            }
            fpq_PQclear(result)
        }
        if let failure { throw failure }
        if let serverError { throw serverError }
        if ended != 1 { throw PostgresError.from(result: nil, connection: connection) }
        return stored
    }
}
