import Foundation

/// Who is writing and from where; recorded with every change in the audit log.
///
/// `source` is "repl", a script path, "plugin:produce-sales:record", "import:file.csv", ...
/// `time` fixes the audit time of every write made with this context (tests, one import run);
/// when nil each write is stamped with the current time.
///
/// Example: `WriteContext(operator: "王明刚", source: "import:households.csv")`.
public struct WriteContext: Sendable, Hashable {
    public var `operator`: String
    public var source: String
    public var time: Date?

    public init(operator: String, source: String, time: Date? = nil) {
        self.operator = `operator`
        self.source = source
        self.time = time
    }

    /// The audit timestamp for a write made now with this context.
    func timestamp() -> String {
        AuditClock.timestamp(secondsSince1970: (time ?? Date()).timeIntervalSince1970)
    }
}
