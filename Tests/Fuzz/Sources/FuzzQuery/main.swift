import FupinCore
import FuzzSupport

/// Input: a stream of decisions building a Query on one collection of the sample data —
/// filters (every comparison, between, in, like, null checks, year) on real and made-up field
/// names with values of every input kind (text with NUL and invalid UTF-8, extreme integers,
/// NaN and infinities), ordering, limit/offset — then run with every terminal (count, list,
/// sum/avg/min/max, group by). Errors are expected; a crash is a finding.
private let workspace = FuzzFixture.workspace
private let names = workspace.schema.names

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    var input = FuzzBytes(Array(UnsafeBufferPointer(start: data, count: size)))
    let collection = input.pick(names)
    guard var query = try? workspace.query(collection) else { return 0 }
    let fieldNames = query.collection.columnNames + ["year", "valid", ""]
    func field(_ input: inout FuzzBytes) -> String {
        input.byte() < 230 ? input.pick(fieldNames) : input.text()
    }
    func value(_ input: inout FuzzBytes) -> FieldInput {
        switch input.byte() % 9 {
        case 0: return .null
        case 1: return .bool(input.byte() & 1 == 1)
        case 2: return .integer(input.int64())
        case 3: return .integer(Int64(Int8(bitPattern: input.byte())))
        case 4: return .double(Double(bitPattern: UInt64(bitPattern: input.int64())))
        case 5: return .double(input.pick([Double.nan, .infinity, -.infinity, 0.005, -0.0, 1e300, 2019.5]))
        case 6:
            return .text(
                input.pick(["2019-02-30", "2019-12-01", "国家", "' OR 1=1 --", "%", "", "152701198001011235", "1e400"]))
        default: return .text(input.text())
        }
    }
    var steps = 0
    while !input.isAtEnd && steps < 12 {
        steps += 1
        switch input.byte() % 12 {
        case 0, 1, 2:
            let comparison = input.pick(Query.Comparison.allCases)
            query = query.where(.compare(field(&input), comparison, value(&input)))
        case 3: query = query.where(.between(field(&input), value(&input), value(&input)))
        case 4:
            let name = field(&input)
            var values: [FieldInput] = []
            for _ in 0..<(input.byte() % 5) { values.append(value(&input)) }
            query = query.where(.oneOf(name, values))
        case 5: query = query.where(.like(field(&input), input.text()))
        case 6: query = query.where(input.byte() & 1 == 0 ? .isNull(field(&input)) : .isNotNull(field(&input)))
        case 7: query = query.where(.year(Int(truncatingIfNeeded: input.int64())))
        case 8: query = query.orderBy(field(&input), descending: input.byte() & 1 == 1)
        case 9: query = query.limit(Int(truncatingIfNeeded: input.int64()))
        case 10: query = query.offset(Int(truncatingIfNeeded: input.int64()))
        default: query = query.includingInvalid()
        }
    }
    let terminal = input.byte() % 5
    let target = field(&input)
    let aggregate = input.pick(Query.Aggregate.allCases)
    _ = try? workspace.read { db -> Int in
        switch terminal {
        case 0: return try workspace.count(query, in: db)
        case 1: return try workspace.list(query, in: db).map { "\($0)" }.count
        case 2: _ = try workspace.aggregate(aggregate, target, of: query, in: db)
        case 3: _ = try workspace.grouped(query, by: target, aggregate, target, in: db)
        default: _ = try workspace.grouped(query, by: target, in: db)
        }
        return 0
    }
    return 0
}

@_cdecl("FuzzQuery_main")
public func fuzzQueryMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { fuzzQuery($0, $1) }
}
