import SeededRandom
@testable import LinearAlgebra
import Testing


enum RandomMatrices {
    /// An n × d CSR matrix with about `density` of its entries set, values in [0, 1).
    static func sparse(rows n: Int, columns d: Int, density: Double, seed: UInt64) -> SparseMatrix {
        var rng = SplitMix64(seed: seed)
        var offsets = [0], columns: [Int32] = [], values: [Double] = []
        for _ in 0..<n {
            for j in 0..<d where Double.random(in: 0..<1, using: &rng) < density {
                columns.append(Int32(j))
                values.append(Double.random(in: 0..<1, using: &rng))
            }
            offsets.append(columns.count)
        }
        return SparseMatrix(rowCount: n, columnCount: d, rowOffsets: offsets, columns: columns, values: values)
    }

    static func dense(rows: Int, columns: Int, seed: UInt64) -> DenseMatrix {
        var rng = SplitMix64(seed: seed)
        return DenseMatrix(rowCount: rows, columnCount: columns,
                           values: (0..<(rows * columns)).map { _ in Double.random(in: -1..<1, using: &rng) })
    }
}

@Suite("sparse × dense products")
struct SparseProductTests {
    /// The dense form of a CSR matrix, for the naive reference loops.
    static func dense(_ x: SparseMatrix) -> DenseMatrix {
        var m = DenseMatrix(rowCount: x.rowCount, columnCount: x.columnCount)
        for i in 0..<x.rowCount { for e in x.entryRange(ofRow: i) { m[i, Int(x.columns[e])] = x.values[e] } }
        return m
    }

