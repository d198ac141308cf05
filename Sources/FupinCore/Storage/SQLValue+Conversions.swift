/// The `SQLValue` of Swift values FupinCore stores: integers, reals, text, bools as 1/0.
///
/// Example: `Int64(640).sqlValue == .integer(640)`, `true.sqlValue == .integer(1)`.
protocol SQLValueConvertible {
    /// The value as a store holds it.
    var sqlValue: SQLValue { get }
}

extension Int64: SQLValueConvertible {
    var sqlValue: SQLValue { .integer(self) }
}

extension Int: SQLValueConvertible {
    var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Double: SQLValueConvertible {
    var sqlValue: SQLValue { .real(self) }
}

extension String: SQLValueConvertible {
    var sqlValue: SQLValue { .text(self) }
}

extension Bool: SQLValueConvertible {
    var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}

extension Money: SQLValueConvertible {
    var sqlValue: SQLValue { .integer(fen) }
}

extension Area: SQLValueConvertible {
    var sqlValue: SQLValue { .integer(hundredths) }
}
