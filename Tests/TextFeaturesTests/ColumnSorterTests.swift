import SeededRandom
import Testing
@testable import TextFeatures

/// The radix sort every vectoriser path uses per document must give exactly the ascending order,
/// for short rows (insertion sort), long ones, and keys of one to four bytes.
struct ColumnSorterTests {
    /// Sizes on both sides of the radix threshold, and key ranges from one byte to the full 31 bits.
    static let sizes = [0, 1, 2, ColumnSorter.radixThreshold - 1, ColumnSorter.radixThreshold, 200, 3_000]
    static let keyLimits: [Int32] = [1, 200, 60_000, 5_000_000, Int32.max]

    @Test func columnIdsComeOutAscendingWithEveryDuplicate() {
        var random = SplitMix64(seed: 16)
        var sorter = ColumnSorter()
        for size in Self.sizes {
            for limit in Self.keyLimits {
                var columns = (0..<size).map { _ in Int32(random.next(below: Int(limit))) }
                let expected = columns.sorted()
                sorter.sort(&columns)
                #expect(columns == expected, "size \(size), keys below \(limit)")
            }
        }
    }

    @Test func packedEntriesComeOutInColumnOrderWithTheirCounts() {
        var random = SplitMix64(seed: 17)
        var sorter = ColumnSorter()
        for size in Self.sizes {
            for limit in Self.keyLimits where Int(limit) >= size {
                // One entry per column, as fit_transform builds them: distinct columns, arbitrary counts.
                var seen = Set<Int32>()
                var entries: [UInt64] = []
                while entries.count < size {
                    let column = Int32(random.next(below: Int(limit)))
                    guard seen.insert(column).inserted else { continue }
                    entries.append(UInt64(column) << 32 | UInt64(random.next(below: 1_000) + 1))
                }
                let expected = entries.sorted()
                sorter.sort(&entries)
                #expect(entries == expected, "size \(size), columns below \(limit)")
            }
        }
    }

    /// Keys that share their low bytes (every pass but one is skipped) and rows all of one key.
    @Test func skippedPassesAndConstantRowsStaySorted() {
        var sorter = ColumnSorter()
        var shared = (0..<300).map { Int32(($0 * 7919) % 97) << 16 }
        let expected = shared.sorted()
        sorter.sort(&shared)
        #expect(shared == expected)
        var constant = [Int32](repeating: 65_535, count: 500)
        sorter.sort(&constant)
        #expect(constant == [Int32](repeating: 65_535, count: 500))
    }
}