    static func maxDifference(_ a: DenseMatrix, _ b: DenseMatrix) -> Double {
        zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    // Widths on both sides of the plain-loop/BLAS switch; 700 rows span several parallel blocks.
    @Test("X·B, X·Wᵀ and Xᵀ·G against naive loops", arguments: [1, 3, 16, 17, 70])
    func productsMatchNaiveLoops(k: Int) {
        let x = RandomMatrices.sparse(rows: 700, columns: 90, density: 0.05, seed: UInt64(k))
        let xd = Self.dense(x)
        let b = RandomMatrices.dense(rows: 90, columns: k, seed: 7)
        var expected = DenseMatrix(rowCount: 700, columnCount: k)
        for i in 0..<700 { for c in 0..<k { for j in 0..<90 { expected[i, c] += xd[i, j] * b[j, c] } } }
        #expect(x.rowCount == 700 && x.multiplied(by: b).rowCount == 700)
        #expect(Self.maxDifference(x.multiplied(by: b), expected) < 1e-12)
        #expect(Self.maxDifference(x.multiplied(byTransposeOf: b.transposed()), expected) < 1e-12)

        let g = RandomMatrices.dense(rows: 700, columns: k, seed: 9)
        var expectedT = DenseMatrix(rowCount: 90, columnCount: k)
        for j in 0..<90 { for c in 0..<k { for i in 0..<700 { expectedT[j, c] += xd[i, j] * g[i, c] } } }
        let product = x.transposeMultiplied(by: g)
        #expect(product.rowCount == 90 && product.columnCount == k)
        #expect(Self.maxDifference(product, expectedT) < 1e-12)
    }

    // Release builds take the sixteen-column panel path for k > 8; it must give the very bits of the
    // row-at-a-time loop, including last, narrower (zero-padded) panels of one group (k = 70 = 4·16 + 6,
    // k = 24 = 16 + 8) or two (k = 13, k = 41 = 2·16 + 9), and empty rows.
    @Test("column-panel product is bit-identical to the row loop", arguments: [9, 13, 16, 24, 41, 70])
    func panelProductIsBitIdentical(k: Int) {
        // Both builds of the panel loop: the baseline one and, where the processor has AVX2, `PanelRowsAVX2`.
        for avx2 in Set([false, ProcessorFeatures.hasAVX2]).sorted(by: { !$0 && $1 }) {
            panelProduct(k: k, avx2: avx2)
        }
    }

    func panelProduct(k: Int, avx2: Bool) {
        let x = RandomMatrices.sparse(rows: 600, columns: 120, density: 0.04, seed: UInt64(100 + k))
        let b = RandomMatrices.dense(rows: 120, columns: k, seed: 13)
        var rowLoop = [Double](repeating: 0, count: 600 * k), panels = [Double](repeating: .nan, count: 600 * k)
        b.values.withUnsafeBufferPointer { source in
            rowLoop.withUnsafeMutableBufferPointer { x.multiply(by: source, columnCount: k, into: $0) }
            // `panels` starts as NaN: the panel path must store every element, as `multiply` relies on.
            panels.withUnsafeMutableBufferPointer { out in
                x.multiplyByColumnPanels(source, columnCount: k, into: out, avx2: avx2)
            }
        }
        #expect(x.rowOffsets.indices.dropLast().contains { x.entryRange(ofRow: $0).isEmpty })
        #expect(panels == rowLoop, "avx2: \(avx2)")
    }

    // A loss reuses one workspace for its two products (d × 16 and n × 16 panels): products of different
    // sizes, in either order, through one workspace keep the bits of the row loop.
    @Test("panel products through one reused workspace keep the row loop's bits")
    func reusedWorkspace() {
        let workspace = PanelWorkspace()
        for (rows, columns, k) in [(50, 30, 70), (600, 120, 41), (40, 300, 13), (600, 120, 70)] {
            let x = RandomMatrices.sparse(rows: rows, columns: columns, density: 0.05, seed: UInt64(rows + k))
            let b = RandomMatrices.dense(rows: columns, columns: k, seed: 29)
            var rowLoop = [Double](repeating: 0, count: rows * k), panels = [Double](repeating: .nan, count: rows * k)
            b.values.withUnsafeBufferPointer { source in
                rowLoop.withUnsafeMutableBufferPointer { x.multiply(by: source, columnCount: k, into: $0) }
                panels.withUnsafeMutableBufferPointer {
                    x.multiplyByColumnPanels(source, columnCount: k, into: $0, workspace: workspace)
                }
            }
            #expect(panels == rowLoop, "\(rows)×\(columns), k = \(k)")
        }
    }

    // Scoring packs a model's weights once (`ColumnPanels`); the product must keep the row loop's bits
    // for every class count, narrow ones (a single zero-padded group) included.
    // 9,000 features: the weights are packed in parallel blocks of 4,096 features, the last one partial.
    @Test("product with weights packed once is bit-identical to the row loop",
          arguments: [(1, 120), (4, 120), (8, 120), (9, 120), (13, 120), (24, 120), (70, 120), (6, 9000), (70, 9000)])
    func packedPanelsAreBitIdentical(k: Int, d: Int) {
        let x = RandomMatrices.sparse(rows: 600, columns: d, density: 4.8 / Double(d), seed: UInt64(200 + k))
        let w = RandomMatrices.dense(rows: k, columns: d, seed: 17)
        let b = w.transposed()
        var rowLoop = [Double](repeating: 0, count: 600 * k)
        b.values.withUnsafeBufferPointer { source in
            rowLoop.withUnsafeMutableBufferPointer { x.multiply(by: source, columnCount: k, into: $0) }
        }
        let panels = ColumnPanels(transposeOf: w)
        #expect(panels.rowCount == d && panels.columnCount == k)
        for avx2 in Set([false, ProcessorFeatures.hasAVX2]).sorted(by: { !$0 && $1 }) {
            let product = x.multiplied(by: panels, avx2: avx2)
            #expect(product.rowCount == 600 && product.columnCount == k)
            #expect(product.values == rowLoop, "avx2: \(avx2)")
        }
    }

    @Test("a narrow panel's spare lanes are zeros, whatever the allocation held",
          arguments: [(6, 120), (13, 120), (70, 120), (6, 9000), (70, 9000)])
    func packedPanelsPadWithZeros(k: Int, d: Int) {
        let w = RandomMatrices.dense(rows: k, columns: d, seed: 23)
        // A freed heap block of the panels' size, filled with ones: malloc hands it out again (below its
        // mmap threshold; the larger cases may get fresh, zeroed pages instead).
        let layout = ColumnPanels.layout(rowCount: d, columnCount: k)
        // Every case has a narrow last panel, or it would test nothing.
        #expect(layout.panels.contains { $0.width < $0.groups * SparseMatrix.panelGroupWidth })
        let bytes = layout.byteCount
        let dirty = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        dirty.initializeMemory(as: UInt8.self, repeating: 0xFF, count: bytes)
        dirty.deallocate()
        let panels = ColumnPanels(transposeOf: w)
        for (index, panel) in panels.panels.enumerated() {
            let rowStride = panel.groups * SparseMatrix.panelGroupWidth
            let lanes = panels.panel(index).assumingMemoryBound(to: Double.self)
            var nonZero = 0
            for j in 0..<d {
                for c in panel.width..<rowStride where lanes[j * rowStride + c].bitPattern != 0 { nonZero += 1 }
            }
            #expect(nonZero == 0, "panel \(index): \(nonZero) of \(d * (rowStride - panel.width)) spare lanes are not zero")
        }
    }

    @Test("transpose of a CSR matrix is the dense transpose, with sorted columns")
    func transpose() {
        let x = RandomMatrices.sparse(rows: 40, columns: 25, density: 0.2, seed: 3)
        let t = x.transposed()
        #expect(Self.dense(t) == Self.dense(x).transposed())
        #expect(t.transposed() == x)
    }

    @Test("products are bit-identical run to run")
    func deterministic() {
        let x = RandomMatrices.sparse(rows: 2000, columns: 300, density: 0.03, seed: 11)
        let b = RandomMatrices.dense(rows: 300, columns: 40, seed: 12)
        let first = x.multiplied(by: b)
        for _ in 0..<3 { #expect(x.multiplied(by: b) == first) }
    }
}
