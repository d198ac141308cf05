import Foundation

/// Statement parameters laid out as the C arrays `PQexecParams` takes.
///
/// Integers, reals and text go in text form (text with no declared type, so the server infers
/// it from the context, as it does for a literal); bytes go in binary form as `bytea`.
struct PostgresParameters {
    private var types: [UInt32] = []
    private var buffers: [[CChar]?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [PostgresValue]) {
        for value in values {
            switch value {
            case .null:
                append(type: 0, nil, format: 0)
            case .integer(let number):
                append(type: 20, Self.cString("\(number)"), format: 0)
            case .real(let number):
                append(type: 701, Self.cString(Self.text(of: number)), format: 0)
            case .text(let text):
                append(type: 0, Self.cString(text), format: 0)
            case .bytes(let bytes):
                append(type: 17, bytes.map { CChar(bitPattern: $0) }, format: 1)
            }
        }
    }

    private mutating func append(type: UInt32, _ buffer: [CChar]?, format: Int32) {
        types.append(type)
        // Text parameters are NUL-terminated and their length is ignored; binary ones use it.
        lengths.append(Int32(clamping: format == 1 ? buffer?.count ?? 0 : 0))
        buffers.append(buffer)
        formats.append(format)
    }

    private static func cString(_ text: String) -> [CChar] {
        Array(text.utf8CString)
    }

    /// A double in a form PostgreSQL's `float8` reads back exactly (`Infinity`, `NaN` spelled its way).
    static func text(of number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return "\(number)"
    }

    /// Calls `body` with the count and the arrays, valid only during the call.
    func withArrays<T>(
        _ body: (
            Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
            UnsafePointer<Int32>?
        ) throws -> T
    ) rethrows -> T {
        // Copies each buffer into memory that stays put for the call (Swift arrays may move).
        var pointers: [UnsafeMutablePointer<CChar>?] = []
        pointers.reserveCapacity(buffers.count)
        defer { for pointer in pointers { pointer?.deallocate() } }
        for buffer in buffers {
            guard let buffer else { pointers.append(nil); continue }
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, buffer.count))
            buffer.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { pointer.initialize(from: base, count: buffer.count) }
            }
            pointers.append(pointer)
        }
        let values = pointers.map { $0.map { UnsafePointer($0) } }
        return try types.withUnsafeBufferPointer { types in
            try values.withUnsafeBufferPointer { values in
                try lengths.withUnsafeBufferPointer { lengths in
                    try formats.withUnsafeBufferPointer { formats in
                        try body(
                            Int32(clamping: self.types.count), types.baseAddress, values.baseAddress,
                            lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
