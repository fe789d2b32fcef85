import Foundation

/// Turns one document's (column, count) pairs into its TF-IDF row, in sklearn's order of steps:
/// tf (or `1 + ln tf`), times idf, then the row divided by its L2 (or L1) norm.
struct RowWeighting: Sendable {
    let sublinearTF: Bool
    let idf: [Double]?
    let norm: TfidfNorm

    /// Appends the row for `columns` (sorted, one run per distinct column) to `matrix`.
    func appendRow(sortedColumns columns: [Int32], to matrix: inout RowBlock) {
        columns.withUnsafeBufferPointer { columns in
            var distinct = 0
            forEachRun(columns) { _, _ in distinct += 1 }
            // Room made once, then written through pointers (an append per entry re-checks the
            // arrays' uniqueness and capacity every time).
            let start = matrix.values.count
            matrix.columns.append(contentsOf: repeatElement(0, count: distinct))
            matrix.values.append(contentsOf: repeatElement(0, count: distinct))
            matrix.columns.withUnsafeMutableBufferPointer { outColumns in
                matrix.values.withUnsafeMutableBufferPointer { outValues in
                    var k = start
                    forEachRun(columns) { column, count in
                        outColumns[k] = column
                        outValues[k] = weight(column: column, count: count)
                        k += 1
                    }
                    normalize(UnsafeMutableBufferPointer(rebasing: outValues[start...]))
                }
            }
        }
        matrix.rowEnds.append(matrix.values.count)
    }

    /// Writes the row for `entries`, each `column << 32 | count`, sorted, one per column, to
    /// `columns[0 ..< entries.count]` and `values[0 ..< entries.count]`.
    func writeRow(sortedPackedEntries entries: UnsafeBufferPointer<UInt64>,
                  columns: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Double>) {
        for (k, entry) in entries.enumerated() {
            let column = Int32(truncatingIfNeeded: entry >> 32), count = Int(UInt32(truncatingIfNeeded: entry))
            columns[k] = column
            values[k] = weight(column: column, count: count)
        }
        normalize(UnsafeMutableBufferPointer(start: values, count: entries.count))
    }

    /// A term's weight before normalisation, the same on the fit_transform and transform paths.
    @inline(__always)
    private func weight(column: Int32, count: Int) -> Double {
        var value = termFrequencyWeight(count)
        if let idf { value *= idf[Int(column)] }
        return value
    }

    /// `count`, or `1 + ln count` with sublinear tf (from a table for the small counts nearly every term has).
    @inline(__always)
    private func termFrequencyWeight(_ count: Int) -> Double {
        guard sublinearTF else { return Double(count) }
        return count < Self.sublinearWeights.count ? Self.sublinearWeights[count] : log(Double(count)) + 1
    }

    /// `1 + ln c` for c < 64 (entry 0 unused), the same bits as computing it each time.
    private static let sublinearWeights: [Double] = (0..<64).map { log(Double($0)) + 1 }

    private func normalize(_ values: UnsafeMutableBufferPointer<Double>) {
        var total = 0.0
        switch norm {
        case .none: return
        case .l2: for v in values { total += v * v }; total = total.squareRoot()
        case .l1: for v in values { total += abs(v) }
        }
        guard total != 0 else { return }
        for i in values.indices { values[i] /= total }
    }
}

/// Calls `body(value, runLength)` for each run of equal values of sorted `values`.
@inline(__always)
func forEachRun(_ values: UnsafeBufferPointer<Int32>, _ body: (Int32, Int) -> Void) {
    var i = 0
    while i < values.count {
        let value = values[i]
        var j = i + 1
        while j < values.count && values[j] == value { j += 1 }
        body(value, j - i)
        i = j
    }
}
