import Foundation

/// Concrete (non-generic) in-place sorts for the hot paths: the stdlib's generic `sort` is not
/// specialised in debug builds, where it dominated the test suite's run time.

/// Sorts `values` ascending (introsort-style quicksort with insertion sort for short ranges).
func sortAscending(_ values: inout [Int32]) {
    values.withUnsafeMutableBufferPointer { sortAscending($0.baseAddress, 0, $0.count) }
}

private func sortAscending(_ a: UnsafeMutablePointer<Int32>?, _ low: Int, _ high: Int) {
    guard let a else { return }
    var low = low, high = high
    while high - low > 16 {
        let pivot = medianOfThree(a[low], a[low + (high - low) / 2], a[high - 1])
        var i = low, j = high - 1
        while i <= j {
            while a[i] < pivot { i += 1 }
            while a[j] > pivot { j -= 1 }
            if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
        }
        // Recurse into the smaller side, loop on the larger, to bound the stack.
        if j + 1 - low < high - i { sortAscending(a, low, j + 1); low = i } else { sortAscending(a, i, high); high = j + 1 }
    }
    var k = low + 1
    while k < high {
        let value = a[k]
        var m = k - 1
        while m >= low && a[m] > value { a[m + 1] = a[m]; m -= 1 }
        a[m + 1] = value
        k += 1
    }
}

/// Sorts `values` ascending; the same algorithm as for `Int32`, kept concrete for debug builds.
func sortAscending(_ values: inout [UInt64]) {
    values.withUnsafeMutableBufferPointer { sortAscending($0.baseAddress, 0, $0.count) }
}

private func sortAscending(_ a: UnsafeMutablePointer<UInt64>?, _ low: Int, _ high: Int) {
    guard let a else { return }
    var low = low, high = high
    while high - low > 16 {
        let x = a[low], y = a[low + (high - low) / 2], z = a[high - 1]
        let pivot = max(min(x, y), min(max(x, y), z))
        var i = low, j = high - 1
        while i <= j {
            while a[i] < pivot { i += 1 }
            while a[j] > pivot { j -= 1 }
            if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
        }
        if j + 1 - low < high - i { sortAscending(a, low, j + 1); low = i } else { sortAscending(a, i, high); high = j + 1 }
    }
    var k = low + 1
    while k < high {
        let value = a[k]
        var m = k - 1
        while m >= low && a[m] > value { a[m + 1] = a[m]; m -= 1 }
        a[m + 1] = value
        k += 1
    }
}

@inline(__always)
private func medianOfThree(_ x: Int32, _ y: Int32, _ z: Int32) -> Int32 {
    max(min(x, y), min(max(x, y), z))
}

/// Sorts term ids so their terms are in code point order (UTF-8 byte order).
/// Compares an 8-byte big-endian prefix first, then the remaining bytes.
func sortByTerm(_ ids: inout [Int], in table: TermTable) {
    guard ids.count > 1 else { return }
    table.arena.withUnsafeBufferPointer { arena in
        table.offsets.withUnsafeBufferPointer { offsets in
            var items = ids.map { id -> (prefix: UInt64, id: Int) in
                let start = offsets[id], length = offsets[id + 1] - start
                var prefix: UInt64 = 0
                for k in 0..<8 { prefix = prefix << 8 | UInt64(k < length ? arena[start + k] : 0) }
                return (prefix, id)
            }
            let base = arena.baseAddress!
            items.withUnsafeMutableBufferPointer { items in
                sortItems(items.baseAddress!, 0, items.count) { x, y in
                    if x.prefix != y.prefix { return x.prefix < y.prefix }
                    let sx = offsets[x.id], lx = offsets[x.id + 1] - sx
                    let sy = offsets[y.id], ly = offsets[y.id + 1] - sy
                    let c = memcmp(base + sx, base + sy, min(lx, ly))
                    return c != 0 ? c < 0 : lx < ly
                }
            }
            for (k, item) in items.enumerated() { ids[k] = item.id }
        }
    }
}

private typealias Item = (prefix: UInt64, id: Int)

private func sortItems(_ a: UnsafeMutablePointer<Item>, _ low: Int, _ high: Int, _ less: (Item, Item) -> Bool) {
    var low = low, high = high
    while high - low > 16 {
        let mid = low + (high - low) / 2
        if less(a[mid], a[low]) { a.swapAt(mid, low) }
        if less(a[high - 1], a[low]) { a.swapAt(high - 1, low) }
        if less(a[high - 1], a[mid]) { a.swapAt(high - 1, mid) }
        let pivot = a[mid]
        var i = low, j = high - 1
        while i <= j {
            while less(a[i], pivot) { i += 1 }
            while less(pivot, a[j]) { j -= 1 }
            if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
        }
        if j + 1 - low < high - i { sortItems(a, low, j + 1, less); low = i } else { sortItems(a, i, high, less); high = j + 1 }
    }
    var k = low + 1
    while k < high {
        let value = a[k]
        var m = k - 1
        while m >= low && less(value, a[m]) { a[m + 1] = a[m]; m -= 1 }
        a[m + 1] = value
        k += 1
    }
}

extension UnsafeMutablePointer {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]; self[i] = self[j]; self[j] = t
    }
}
