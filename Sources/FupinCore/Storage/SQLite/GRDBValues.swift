import GRDB

/// Money and areas as GRDB reads and writes them in the typed records (`FupinRecord`):
/// integer fen and integer hundredths of a 亩.
extension Money: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { fen.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Money? {
        Int64.fromDatabaseValue(dbValue).map(Money.init(fen:))
    }
}

extension Area: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { hundredths.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Area? {
        Int64.fromDatabaseValue(dbValue).map(Area.init(hundredths:))
    }
}
