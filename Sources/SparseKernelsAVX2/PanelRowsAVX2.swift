/// The inner loop of `SparseMatrix.multiplyByColumnPanels` (LinearAlgebra), compiled with AVX2 enabled
/// (`-Xcc -mavx2` in Package.swift, on x86-64 only).
///
/// Swift has no per-function target attribute, so the AVX2 build of the loop is this module; LinearAlgebra
/// calls it only when the processor reports AVX2 (`ProcessorFeatures`), and keeps its baseline copy of the
/// same loop for every other processor. Only additions and products, never fused multiply-adds (FMA is
/// not enabled), each in the order of the baseline loop: both copies give the same bits, which
/// `SparseProductTests` checks. Keep the two loops the same.
public enum PanelRowsAVX2 {
    /// For each row `i` in `rows`: `out[i·outStride + c] = Σ_e values[e] · panel[columns[e]][c]` for
    /// `c < width`, the entries `e` of row `i` summed in stored order.
    ///
    /// A panel row is `groups` (1 or 2) 64-byte groups of eight doubles, zero-padded past `width`.
    /// Never inlined: cross-module optimisation would otherwise copy the loop into LinearAlgebra and compile
    /// it there without AVX2.
    @inline(never)
    public static func accumulate(
        rows: Range<Int>, rowOffsets: UnsafePointer<Int>, columns: UnsafePointer<Int32>, values: UnsafePointer<Double>,
        panel: UnsafeRawPointer, groups: Int, width: Int, out: UnsafeMutablePointer<Double>, outStride: Int
    ) {
        var i = rows.lowerBound
        while i < rows.upperBound {
            let target = out + i * outStride
            if groups == 2 {
                var low = SIMD8<Double>(repeating: 0), high = SIMD8<Double>(repeating: 0)
                var e = rowOffsets[i]
                while e < rowOffsets[i + 1] {
                    let offset = Int(columns[e]) &* 128, value = values[e]
                    low = low + value * panel.load(fromByteOffset: offset, as: SIMD8<Double>.self)
                    high = high + value * panel.load(fromByteOffset: offset &+ 64, as: SIMD8<Double>.self)
                    e += 1
                }
                UnsafeMutableRawPointer(target).storeBytes(of: low, as: SIMD8<Double>.self)
                if width == 16 {
                    UnsafeMutableRawPointer(target + 8).storeBytes(of: high, as: SIMD8<Double>.self)
                } else {
                    for c in 8..<width { target[c] = high[c - 8] }
                }
            } else {
                var sum = SIMD8<Double>(repeating: 0)
                var e = rowOffsets[i]
                while e < rowOffsets[i + 1] {
                    sum = sum + values[e] * panel.load(fromByteOffset: Int(columns[e]) &* 64, as: SIMD8<Double>.self)
                    e += 1
                }
                if width == 8 {
                    UnsafeMutableRawPointer(target).storeBytes(of: sum, as: SIMD8<Double>.self)
                } else {
                    for c in 0..<width { target[c] = sum[c] }
                }
            }
            i += 1
        }
    }
}
