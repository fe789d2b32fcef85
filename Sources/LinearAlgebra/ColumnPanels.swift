import Dispatch

/// A d × k matrix packed once into the column panels that `SparseMatrix.multiplyByColumnPanels` copies
/// B into on every call, for many products with the same B: a model's weights scoring batch after batch.
///
/// `x.multiplied(by: ColumnPanels(transposeOf: w))` gives the very bits of `x.multiplied(by: w.transposed())`
/// (the same panel loop, the same sums in the same order) without packing 36 MB of weights per batch.
/// Panels are `SparseMatrix.panelWidth` columns wide, the last one narrower and zero-padded to its groups.
public final class ColumnPanels: @unchecked Sendable {  // immutable after init
    /// d, the rows of B (the sparse matrix's columns).
    public let rowCount: Int
    /// k, the columns of B (the product's columns).
    public let columnCount: Int
    /// Each panel's first column, width, 64-byte groups per row, and byte offset in `storage`.
    let panels: [(first: Int, width: Int, groups: Int, offset: Int)]
    private let storage: UnsafeMutableRawPointer

    /// Where the panels of a d × k matrix go: each panel's place in the storage, and the storage's size.
    static func layout(rowCount d: Int, columnCount k: Int)
        -> (panels: [(first: Int, width: Int, groups: Int, offset: Int)], byteCount: Int) {
        var panels: [(first: Int, width: Int, groups: Int, offset: Int)] = []
        var first = 0, bytes = 0
        while first < k {
            let width = min(SparseMatrix.panelWidth, k - first), groups = width > SparseMatrix.panelGroupWidth ? 2 : 1
            panels.append((first, width, groups, bytes))
            bytes += d * groups * 64
            first += width
        }
        return (panels, bytes)
    }

    /// The panels of `wᵀ`, for a k × d `w` (one row per class): B = wᵀ is d × k.
    public init(transposeOf w: DenseMatrix) {
        let d = w.columnCount, k = w.rowCount, group = SparseMatrix.panelGroupWidth
        rowCount = d
        columnCount = k
        let (panels, bytes) = Self.layout(rowCount: d, columnCount: k)
        self.panels = panels
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
        let target = storage.bindMemory(to: Double.self, capacity: max(bytes, 64) / MemoryLayout<Double>.stride)
        // Feature blocks small enough that a block of a panel stays in cache while its columns are written,
        // each block a task of its own on all cores: a model is loaded before classify's first batch.
        let block = 4096, blocksPerPanel = (d + block - 1) / block
        w.values.withUnsafeBufferPointer { source in
            DispatchQueue.concurrentPerform(iterations: panels.count * blocksPerPanel) { task in
                let panel = panels[task / blocksPerPanel], start = task % blocksPerPanel * block, end = min(start + block, d)
                let rowStride = panel.groups * group, base = target + panel.offset / MemoryLayout<Double>.stride
                // A narrower last panel's spare lanes are read (and never stored) by the panel loop: zeros,
                // not whatever the allocation held. A full-width panel has every lane written below.
                if panel.width < rowStride {
                    for j in start..<end { (base + j * rowStride + panel.width).initialize(repeating: 0, count: rowStride - panel.width) }
                }
                for c in 0..<panel.width {
                    let column = source.baseAddress! + (panel.first + c) * d
                    for j in start..<end { base[j * rowStride + c] = column[j] }
                }
            }
        }
    }

    deinit { storage.deallocate() }

    func panel(_ index: Int) -> UnsafeRawPointer { UnsafeRawPointer(storage + panels[index].offset) }
}

extension SparseMatrix {
    /// `self · B` for B packed as `panels`: the bits of `multiplied(by:)` on the unpacked B.
    public func multiplied(by panels: ColumnPanels) -> DenseMatrix {
        multiplied(by: panels, avx2: ProcessorFeatures.useAVX2)
    }

    /// The same with the AVX2 kernel on or off (tests compare both).
    func multiplied(by panels: ColumnPanels, avx2: Bool) -> DenseMatrix {
        precondition(panels.rowCount == columnCount,
                     "multiplied(by:): X is \(rowCount)×\(columnCount) but B has \(panels.rowCount) rows")
        let k = panels.columnCount
        var result = DenseMatrix(rowCount: rowCount, columnCount: k)
        guard rowCount > 0, k > 0 else { return result }
        result.values.withUnsafeMutableBufferPointer { out in
            for (index, panel) in panels.panels.enumerated() {
                accumulatePanel(panels.panel(index), groups: panel.groups, width: panel.width,
                                into: out.baseAddress! + panel.first, outStride: k, avx2: avx2)
            }
        }
        return result
    }
}
