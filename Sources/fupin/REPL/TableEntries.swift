import FupinREPL
import LuaKit

/// A table's entries in the order the REPL shows them, read raw (no metamethod runs):
/// the sequence 1, 2, 3, ... first, then the other keys sorted — numbers ascending, then
/// strings, then booleans, then keys of other types.
///
/// ```swift
/// let entries = TableEntries(table)      // {3, 1, b = 2, a = 1}
/// entries.sequence                       // [3, 1]
/// entries.keyed.map(\.key)               // [a, b]
/// ```
struct TableEntries {
    /// t[1], t[2], ... up to the first nil.
    var sequence: [LuaValue] = []
    /// The other entries, sorted; a key that is not a number, string or boolean is nil.
    var keyed: [(key: LuaKey?, value: LuaValue)] = []

    var count: Int { sequence.count + keyed.count }
    var isEmpty: Bool { count == 0 }

    init(_ table: LuaTable) {
        var index: Int64 = 1
        while true {
            let value = table.rawGet(.integer(index))
            if value.isNil { break }
            sequence.append(value)
            index += 1
        }
        let sequenceEnd = index
        table.forEach { key, value in
            if case .integer(let i)? = key, i >= 1, i < sequenceEnd { return }
            keyed.append((key, value))
        }
        keyed.sort { TableEntries.precedes($0.key, $1.key) }
    }

    /// The order of keys: numbers, strings, booleans, then the rest.
    static func precedes(_ a: LuaKey?, _ b: LuaKey?) -> Bool {
        func rank(_ k: LuaKey?) -> Int {
            switch k {
            case .integer?, .number?: return 0
            case .string?: return 1
            case .boolean?: return 2
            case nil: return 3
            }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb }
        switch (a, b) {
        case (.string(let x)?, .string(let y)?): return x.bytes.lexicographicallyPrecedes(y.bytes)
        case (.boolean(let x)?, .boolean(let y)?): return !x && y
        default:
            return (a.map(number) ?? 0) < (b.map(number) ?? 0)
        }
    }

    private static func number(_ key: LuaKey) -> Double {
        switch key {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return 0
        }
    }

    /// Whether `name` can be written bare as a field name (`t.name`, `{ name = 1 }`).
    static func isIdentifier(_ name: String) -> Bool {
        LuaLexer.isIdentifier(name)
    }
}
