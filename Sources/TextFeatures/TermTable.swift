import Foundation

/// An insertion-ordered set of terms keyed by their exact UTF-8 bytes (so canonically equivalent
/// but differently encoded terms stay distinct, as in Python), with dense ids `0 ..< count`.
/// Open addressing with linear probing; term bytes live in one arena.
struct TermTable: Sendable {
    private(set) var arena: [UInt8] = []
    /// `count + 1` offsets: term `i` is `arena[offsets[i] ..< offsets[i + 1]]`.
    private(set) var offsets: [Int] = [0]
    private(set) var hashes: [UInt64] = []
    /// The open-addressing slots. Each holds what a probe needs, so a look-up touches one slot
    /// and, on a tag match, the term's bytes (the table is memory-bound on large vocabularies).
    private var slots: [Slot]
    private var mask: Int

    struct Slot {
        /// The hash's upper 32 bits (a tag that settles most mismatches) above the term id;
        /// `Slot.empty.tagAndID` marks a free slot.
        var tagAndID: UInt64
        /// Where the term's bytes are in `arena`.
        var start: UInt32
        var length: UInt32
        static let empty = Slot(tagAndID: .max, start: 0, length: 0)
    }

    var count: Int { hashes.count }

    init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        slots = [Slot](repeating: .empty, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    private static func tagAndID(hash: UInt64, id: Int32) -> UInt64 {
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
                    if entry.tagAndID == Slot.empty.tagAndID { return -1 }
                    if entry.tagAndID & 0xFFFF_FFFF_0000_0000 == tag && Self.equals(entry, term, arena) {
                        return Int32(bitPattern: UInt32(truncatingIfNeeded: entry.tagAndID))
                    }
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
            if entry.tagAndID == Slot.empty.tagAndID { break }
            if entry.tagAndID & 0xFFFF_FFFF_0000_0000 == tag
                && arena.withUnsafeBufferPointer({ Self.equals(entry, term, $0) }) {
                return Int32(bitPattern: UInt32(truncatingIfNeeded: entry.tagAndID))
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        let start = arena.count
        precondition(start + term.count <= Int(UInt32.max), "term arena exceeds 4 GiB")
        arena.append(contentsOf: term)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = Slot(tagAndID: Self.tagAndID(hash: hash, id: id), start: UInt32(start), length: UInt32(term.count))
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
    private static func equals(_ slot: Slot, _ term: UnsafeBufferPointer<UInt8>, _ arena: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = Int(slot.length)
        guard length == term.count else { return false }
        return length == 0 || sameBytes(arena.baseAddress! + Int(slot.start), term.baseAddress!, length)
    }

    /// `memcmp(a, b, n) == 0` inline, in word loads: terms are a few bytes long, where the call and
    /// `memcmp`'s size dispatch cost more than the comparison (7% of a fit's samples in `perf`).
    @inline(__always)
    static func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            // The last (overlapping) word covers a tail shorter than 8 bytes.
            return i == n || x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        var i = 0
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    private mutating func grow() {
        let capacity = (mask + 1) * 2
        mask = capacity - 1
        var slots = [Slot](repeating: .empty, count: capacity)
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].tagAndID != Slot.empty.tagAndID { slot = (slot + 1) & mask }
            slots[slot] = Slot(
                tagAndID: Self.tagAndID(hash: hash, id: Int32(id)),
                start: UInt32(offsets[id]), length: UInt32(offsets[id + 1] - offsets[id]))
        }
        self.slots = slots
    }
}
