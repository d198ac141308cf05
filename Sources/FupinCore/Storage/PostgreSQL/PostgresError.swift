import CLibPQ
import Foundation

/// An error from the PostgreSQL store: the server's SQLSTATE and message, sorted into the kinds
/// Fupin acts on differently (retry a serialization failure, report a lost connection, say a
/// cancel was asked for).
///
/// Example:
/// ```swift
/// do { try connection.execute("SELECT pg_sleep(30)") } catch let error as PostgresError {
///     if error.kind == .cancelled { print("stopped: \(error)") }
/// }
/// ```
public struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// What kind of failure, for deciding what to do next.
    public enum Kind: String, Sendable, Hashable {
        /// The connection could not be made (server down, wrong socket, refused credentials).
        case connectionFailed
        /// The connection broke while in use (server restart, backend terminated, network).
        case connectionLost
        /// The statement was cancelled (a cancel request: Ctrl-C or a time limit).
        case cancelled
        /// SQLSTATE 40001 or 40P01: the transaction lost a conflict and may be retried whole.
        case serializationFailure
        /// Any other error the server reported (constraint, syntax, permission, ...).
        case server
        /// The client library failed or answered something Fupin did not expect.
        case client
    }

    public var kind: Kind
    /// The five-character SQLSTATE, when the server sent one (e.g. `40001`, `42501`).
    public var sqlState: String?
    /// The server's or libpq's primary message, without trailing newline.
    public var message: String
    /// The server's DETAIL field, when given.
    public var detail: String?
    /// The server's HINT field, when given.
    public var hint: String?
    /// The table, column and constraint the error is about, when the server named them.
    public var table: String?
    public var column: String?
    public var constraint: String?
    /// Where the server was when it failed (its CONTEXT field, e.g. "COPY t, line 12: …").
    public var context: String?

    public init(_ kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    /// True when the whole transaction may simply be run again (serialization failure, deadlock).
    public var isRetryable: Bool { kind == .serializationFailure }

    public var description: String {
        let code = sqlState.map { " \($0)" } ?? ""
        var text: String
        switch kind {
        case .connectionFailed:
            text = "cannot connect to the PostgreSQL server: \(message)"
        case .connectionLost:
            text =
                "the connection to the PostgreSQL server was lost\(code.isEmpty ? "" : " (SQLSTATE\(code))"): \(message); the open transaction, if any, was rolled back by the server — reconnect and run the command again"
        case .cancelled:
            text =
                "the PostgreSQL statement was cancelled (SQLSTATE\(code)): \(message); its transaction was rolled back"
        case .serializationFailure:
            text =
                "PostgreSQL serialization failure (SQLSTATE\(code)): \(message); the transaction was rolled back and may be run again"
        case .server:
            text = "PostgreSQL error\(code): \(message)"
        case .client:
            text = "PostgreSQL client error: \(message)"
        }
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        if let hint, !hint.isEmpty { text += " — \(hint)" }
        return text
    }

    public var errorDescription: String? { description }

    /// The kind a SQLSTATE stands for, before looking at the connection's state.
    static func kind(ofSQLState state: String?) -> Kind {
        guard let state else { return .server }
        switch state {
        case "40001", "40P01": return .serializationFailure
        case "57014": return .cancelled
        // admin_shutdown, crash_shutdown, cannot_connect_now; class 08 is connection exceptions.
        case "57P01", "57P02", "57P03": return .connectionLost
        default: return state.hasPrefix("08") ? .connectionLost : .server
        }
    }

    /// The error a failed result carries; `connection` tells whether the link itself broke.
    static func from(result: OpaquePointer?, connection: OpaquePointer?) -> PostgresError {
        let broken = connection.map { fpq_PQstatus($0) == CONNECTION_BAD } ?? true
        guard let result else {
            let message = connection.flatMap { fpq_PQerrorMessage($0) }.map { String(cString: $0) } ?? "no result"
            return PostgresError(broken ? .connectionLost : .client, message: trimmed(message))
        }
        func field(_ code: UInt8) -> String? {
            fpq_PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let state = field(UInt8(ascii: "C"))
        let primary =
            field(UInt8(ascii: "M")) ?? fpq_PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown error"
        var kind = kind(ofSQLState: state)
        if broken { kind = .connectionLost }
        var error = PostgresError(
            kind, sqlState: state, message: trimmed(primary),
            detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")))
        error.table = field(UInt8(ascii: "t"))
        error.column = field(UInt8(ascii: "c"))
        error.constraint = field(UInt8(ascii: "n"))
        error.context = field(UInt8(ascii: "W"))
        return error
    }

    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
