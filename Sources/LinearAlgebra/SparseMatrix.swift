/// A sparse matrix in compressed sparse row (CSR) form, the layout of `scipy.sparse.csr_matrix`.
///
/// Row `r` holds the entries `values[rowOffsets[r] ..< rowOffsets[r + 1]]` in the columns
/// `columns[...]` of the same range, columns strictly increasing within a row.
public struct SparseMatrix: Equatable, Sendable {
    public var rowCount: Int
    public var columnCount: Int
    /// `rowCount + 1` offsets into `columns` and `values`; the first is 0.
    public var rowOffsets: [Int]
    public var columns: [Int32]
    public var values: [Double]

    public init(rowCount: Int, columnCount: Int, rowOffsets: [Int], columns: [Int32], values: [Double]) {
        precondition(rowOffsets.count == rowCount + 1, "CSR needs rowCount + 1 offsets")
        precondition(columns.count == values.count, "CSR columns and values differ in length")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowOffsets = rowOffsets
        self.columns = columns
        self.values = values
    }

    public var nonZeroCount: Int { values.count }

    /// The half-open range of row `r`'s entries in `columns` and `values`.
    @inlinable
    public func entryRange(ofRow r: Int) -> Range<Int> { rowOffsets[r] ..< rowOffsets[r + 1] }
}
