import CLibPQ
import Foundation

/// The bulk writer's fast path on PostgreSQL: rows go into the table through `COPY … FROM
/// STDIN` in batches instead of an `INSERT … RETURNING` round trip each, with ids taken from
/// the table's own sequence ahead (a block at a time, so concurrent writers never collide and
/// the sequence stays past every id written). Rows are validated, reference-checked and
/// audited by `BulkWriter` before they come here; what only the server checks (keys, foreign
/// keys) fails the batch's COPY, reported for the row the server names.
///
/// Example: `let id = try copy.nextID(); try copy.append(id: id, row, line: 12)`, then `flush()`.
final class PostgresBulkCopy {
    /// A row the server refused when its batch was copied: which, and why.
    struct Refusal: Error {
        /// The caller's label for the row (`append(line:)`), nil when none was given.
        var line: Int?
        /// The row's fields as it was to be stored, in field order, read back from its COPY
        /// text (nil: NULL).
        var fields: [String?]
        var error: PostgresError
    }

    /// Rows per COPY statement: large enough that a statement's round trip is lost in its rows,
    /// small enough that the batch held for reporting a refusal stays a few megabytes.
    static let rowsPerCopy = 10_000
    /// Ids taken from the sequence at a time, at most. Ids taken and not used are a gap in the
    /// sequence, so a writer starts with one and doubles each time, and takes no more than
    /// the caller said it expects: a small import takes about what it uses, a large one a few
    /// round trips.
    static let idsPerReservation = 8_192
    /// How many rows the caller expects to insert (an upper bound), when it knows.
    var expected: Int?
    private var handedOut = 0
    private var nextBlock = 1

    private let connection: PostgresConnection
    private let copySQL: String
    private let reserveSQL: String
    private let sequenceName: String
    /// Whether this transaction holds the sequence against every other `nextval` (a first load
    /// locked it: `PostgresBulkLoad`): the ids still expected are then taken in one step, the
    /// first of them and the sequence set past the last, instead of one `nextval` each (a
    /// third of a microsecond of the server's time per row, and a row of result).
    private(set) var takesOneBlock = false
    private var reserved: [Int64] = []
    private var nextReserved = 0
    /// The text of the open COPY's rows (kept until it ends, to name a row the server
    /// refuses), sent up to `sent` as it fills.
    private var buffer: [UInt8] = []
    private var sent = 0
    /// Where each row of the open COPY starts in `buffer`, and its label.
    private var rowStarts: [Int] = []
    private var lines: [Int?] = []
    private var open = false
    /// The connection's handle while a COPY is open (not through `live()`, which would end it).
    private var handle: OpaquePointer?
    /// Why the last COPY failed, until thrown.
    private var failure: Error?
    /// Bytes buffered before they are sent into the COPY.
    static let sendSize = 1 << 16

    /// A fast path for inserts of `id` and `fields` into `table`, or nil where COPY cannot serve
    /// and the caller inserts row by row: the table is under row-level security for this role
    /// (PostgreSQL refuses COPY FROM there: an analyst's policies check each INSERT), or the
    /// role may insert but not take ids from the sequence itself.
    static func make(_ store: PostgresStoreConnection, table: String, fields: [String]) throws -> PostgresBulkCopy? {
        let d = store.dialect
        let probe = try store.connection.query(
            """
            SELECT s, row_security_active($1::regclass),
                   has_sequence_privilege(s, 'USAGE') OR has_sequence_privilege(s, 'UPDATE'),
                   EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'
                           AND 'lz4' = ANY (enumvals) AND setting <> 'lz4'),
                   row_security_active($2::regclass),
                   EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.locktype = 'relation' AND l.relation = s::regclass AND l.pid = pg_backend_pid()
                             AND l.granted AND l.mode IN ('ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'))
                   AND (SELECT q.seqincrement = 1 FROM pg_sequence q WHERE q.seqrelid = s::regclass)
            FROM pg_get_serial_sequence($1, 'id') AS s
            """, [.text(d.quote(table)), .text(d.quote(AuditLog.table))])
        guard let sequence = probe.value(0, 0).text, probe.value(0, 1) == .integer(0), probe.value(0, 2) == .integer(1)
        else { return nil }
        if probe.value(0, 3) == .integer(1) {
            // The audit entries of a bulk insert are large texts (a thousand rows each), which
            // the server compresses as it stores them: lz4 (PostgreSQL 14 on, where the server
            // was built with it) takes a third of pglz's time for them. Values stored either way
            // read back the same; only this transaction's writes are affected.
            try store.connection.execute("SET LOCAL default_toast_compression = lz4")
        }
        let columns = ([CollectionSchema.idField] + fields).map(d.quote).joined(separator: ", ")
        let copy = PostgresBulkCopy(
            store.connection, copySQL: "COPY \(d.quote(table)) (\(columns)) FROM STDIN", sequence: sequence)
        copy.copiesAudit = probe.value(0, 4) == .integer(0)
        copy.takesOneBlock = probe.value(0, 5) == .integer(1)
        return copy
    }

