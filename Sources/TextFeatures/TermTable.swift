import Foundation

/// An insertion-ordered set of terms keyed by their exact UTF-8 bytes (so canonically equivalent
/// but differently encoded terms stay distinct, as in Python), with dense ids `0 ..< count`.
/// Open addressing with linear probing; term bytes live in one arena.
struct TermTable: Sendable {
    private(set) var arena: [UInt8] = []
    /// `count + 1` offsets: term `i` is `arena[offsets[i] ..< offsets[i + 1]]`.
    private(set) var offsets: [Int] = [0]
    private(set) var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    var count: Int { hashes.count }

    init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// The id of `term`, or -1.
    func find(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let id = slots[slot]
                    if id < 0 { return -1 }
                    if hashes[Int(id)] == hash && equals(Int(id), term, arena) { return id }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The id of `term`, adding it if new.
    mutating func findOrInsert(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash
                && arena.withUnsafeBufferPointer({ equals(Int(id), term, $0) }) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: term)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = id
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

    /// Code point order of terms `a` and `b` (UTF-8 byte order is code point order).
    func precedes(_ a: Int, _ b: Int) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            let la = offsets[a + 1] - offsets[a], lb = offsets[b + 1] - offsets[b]
            let c = memcmp(arena.baseAddress! + offsets[a], arena.baseAddress! + offsets[b], min(la, lb))
            return c != 0 ? c < 0 : la < lb
        }
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
        var slots = [Int32](repeating: -1, count: capacity)
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
        self.slots = slots
    }
}
