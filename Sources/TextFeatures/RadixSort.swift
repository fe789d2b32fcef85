/// Least-significant-digit radix sort for one document's column ids: a few hundred keys below the
/// vocabulary size, sorted once per document on every vectoriser path. A comparison sort of such keys
/// mispredicts about every other branch; this makes one counting scan and one scatter per byte of the
/// largest key, with no data-dependent branches. Equal keys are indistinguishable, so the result is the
/// same array the quicksort gave (and the same TF-IDF bits).
struct ColumnSorter {
    /// Below this many keys the comparison sort is cheaper than clearing the digit counts.
    static let radixThreshold = 48

    private var scratchColumns: [Int32] = []
    private var scratchEntries: [UInt64] = []
    /// 256 counts per byte of the key (at most 4 bytes), reused across documents.
    private var counts = [Int](repeating: 0, count: 4 * 256)

    init() {}

    /// Sorts column ids (non-negative) ascending.
    mutating func sort(_ columns: inout [Int32]) {
        guard columns.count >= Self.radixThreshold else {
            sortAscending(&columns)
            return
        }
        Self.radixSort(&columns, scratch: &scratchColumns, counts: &counts)
    }

    /// Sorts entries packed as `column << 32 | count`, one per column, by column (so ascending).
    mutating func sort(_ entries: inout [UInt64]) {
        guard entries.count >= Self.radixThreshold else {
            sortAscending(&entries)
            return
        }
        Self.radixSort(&entries, scratch: &scratchEntries, counts: &counts)
    }

    /// The sort itself, by each value's `radixKey`; release builds specialise it for both key types.
    private static func radixSort<Value: RadixKeyed>(_ array: inout [Value], scratch: inout [Value], counts: inout [Int]) {
        let n = array.count
        if scratch.count < n { scratch = Array(array) }
        array.withUnsafeMutableBufferPointer { values in
            scratch.withUnsafeMutableBufferPointer { scratch in
                counts.withUnsafeMutableBufferPointer { counts in
                    var bits: UInt32 = 0
                    for v in values { bits |= v.radixKey }
                    let digits = digitCount(bits)
                    counts.baseAddress!.update(repeating: 0, count: digits * 256)
                    for v in values {
                        let key = v.radixKey
                        for d in 0..<digits { counts[d &* 256 &+ Int((key >> UInt32(8 &* d)) & 255)] &+= 1 }
                    }
                    var source = values.baseAddress!, target = scratch.baseAddress!
                    for d in 0..<digits where prepareOffsets(counts, digit: d, count: n) {
                        let shift = UInt32(8 &* d), base = d &* 256
                        for i in 0..<n {
                            let v = source[i]
                            let slot = base &+ Int((v.radixKey >> shift) & 255)
                            target[counts[slot]] = v
                            counts[slot] &+= 1
                        }
                        swap(&source, &target)
                    }
                    if source != values.baseAddress! { values.baseAddress!.update(from: source, count: n) }
                }
            }
        }
    }

    /// Bytes needed for the largest key (at least 1).
    private static func digitCount(_ bits: UInt32) -> Int {
        max(1, (32 - bits.leadingZeroBitCount + 7) / 8)
    }

    /// Turns one digit's counts into start offsets; false when every key has the same digit (the pass
    /// would not move anything).
    private static func prepareOffsets(_ counts: UnsafeMutableBufferPointer<Int>, digit: Int, count n: Int) -> Bool {
        let base = digit * 256
        var start = 0
        for b in base..<(base + 256) {
            let c = counts[b]
            if c == n { return false }
            counts[b] = start
            start &+= c
        }
        return true
    }
}

/// A value sorted by a non-negative 32-bit key: a column id itself, or the column of a packed entry.
private protocol RadixKeyed {
    var radixKey: UInt32 { get }
}

extension Int32: RadixKeyed {
    fileprivate var radixKey: UInt32 { UInt32(bitPattern: self) }
}

extension UInt64: RadixKeyed {
    fileprivate var radixKey: UInt32 { UInt32(truncatingIfNeeded: self >> 32) }
}