    /// Whether the audit entries may be copied too (`copyAudit`): not where row-level security
    /// applies to the audit log for this role.
    private(set) var copiesAudit = false

    /// The columns of a bulk audit entry, copied in COPY's binary format (`appendAudit`): the
    /// server takes each field by its length instead of scanning a 140 KB entry for tabs,
    /// newlines and backslashes and copying it out unescaped (a third less of its time for the
    /// audit entries of a national import).
    static let auditCopySQL =
        #"COPY "audit_log"("time", "operator", "source", "collection", "record_id", "last_record_id", "action", "after") FROM STDIN (FORMAT binary)"#

    /// What starts a COPY in binary format: the signature, no flags, no header extension.
    static let binaryHeader: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 13, 10, 0] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// What ends one: a tuple of -1 fields.
    static let binaryTrailer: [UInt8] = [0xFF, 0xFF]

    /// Appends one bulk audit entry (`AuditLog.bulkInsertSQL`'s values) as a tuple of COPY's
    /// binary format: the leading values as text, the two ids as bigint, the entry's JSON as
    /// the bytes it was built in (no escaping in this format).
    static func appendAudit(
        _ leading: [SQLValue], first: Int64, last: Int64, after json: [UInt8], to buffer: inout [UInt8]
    ) {
        appendBigEndian(UInt16(leading.count + 4), to: &buffer)
        for value in leading {
            switch value {
            case .null: appendBigEndian(UInt32.max, to: &buffer)
            case .text(let text): appendBinaryField(text.utf8, to: &buffer)
            case .integer(let number): appendBinaryField(String(number).utf8, to: &buffer)
            case .real(let number): appendBinaryField(PostgresParameters.text(of: number).utf8, to: &buffer)
            case .blob(let bytes): appendBinaryField(bytes, to: &buffer)
            }
        }
        for id in [first, last] {
            appendBigEndian(UInt32(8), to: &buffer)
            appendBigEndian(UInt64(bitPattern: id), to: &buffer)
        }
        appendBinaryField("insert".utf8, to: &buffer)
        appendBinaryField(json, to: &buffer)
    }

    /// One field of a binary COPY tuple: its length, then its bytes.
    private static func appendBinaryField<Bytes: Collection>(_ bytes: Bytes, to buffer: inout [UInt8])
    where Bytes.Element == UInt8 {
        appendBigEndian(UInt32(truncatingIfNeeded: bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }

    /// `value` in network byte order.
    private static func appendBigEndian<Integer: FixedWidthInteger>(_ value: Integer, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Writes audit tuples made by `appendAudit` through one binary COPY (no COPY of rows may
    /// be open).
    func copyAudit(_ tuples: [UInt8]) throws {
        guard !tuples.isEmpty else { return }
        try connection.copyIn(Self.auditCopySQL) { writer in
            try writer.write(Self.binaryHeader)
            try writer.write(tuples)
            try writer.write(Self.binaryTrailer)
        }
    }

    private init(_ connection: PostgresConnection, copySQL: String, sequence: String) {
        self.connection = connection
        self.copySQL = copySQL
        sequenceName = sequence
        reserveSQL = "SELECT nextval($1::regclass) FROM generate_series(1, $2)"
        buffer.reserveCapacity(Self.sendSize * 4)
    }

    /// Takes `$2` ids from sequence `$1` in one step, where no other session can take one
    /// meanwhile (`takesOneBlock`): the first is returned, and the sequence set to the last.
    static let blockSQL = "SELECT first, setval($1::regclass, first + $2 - 1) FROM nextval($1::regclass) AS first"

    /// The next id from the sequence (taken a block at a time).
    func nextID() throws -> Int64 {
        if nextReserved == reserved.count {
            // Past what was expected (the caller guessed low) the doubling alone decides.
            let remaining = (expected ?? 0) - handedOut
            if takesOneBlock && remaining > 0 {
                let first = try connection.query(Self.blockSQL, [.text(sequenceName), .integer(Int64(remaining))])
                    .value(0, 0).integer
                reserved = first.map { Array($0..<($0 + Int64(remaining))) } ?? []
            } else {
                let wanted = remaining > 0 ? min(nextBlock, remaining) : nextBlock
                nextBlock = min(nextBlock * 2, Self.idsPerReservation)
                let result = try connection.query(reserveSQL, [.text(sequenceName), .integer(Int64(wanted))])
                reserved = (0..<result.rowCount).compactMap { result.value($0, 0).integer }.sorted()
            }
            nextReserved = 0
            guard !reserved.isEmpty else { throw PostgresError(.client, message: "no ids from \(sequenceName)") }
        }
        nextReserved += 1
        handedOut += 1
        return reserved[nextReserved - 1]
    }

    /// Adds a row (values in field order) with its id. The row goes into the open COPY (one is
    /// opened when none is), sent as the buffer fills, so the server stores rows while the
    /// next ones are prepared; the COPY ends after `rowsPerCopy` rows, at `flush()`, or before
    /// any other statement on the connection.
    func append(id: Int64, _ row: [SQLValue], line: Int?) throws {
        try startRow(id: id, line: line)
        for value in row {
            buffer.append(9)
            Self.append(value, to: &buffer)
        }
        buffer.append(10)
        try endRow()
    }

    /// Adds a row given as its COPY text after the id (`PreparedRows`: a tab before each field,
    /// a newline at the end), as `append(id:_:line:)` does.
    func append(id: Int64, text: UnsafeBufferPointer<UInt8>, line: Int?) throws {
        try startRow(id: id, line: line)
        buffer.append(contentsOf: text)
        try endRow()
    }

    /// Opens a COPY when none is, and starts a row with its id.
    private func startRow(id: Int64, line: Int?) throws {
        if let failure = takeFailure() { throw failure }
        if !open { try begin() }
        rowStarts.append(buffer.count)
        lines.append(line)
        buffer.appendDecimal(id)
    }

    /// Sends what a full buffer holds; ends the COPY after `rowsPerCopy` rows.
    private func endRow() throws {
        if buffer.count - sent >= Self.sendSize { try send() }
        if lines.count >= Self.rowsPerCopy { try flush() }
    }

    /// Ends the open COPY, if any. A row the server refused throws `Refusal` (the server's
    /// transaction is then aborted: the caller rolls back).
    func flush() throws {
        end()
        if let failure = takeFailure() { throw failure }
    }

    /// Whether a COPY is open (rows sent, not yet stored for sure).
    var isOpen: Bool { open }

    /// The failure of a COPY that ended before another statement, taken (nil when none).
    func takeFailure() -> Error? {
        defer { failure = nil }
        return failure
    }

    private func begin() throws {
        let handle = try connection.live()
        guard let start = fpq_PQexec(handle, copySQL) else {
            throw PostgresError.from(result: nil, connection: handle)
        }
        defer { fpq_PQclear(start) }
        guard fpq_PQresultStatus(start) == PGRES_COPY_IN else {
            throw PostgresError.from(result: start, connection: handle)
        }
        open = true
        self.handle = handle
        // Any other statement first ends this COPY (a reference looked up, ids taken, the
        // audit written, the transaction ended): the connection is never left in COPY.
        connection.beforeNextStatement = { [weak self] in self?.end() }
    }

    /// Sends what is buffered and not yet sent into the open COPY.
    private func send() throws {
        guard open, let handle, sent < buffer.count else { return }
        let from = sent
        let status = buffer.withUnsafeBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress else { return 1 }
            return fpq_PQputCopyData(
                handle, (base + from).assumingMemoryBound(to: CChar.self), Int32(clamping: bytes.count - from))
        }
        sent = buffer.count
        if status != 1 { throw PostgresError.from(result: nil, connection: handle) }
    }

    /// Ends the open COPY and reads the server's answer; a refusal is kept in `failure` (this
    /// runs before someone else's statement, which cannot be made to throw it).
    private func end() {
        guard open, let handle else { return }
        var error: PostgresError?
        do { try send() } catch let sendError as PostgresError { error = sendError } catch {}
        open = false
        self.handle = nil
        if connection.beforeNextStatement != nil { connection.beforeNextStatement = nil }
        defer {
            buffer.removeAll(keepingCapacity: true)
            sent = 0
            rowStarts.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
        }
        if fpq_PQputCopyEnd(handle, error == nil ? nil : "abandoned by fupin: the rows could not be sent") != 1,
            error == nil
        {
            error = PostgresError.from(result: nil, connection: handle)
        }
        while let result = fpq_PQgetResult(handle) {
            if fpq_PQresultStatus(result) != PGRES_COMMAND_OK, error == nil {
                error = PostgresError.from(result: result, connection: handle)
            }
            fpq_PQclear(result)
        }
        guard let error else { return }
        // The server names the row in its context: "COPY households, line 12: …".
        if let line = error.copyLine, line >= 1, line <= rowStarts.count {
            let end = line < rowStarts.count ? rowStarts[line] : buffer.count
            let fields = Self.fields(ofRow: buffer[rowStarts[line - 1]..<end])
            failure = Refusal(line: lines[line - 1], fields: Array(fields.dropFirst()), error: error)
        } else {
            failure = error
        }
    }

    deinit { end() }

    /// The fields of one row of COPY text (its newline included or not), unescaped; nil for
    /// `\N`.
    static func fields(ofRow text: ArraySlice<UInt8>) -> [String?] {
        var fields: [String?] = []
        var field: [UInt8] = []
        var escaped = false
        var null = false
        func close() {
            fields.append(null && field.isEmpty ? nil : String(decoding: field, as: UTF8.self))
            field.removeAll()
            null = false
        }
        for byte in text {
            if escaped {
                escaped = false
                switch byte {
                case UInt8(ascii: "N"): null = true
                case UInt8(ascii: "t"): field.append(9)
                case UInt8(ascii: "n"): field.append(10)
                case UInt8(ascii: "r"): field.append(13)
                default: field.append(byte)
                }
            } else if byte == 92 {
                escaped = true
            } else if byte == 9 {
                close()
            } else if byte == 10 {
                break
            } else {
                field.append(byte)
            }
        }
        close()
        return fields
    }

    /// One value in COPY's text form.
    static func append(_ value: SQLValue, to buffer: inout [UInt8]) {
        switch value {
        case .integer(let number): buffer.appendDecimal(number)
        case .text(let text):
            var view = text
            view.withUTF8 { bytes in
                // Most text has nothing to escape: copied whole.
                if !bytes.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) {
                    buffer.append(contentsOf: bytes)
                } else {
                    PostgresCopyWriter.append(.text(text), to: &buffer)
                }
            }
        case .null: buffer.append(contentsOf: [92, 78])
        case .real(let number): PostgresCopyWriter.append(.real(number), to: &buffer)
        case .blob(let bytes): PostgresCopyWriter.append(.bytes(bytes), to: &buffer)
        }
    }
}

extension PostgresError {
    /// The line of a COPY's data the error is about (its context "COPY t, line 12…"), if any.
    var copyLine: Int? {
        guard let context, let range = context.range(of: ", line ") else { return nil }
        return Int(context[range.upperBound...].prefix { $0.isNumber })
    }
}
