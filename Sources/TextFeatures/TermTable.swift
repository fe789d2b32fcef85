import Foundation

/// An insertion-ordered set of terms keyed by their exact UTF-8 bytes (so canonically equivalent
/// but differently encoded terms stay distinct, as in Python), with dense ids `0 ..< count`.
/// Open addressing with linear probing; term bytes live in one arena.
struct TermTable: Sendable {
    private(set) var arena: [UInt8] = []
    /// `count + 1` offsets: term `i` is `arena[offsets[i] ..< offsets[i + 1]]`.
    private(set) var offsets: [Int] = [0]
    private(set) var hashes: [UInt64] = []
    /// Per slot: the hash's upper 32 bits (a tag that settles most mismatches without touching
    /// `hashes`) above the term id, or `emptySlot`.
    private var slots: [UInt64]
    private var mask: Int
    private static let emptySlot = UInt64.max

    var count: Int { hashes.count }

    init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: Self.emptySlot, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private static func slotEntry(hash: UInt64, id: Int32) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(bitPattern: id))
    }

    /// The id of `term`, or -1.
    func find(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                var slot = Int(truncatingIfNeeded: hash) & mask
                let tag = hash & 0xFFFF_FFFF_0000_0000
                while true {
                    let entry = slots[slot]
                    if entry == Self.emptySlot { return -1 }
                    let id = Int32(bitPattern: UInt32(truncatingIfNeeded: entry))
                    if entry & 0xFFFF_FFFF_0000_0000 == tag && equals(Int(id), term, arena) { return id }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The id of `term`, adding it if new.
    mutating func findOrInsert(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & mask
        let tag = hash & 0xFFFF_FFFF_0000_0000
        while true {
            let entry = slots[slot]
            if entry == Self.emptySlot { break }
            let id = Int32(bitPattern: UInt32(truncatingIfNeeded: entry))
            if entry & 0xFFFF_FFFF_0000_0000 == tag
                && arena.withUnsafeBufferPointer({ equals(Int(id), term, $0) }) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: term)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = Self.slotEntry(hash: hash, id: id)
        if count * 2 > mask { grow() }
        return id
    }

    /// The bytes of term `id`, valid inside `body`.
    func withTerm<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[offsets[id]..<offsets[id + 1]])) }
    }

    func string(_ id: Int) -> String {
        String(decoding: arena[offsets[id]..<offsets[id + 1]], as: UTF8.self)
    }

    @inline(__always)
    private func equals(_ id: Int, _ term: UnsafeBufferPointer<UInt8>, _ arena: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id], length = offsets[id + 1] - start
        guard length == term.count else { return false }
        return length == 0 || memcmp(arena.baseAddress! + start, term.baseAddress!, length) == 0
    }

    private mutating func grow() {
        let capacity = (mask + 1) * 2
        mask = capacity - 1
        var slots = [UInt64](repeating: Self.emptySlot, count: capacity)
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != Self.emptySlot { slot = (slot + 1) & mask }
            slots[slot] = Self.slotEntry(hash: hash, id: Int32(id))
        }
        self.slots = slots
    }
}
