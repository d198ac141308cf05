import Testing

@testable import FupinCore

/// The bulk writer's set of unique keys written (`ByteStringSet`): the same answers as a
/// `Set` of byte arrays, through growth and for keys that differ in length or a byte only.
@Suite struct ByteStringSetTests {
    @Test func answersAsASetOfByteArraysDoes() {
        var set = ByteStringSet()
        var reference = Set<[UInt8]>()
        var generator = SystemRandomNumberGenerator()
        // Short keys from a few bytes, so repeats are common; some empty.
        for _ in 0..<20_000 {
            let key = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                UInt8.random(in: 0x30...0x35, using: &generator)
            }
            let inserted = key.withUnsafeBufferPointer { set.insert($0) }
            #expect(inserted == reference.insert(key).inserted, "\(key)")
        }
        #expect(set.count == reference.count)
        for key in reference {
            #expect(key.withUnsafeBufferPointer { set.contains($0) })
        }
        let absent: [UInt8] = Array("150602".utf8)
        #expect(!absent.withUnsafeBufferPointer { set.contains($0) })
    }

    @Test func keysDifferingInOneByteOrTheirLengthAreTwo() {
        var set = ByteStringSet(capacity: 4)
        let keys = ["150602200904287839", "150602200904287838", "15060220090428783", "", "\u{E9}", "e\u{301}"]
        for key in keys {
            #expect(Array(key.utf8).withUnsafeBufferPointer { set.insert($0) }, "\(key)")
        }
        for key in keys {
            #expect(!Array(key.utf8).withUnsafeBufferPointer { set.insert($0) }, "\(key)")
        }
        #expect(set.count == keys.count)
    }

    @Test func entriesAreNumberedInTheOrderTheyCame() {
        var set = ByteStringSet()
        var numbers: [Int] = []
        for key in ["b", "a", "b", "c", "a"] {
            numbers.append(Array(key.utf8).withUnsafeBufferPointer { set.add($0).index })
        }
        #expect(numbers == [0, 1, 0, 2, 1])
        #expect(Array("c".utf8).withUnsafeBufferPointer { set.index(of: $0) } == 2)
        #expect(Array("d".utf8).withUnsafeBufferPointer { set.index(of: $0) } == nil)
    }
}
