import Foundation
import GRDB

extension Workspace {
    /// Writes everything in the SQLite write-ahead log into the database file and empties the
    /// log, so the file alone holds the store (a store copy then moves just that file).
    func checkpointLog() throws {
        try database.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }
}
