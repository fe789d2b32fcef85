/// A dense matrix of `Double` in row-major order: entry `(r, c)` is `values[r * columnCount + c]`.
public struct DenseMatrix: Equatable, Sendable {
    public private(set) var rowCount: Int
    public private(set) var columnCount: Int
    /// `rowCount × columnCount` entries, row after row.
    public var values: [Double]

    /// A matrix of the given shape filled with `value`.
    public init(rowCount: Int, columnCount: Int, repeating value: Double = 0) {
        precondition(rowCount >= 0 && columnCount >= 0, "DenseMatrix: negative shape")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = Array(repeating: value, count: rowCount * columnCount)
    }

    /// A matrix over existing row-major `values`.
    public init(rowCount: Int, columnCount: Int, values: [Double]) {
        precondition(values.count == rowCount * columnCount,
                     "DenseMatrix: \(values.count) values for a \(rowCount)×\(columnCount) matrix")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    /// A matrix from its rows, which must all have the same length.
    public init(rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "DenseMatrix: rows of different lengths")
        self.init(rowCount: rows.count, columnCount: columns, values: rows.flatMap { $0 })
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columnCount + column] }
        set { values[row * columnCount + column] = newValue }
    }

    /// A copy of row `r`.
    public func row(_ r: Int) -> [Double] { Array(values[r * columnCount ..< (r + 1) * columnCount]) }

    /// The rows as arrays, for printing and tests.
    public var rows: [[Double]] { (0..<rowCount).map(row) }

    /// The transpose, `columnCount × rowCount`.
    public func transposed() -> DenseMatrix {
        var result = DenseMatrix(rowCount: columnCount, columnCount: rowCount)
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for r in 0..<rowCount {
                    for c in 0..<columnCount { target[c * rowCount + r] = source[r * columnCount + c] }
                }
            }
        }
        return result
    }
}
