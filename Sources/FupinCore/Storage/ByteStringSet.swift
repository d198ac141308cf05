/// A set of byte strings kept in one buffer: the keys a bulk writer has written of a unique
/// field (`BulkWriter.checkUnique`), a million of them in a county's first load. A `Set` of
/// `String` or `[UInt8]` held an object per key, made on one thread and reference-counted and
/// freed on another; here a key costs its bytes and two integers, and is compared as memory.
///
/// Open addressing with linear probing over a power-of-two table of entry numbers; each entry
/// keeps its FNV-1a hash, so a probe compares bytes only when the hashes agree, and growing
/// the table rehashes nothing.
///
/// Example:
/// ```swift
/// var seen = ByteStringSet()
/// Array("150602".utf8).withUnsafeBufferPointer { seen.insert($0) }  // true: new
/// Array("150602".utf8).withUnsafeBufferPointer { seen.insert($0) }  // false: already there
/// ```
struct ByteStringSet {
    /// Every key's bytes, one after another.
    private var arena: [UInt8] = []
    /// Where each entry's bytes end in `arena` (an entry starts where the one before it ends).
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    /// Entry number + 1 by slot; 0 is an empty slot.
    private var slots: [Int32]

    /// A set with room for `capacity` keys before it grows.
    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
        ends.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    /// How many keys the set holds.
    var count: Int { ends.count }

    /// Adds `key`; returns whether it was not already in the set.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Bool { add(key).inserted }

    /// Adds `key` if it is new; returns its entry number (entries are numbered from 0 in the
    /// order they were added, so the set can index an array kept beside it) and whether it
    /// was new.
    mutating func add(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
        let hash = ByteStringSet.hash(key)
        let (slot, found) = probe(key, hash)
        if found { return (Int(slots[slot]) - 1, false) }
        arena.append(contentsOf: key)
        ends.append(arena.count)
        hashes.append(hash)
        slots[slot] = Int32(truncatingIfNeeded: ends.count)
        if ends.count * 2 > slots.count { grow() }
        return (ends.count - 1, true)
    }

    /// Whether `key` is in the set.
    func contains(_ key: UnsafeBufferPointer<UInt8>) -> Bool { index(of: key) != nil }

    /// The entry number of `key`, or nil when it is not in the set.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let (slot, found) = probe(key, ByteStringSet.hash(key))
        return found ? Int(slots[slot]) - 1 : nil
    }

    /// The slot holding `key` (found), or the empty slot where it would go.
    private func probe(_ key: UnsafeBufferPointer<UInt8>, _ hash: UInt64) -> (slot: Int, found: Bool) {
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = Int(slots[slot]) - 1
            if hashes[entry] == hash && entryEquals(entry, key) { return (slot, true) }
            slot = (slot + 1) & (slots.count - 1)
        }
        return (slot, false)
    }

    /// Whether entry `entry`'s bytes are `key`'s.
    private func entryEquals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = entry == 0 ? 0 : ends[entry - 1]
        guard ends[entry] - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            for offset in 0..<key.count where stored[start + offset] != key[offset] { return false }
            return true
        }
    }

    /// Doubles the table and places every entry again by its kept hash.
    private mutating func grow() {
        var table = [Int32](repeating: 0, count: slots.count * 2)
        let mask = table.count - 1
        for entry in 0..<ends.count {
            var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(truncatingIfNeeded: entry + 1)
        }
        slots = table
    }

    /// FNV-1a over the bytes, then mixed so the low bits (the slot) depend on every byte.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 29
        hash &*= 0xbf58_476d_1ce4_e5b9
        return hash ^ (hash >> 32)
    }
}
