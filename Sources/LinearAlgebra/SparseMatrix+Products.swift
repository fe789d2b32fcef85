import Dispatch
import SparseKernelsAVX2

/// Sparse × dense products, the hot loops of training and scoring.
///
/// Every product writes each output row from exactly one task and sums its terms in stored order,
/// so results are bit-identical whatever the thread count or scheduling.
extension SparseMatrix {
    /// Rows per parallel task: large enough to amortise dispatch, small enough to balance two cores.
    static let rowsPerTask = 256
    /// Up to this many output columns a plain loop beats a BLAS call per entry (measured in debug builds).
    static let plainLoopMaximumWidth = 16

    /// `self · b`: (n×d CSR) · (d×k dense) → n×k.
    ///
    /// Row `i` of the result is `Σ_j X[i,j] · b.row(j)`, one `axpy` of length k per stored entry.
    public func multiplied(by b: DenseMatrix) -> DenseMatrix {
        precondition(b.rowCount == columnCount, "multiplied(by:): X is \(rowCount)×\(columnCount) but B has \(b.rowCount) rows")
        var result = DenseMatrix(rowCount: rowCount, columnCount: b.columnCount)
        b.values.withUnsafeBufferPointer { bValues in
            result.values.withUnsafeMutableBufferPointer { out in
                multiply(by: bValues, columnCount: b.columnCount, into: out)
            }
        }
        return result
    }

    /// `out ← self · B` on raw row-major buffers: B is d×k (`columnCount` = k), `out` n×k.
    ///
    /// For callers that keep parameters in one flat vector (an optimiser) and must not copy them. A caller
    /// that repeats the product (every evaluation of a loss) passes a `workspace`, so the packed panels
    /// reuse one buffer instead of fresh pages per call.
    public func multiply(
        by b: UnsafeBufferPointer<Double>, columnCount k: Int, into out: UnsafeMutableBufferPointer<Double>,
        workspace: PanelWorkspace? = nil
    ) {
        precondition(b.count == columnCount * k, "multiply(by:): B has \(b.count) values, expected \(columnCount)×\(k)")
        precondition(out.count == rowCount * k, "multiply(by:): out has \(out.count) values, expected \(rowCount)×\(k)")
        guard rowCount > 0, k > 0 else { return }
        #if !DEBUG
        // Packing the panels reads all of B; it pays only when the entries read B's rows many times over
        // (training, batch scoring), not for a handful of rows (scoring one document). It stores every
        // output element, so `out` needs no zeroing first.
        if k > Self.panelGroupWidth, columnCount > 0, nonZeroCount >= Self.panelReuseFactor * columnCount {
            multiplyByColumnPanels(b, columnCount: k, into: out, workspace: workspace)
            return
        }
        #endif
        out.update(repeating: 0)
        guard columnCount > 0 else { return }
        rowOffsets.withUnsafeBufferPointer { offsets in
            columns.withUnsafeBufferPointer { cols in
                values.withUnsafeBufferPointer { vals in
                    let bBase = b.baseAddress!, outBase = out.baseAddress!
                    let offsetBase = offsets.baseAddress!, columnBase = cols.baseAddress!, valueBase = vals.baseAddress!
                    Self.forEachRowBlock(rowCount) { rows in
                        // Pointer subscripts and while loops: they compile to plain loads even in debug builds,
                        // where Range iteration and buffer subscripts would be function calls.
                        var i = rows.lowerBound
                        while i < rows.upperBound {
                            Self.accumulateRow(
                                into: outBase + i * k, width: k, entries: offsetBase[i] ..< offsetBase[i + 1],
                                columns: columnBase, values: valueBase, source: bBase)
                            i += 1
                        }
                    }
                }
            }
        }
    }

    /// Output columns per pass of the column-blocked product: sixteen doubles, two 64-byte cache lines,
    /// summed in two eight-wide SIMD registers.
    static let panelWidth = 16
    /// Doubles per SIMD group of a panel row (one cache line): a narrower last panel uses one group.
    static let panelGroupWidth = 8
    /// Stored entries per row of B from which the panel product is used.
    static let panelReuseFactor = 2

