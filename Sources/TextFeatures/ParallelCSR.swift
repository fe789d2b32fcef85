import LinearAlgebra

/// Builds a CSR matrix whose row offsets are known in advance: parallel jobs write disjoint rows
/// straight into the final arrays, so no part of the matrix is built twice or copied on one core
/// afterwards (that copy, and the growth of per-job arrays, took a quarter of `fitTransform`).
enum ParallelCSR {
    /// `fill(job, columns, values)` must write every entry of its own rows, at their offsets in
    /// `rowOffsets`, exactly once; together the jobs cover all rows.
    static func matrix(
        columnCount: Int, rowOffsets: [Int], jobCount: Int,
        fill: (_ job: Int, _ columns: UnsafeMutablePointer<Int32>, _ values: UnsafeMutablePointer<Double>) -> Void
    ) -> SparseMatrix {
        let entryCount = rowOffsets.last ?? 0
        var values: [Double] = []
        let columns = [Int32](unsafeUninitializedCapacity: entryCount) { columnBuffer, columnsWritten in
            values = [Double](unsafeUninitializedCapacity: entryCount) { valueBuffer, valuesWritten in
                // Each job writes only its own rows' ranges.
                nonisolated(unsafe) let columnBase = columnBuffer.baseAddress, valueBase = valueBuffer.baseAddress
                if let columnBase, let valueBase {
                    Parallel.forEach(jobCount) { fill($0, columnBase, valueBase) }
                }
                valuesWritten = entryCount
            }
            columnsWritten = entryCount
        }
        return SparseMatrix(rowCount: rowOffsets.count - 1, columnCount: columnCount,
                            rowOffsets: rowOffsets, columns: columns, values: values)
    }
}

/// Consecutive CSR rows built by one parallel job (when row lengths are not known in advance),
/// placed in job order afterwards.
struct RowBlock: Sendable {
    var rowEnds: [Int] = []
    var columns: [Int32] = []
    var values: [Double] = []
}

extension Array where Element == RowBlock {
    /// The blocks' rows one after another, each block copied into place by its own parallel job.
    func matrix(columnCount: Int) -> SparseMatrix {
        var rowOffsets = [0], blockStarts: [Int] = []
        rowOffsets.reserveCapacity(reduce(1) { $0 + $1.rowEnds.count })
        for block in self {
            let base = rowOffsets.last!
            blockStarts.append(base)
            rowOffsets.append(contentsOf: block.rowEnds.lazy.map { $0 + base })
        }
        return ParallelCSR.matrix(columnCount: columnCount, rowOffsets: rowOffsets, jobCount: count) { b, columns, values in
            let block = self[b], start = blockStarts[b]
            block.columns.withUnsafeBufferPointer { (columns + start).update(from: $0.baseAddress!, count: $0.count) }
            block.values.withUnsafeBufferPointer { (values + start).update(from: $0.baseAddress!, count: $0.count) }
        }
    }
}