    /// `out ← self · B` one panel of `panelWidth` columns at a time.
    ///
    /// A wide B (a 64k-feature × 70-class weight matrix is 36 MB; the 100k × 70 gradient factor 56 MB) does
    /// not stay in cache, so each stored entry would fetch its whole B row from memory. Copying one block of
    /// sixteen columns into a contiguous, cache-line-aligned d × 16 panel keeps what the entries read in
    /// the L3 cache, and each output row's sixteen sums stay in registers; the sparse matrix is streamed once
    /// per panel. Sixteen columns rather than eight halve the passes over X (5 instead of 9 for 70 classes)
    /// and give each entry two independent add chains; the panel (8 MB for 64k features) still fits L3.
    /// Every output element still sums the same terms in the same order, so the result is bit-identical
    /// to the row-at-a-time loop below. Debug builds keep that loop (SIMD types are slow unoptimised);
    /// tests call this directly.
    ///
    /// `avx2` picks the AVX2 build of the row loop (`PanelRowsAVX2`, the same arithmetic), by default where the
    /// processor has it: the whole 70-class fit about 1.24× faster on this benchmark's 2-core AMD EPYC (Zen 4).
    func multiplyByColumnPanels(
        _ b: UnsafeBufferPointer<Double>, columnCount k: Int, into out: UnsafeMutableBufferPointer<Double>,
        workspace: PanelWorkspace? = nil, avx2: Bool = ProcessorFeatures.useAVX2
    ) {
        let d = columnCount, width = Self.panelWidth, group = Self.panelGroupWidth
        let byteCount = d * width * MemoryLayout<Double>.stride
        let owned = workspace == nil ? UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64) : nil
        defer { owned?.deallocate() }
        let panel = owned ?? workspace!.buffer(byteCount: byteCount)
        panel.bindMemory(to: Double.self, capacity: d * width)
        let bBase = b.baseAddress!, outBase = out.baseAddress!
        var first = 0
        while first < k {
            let w = min(width, k - first)
            // One group (a cache line) per panel row for a last panel of at most eight columns.
            let groups = w > group ? 2 : 1
            Self.packPanel(panel, rowCount: d, groups: groups, width: w, source: bBase + first, sourceStride: k)
            accumulatePanel(UnsafeRawPointer(panel), groups: groups, width: w, into: outBase + first, outStride: k, avx2: avx2)
            first += w
        }
    }

    /// Copies columns `0..<width` of `d` rows into a panel of `groups` 64-byte groups per row, zeroing the
    /// spare lanes; row `j`'s columns start at `source + j·sourceStride`, contiguous. (A pointer and a stride,
    /// not a closure: a closure call per row was 1.7% of a fit's samples.)
    ///
    /// Rows are copied in parallel blocks: a pure copy, so the panel is the same whatever the threads.
    static func packPanel(_ panel: UnsafeMutableRawPointer, rowCount d: Int, groups: Int, width w: Int,
                          source: UnsafePointer<Double>, sourceStride: Int) {
        let rowStride = groups * panelGroupWidth
        let values = panel.assumingMemoryBound(to: Double.self)
        let blocks = (d + packRowsPerTask - 1) / packRowsPerTask
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            let rows = b * packRowsPerTask ..< min(d, (b + 1) * packRowsPerTask)
            if w == rowStride {
                // Eight-wide loads and stores: a memmove call per 64 bytes cost more.
                for j in rows {
                    let row = UnsafeRawPointer(source + j &* sourceStride)
                    for g in 0..<groups {
                        let line = row.loadUnaligned(fromByteOffset: g &* 64, as: SIMD8<Double>.self)
                        panel.storeBytes(of: line, toByteOffset: (j &* groups &+ g) &* 64, as: SIMD8<Double>.self)
                    }
                }
            } else {
                // A narrower panel keeps the group layout with zeroed spare lanes, so its rows take
                // the same SIMD loop; the spare lanes' sums are never stored.
                for j in rows {
                    let row = values + j * rowStride
                    row.update(from: source + j &* sourceStride, count: w)
                    (row + w).update(repeating: 0, count: rowStride - w)
                }
            }
        }
    }

    /// Panel rows per parallel task of `packPanel` (4096 rows of 128 bytes: half a megabyte).
    static let packRowsPerTask = 4096

    /// `out[i·outStride + c] = Σ_e values[e] · panel[columns[e]][c]` for every row `i` and `c < width`,
    /// the entries summed in stored order: one packed panel's columns of the product, rows in parallel.
    func accumulatePanel(_ source: UnsafeRawPointer, groups: Int, width w: Int,
                         into out: UnsafeMutablePointer<Double>, outStride k: Int, avx2: Bool) {
        rowOffsets.withUnsafeBufferPointer { offsets in
            columns.withUnsafeBufferPointer { cols in
                values.withUnsafeBufferPointer { vals in
                    let offsetBase = offsets.baseAddress!, columnBase = cols.baseAddress!, valueBase = vals.baseAddress!
                    Self.forEachRowBlock(rowCount) { rows in
                        if avx2 {
                            PanelRowsAVX2.accumulate(
                                rows: rows, rowOffsets: offsetBase, columns: columnBase, values: valueBase, panel: source,
                                groups: groups, width: w, out: out, outStride: k)
                            return
                        }
                        var i = rows.lowerBound
                        while i < rows.upperBound {
                            let entries = offsetBase[i] ..< offsetBase[i + 1], target = out + i * k
                            if groups == 2 {
                                Self.accumulateWidePanelRow(into: target, width: w, entries: entries, columns: columnBase,
                                                            values: valueBase, panel: source)
                            } else {
                                Self.accumulatePanelRow(into: target, width: w, entries: entries, columns: columnBase,
                                                        values: valueBase, panel: source)
                            }
                            i += 1
                        }
                    }
                }
            }
        }
    }

    /// `target = Σ_e values[e] · panel.row(columns[e])` for the first `width` (≤ 8) columns of a zeroed
    /// target, summed in stored order; panel rows are one 64-byte group.
    @inline(__always)
    static func accumulatePanelRow(
        into target: UnsafeMutablePointer<Double>, width: Int, entries: Range<Int>,
        columns columnBase: UnsafePointer<Int32>, values valueBase: UnsafePointer<Double>, panel: UnsafeRawPointer
    ) {
        var sum = SIMD8<Double>(repeating: 0)
        var e = entries.lowerBound
        while e < entries.upperBound {
            let row = panel.load(fromByteOffset: Int(columnBase[e]) &* 64, as: SIMD8<Double>.self)
            sum = sum + valueBase[e] * row
            e += 1
        }
        if width == Self.panelGroupWidth {
            UnsafeMutableRawPointer(target).storeBytes(of: sum, as: SIMD8<Double>.self)
        } else {
            for c in 0..<width { target[c] = sum[c] }
        }
    }

    /// The same for panel rows of two 64-byte groups (9 to 16 columns): two independent sums per entry.
    @inline(__always)
    static func accumulateWidePanelRow(
        into target: UnsafeMutablePointer<Double>, width: Int, entries: Range<Int>,
        columns columnBase: UnsafePointer<Int32>, values valueBase: UnsafePointer<Double>, panel: UnsafeRawPointer
    ) {
        var low = SIMD8<Double>(repeating: 0), high = SIMD8<Double>(repeating: 0)
        var e = entries.lowerBound
        while e < entries.upperBound {
            let offset = Int(columnBase[e]) &* 128, value = valueBase[e]
            low = low + value * panel.load(fromByteOffset: offset, as: SIMD8<Double>.self)
            high = high + value * panel.load(fromByteOffset: offset &+ 64, as: SIMD8<Double>.self)
            e += 1
        }
        UnsafeMutableRawPointer(target).storeBytes(of: low, as: SIMD8<Double>.self)
        if width == Self.panelWidth {
            UnsafeMutableRawPointer(target + Self.panelGroupWidth).storeBytes(of: high, as: SIMD8<Double>.self)
        } else {
            for c in Self.panelGroupWidth..<width { target[c] = high[c - Self.panelGroupWidth] }
        }
    }

    /// `target += Σ_e values[e] · source.row(columns[e])` over `entries`, each term added in stored order.
    ///
    /// Release builds use a plain loop that takes up to four entries per pass over the target row; the
    /// expression keeps the left-to-right order of one-at-a-time axpys, so results are bit-identical to the
    /// BLAS path, which debug builds keep because unoptimised loops are slow there.
    @inline(__always)
    static func accumulateRow(
        into target: UnsafeMutablePointer<Double>, width k: Int, entries: Range<Int>,
        columns columnBase: UnsafePointer<Int32>, values valueBase: UnsafePointer<Double>,
        source bBase: UnsafePointer<Double>
    ) {
        var e = entries.lowerBound
        let end = entries.upperBound
        #if DEBUG
        while e < end {
            let value = valueBase[e]
            let source = bBase + Int(columnBase[e]) * k
            if k > Self.plainLoopMaximumWidth {
                BLAS.axpy(count: k, value, source, target)
            } else {
                var c = 0
                while c < k {
                    target[c] += value * source[c]
                    c += 1
                }
            }
            e += 1
        }
        #else
        while e + 4 <= end {
            let v0 = valueBase[e], v1 = valueBase[e + 1], v2 = valueBase[e + 2], v3 = valueBase[e + 3]
            let s0 = bBase + Int(columnBase[e]) * k, s1 = bBase + Int(columnBase[e + 1]) * k
            let s2 = bBase + Int(columnBase[e + 2]) * k, s3 = bBase + Int(columnBase[e + 3]) * k
            for c in 0..<k {
                target[c] = (((target[c] + v0 * s0[c]) + v1 * s1[c]) + v2 * s2[c]) + v3 * s3[c]
            }
            e += 4
        }
        while e < end {
            let value = valueBase[e]
            let source = bBase + Int(columnBase[e]) * k
            for c in 0..<k { target[c] += value * source[c] }
            e += 1
        }
        #endif
    }

    /// `self · wᵀ`: (n×d CSR) · (k×d dense)ᵀ → n×k, e.g. scores from a k×d weight matrix.
    ///
    /// Reads `w` with stride d; when the same weights score many rows, `multiplied(by: w.transposed())`
    /// reads contiguous memory and is faster.
    public func multiplied(byTransposeOf w: DenseMatrix) -> DenseMatrix {
        precondition(w.columnCount == columnCount, "multiplied(byTransposeOf:): X has \(columnCount) columns but W has \(w.columnCount)")
        let k = w.rowCount, d = columnCount
        var result = DenseMatrix(rowCount: rowCount, columnCount: k)
        guard rowCount > 0, k > 0 else { return result }
        rowOffsets.withUnsafeBufferPointer { offsets in
            columns.withUnsafeBufferPointer { cols in
                values.withUnsafeBufferPointer { vals in
                    w.values.withUnsafeBufferPointer { wValues in
                        result.values.withUnsafeMutableBufferPointer { out in
                            let wBase = wValues.baseAddress!, outBase = out.baseAddress!
                            Self.forEachRowBlock(rowCount) { rows in
                                for i in rows {
                                    let target = outBase + i * k
                                    for e in offsets[i] ..< offsets[i + 1] {
                                        BLAS.axpy(count: k, vals[e], wBase + Int(cols[e]), stride: d, target)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// `selfᵀ · g`: (n×d CSR)ᵀ · (n×k dense) → d×k, e.g. a gradient.
    ///
    /// Transposes `self` first; a caller that repeats the product should keep `transposed()` and call
    /// `multiplied(by:)` on it, which is the same computation.
    public func transposeMultiplied(by g: DenseMatrix) -> DenseMatrix {
        precondition(g.rowCount == rowCount, "transposeMultiplied(by:): X has \(rowCount) rows but G has \(g.rowCount)")
        return transposed().multiplied(by: g)
    }

    /// The transpose in CSR form (equivalently, `self` in CSC form), columns sorted within each row.
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: columnCount + 1)
        for c in columns { counts[Int(c) + 1] += 1 }
        for j in 0..<columnCount { counts[j + 1] += counts[j] }
        let offsets = counts
        var next = counts
        var newColumns = [Int32](repeating: 0, count: nonZeroCount)
        var newValues = [Double](repeating: 0, count: nonZeroCount)
        // Visiting rows in order leaves each transposed row's columns increasing.
        for i in 0..<rowCount {
            for e in entryRange(ofRow: i) {
                let j = Int(columns[e])
                newColumns[next[j]] = Int32(i)
                newValues[next[j]] = values[e]
                next[j] += 1
            }
        }
        return SparseMatrix(rowCount: columnCount, columnCount: rowCount, rowOffsets: offsets,
                            columns: newColumns, values: newValues)
    }

    /// Runs `body` over a fixed partition of `0..<rowCount` into blocks, in parallel.
    static func forEachRowBlock(_ rowCount: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (rowCount + rowsPerTask - 1) / rowsPerTask
        if blocks <= 1 {
            body(0..<rowCount)
            return
        }
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            body(b * rowsPerTask ..< min(rowCount, (b + 1) * rowsPerTask))
        }
    }
}
