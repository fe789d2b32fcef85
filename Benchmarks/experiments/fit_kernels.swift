// What lower precision would buy the logistic-regression fit's hot loops (issue 16; Benchmarks/README,
// "Seventh pass"). A stand-alone program, not part of the package: it measures kernels the product does not
// ship, on synthetic data shaped like the 100k-document arxiv-categories split.
//
//     swiftc -O -Xcc -mavx2 Benchmarks/experiments/fit_kernels.swift Benchmarks/experiments/Measurement.swift \
//         -o /tmp/fit_kernels && /tmp/fit_kernels 5
//
// The argument is the number of rounds (default 5); each round times every variant once, in turn, so a
// change in the machine's speed hits them alike. It prints each variant's median and its ratio to the
// shipped arithmetic, and how far its result lies from the shipped one.
import Dispatch
import Foundation

// MARK: - Data shaped like the benchmark's fit: 100,000 × 64,010, 123 entries per row, 70 classes

struct Sparse {
    var rowCount: Int
    var columnCount: Int
    var offsets: [Int]
    var columns: [Int32]
    var values: [Double]

    /// Rows of `perRow` distinct columns drawn from a Zipf-like law (exponent 0.9), as word counts are.
    static func zipf(rows: Int, columns: Int, perRow: Int, random: inout SplitMix) -> Sparse {
        var cumulative = [Double](repeating: 0, count: columns)
        var total = 0.0
        for j in 0..<columns {
            total += 1 / pow(Double(j + 1), 0.9)
            cumulative[j] = total
        }
        var offsets = [0], cols: [Int32] = [], vals: [Double] = []
        cols.reserveCapacity(rows * perRow)
        vals.reserveCapacity(rows * perRow)
        for _ in 0..<rows {
            var row = Set<Int>()
            while row.count < perRow {
                let u = random.unit() * total
                var low = 0, high = columns - 1
                while low < high {
                    let middle = (low + high) / 2
                    if cumulative[middle] < u { low = middle + 1 } else { high = middle }
                }
                row.insert(low)
            }
            for column in row.sorted() {
                cols.append(Int32(column))
                vals.append(random.unit())
            }
            offsets.append(cols.count)
        }
        return Sparse(rowCount: rows, columnCount: columns, offsets: offsets, columns: cols, values: vals)
    }

    /// The transpose (CSC of self): Xᵀ for the gradient product, each row's entries in document order.
    func transposed() -> Sparse {
        var counts = [Int](repeating: 0, count: columnCount + 1)
        for c in columns { counts[Int(c) + 1] += 1 }
        for j in 0..<columnCount { counts[j + 1] += counts[j] }
        var next = counts
        var newColumns = [Int32](repeating: 0, count: columns.count), newValues = [Double](repeating: 0, count: values.count)
        for i in 0..<rowCount {
            for e in offsets[i]..<offsets[i + 1] {
                let j = Int(columns[e])
                newColumns[next[j]] = Int32(i)
                newValues[next[j]] = values[e]
                next[j] += 1
            }
        }
        return Sparse(rowCount: columnCount, columnCount: rowCount, offsets: counts, columns: newColumns, values: newValues)
    }
}

// MARK: - The product's variants: out (n × k) = X (n × d, CSR) · B (d × k, row-major), one panel at a time

enum Variant: String, CaseIterable {
    /// The shipped arithmetic: panels of 16 Double columns, sums in Double (two SIMD8 chains).
    case double16 = "Double panels, 16 columns (shipped)"
    /// The shipped arithmetic on two rows at once, so two rows' chains of additions overlap (the same bits).
    case double16Paired = "Double panels, 16 columns, two rows at a time"
    /// Panels of 32 Float columns (the same 128 bytes per row), widened and summed in Double.
    case floatPanelsDoubleSums = "Float panels, 32 columns, Double sums"
    /// Panels of 32 Float columns, summed in Float.
    case floatSums = "Float panels, 32 columns, Float sums"
    /// Panels of 32 Float columns, summed in Float over 16 entries at a time, those sums added in Double.
    case floatSumsBlocked = "Float panels, 32 columns, Float sums per 16 entries"

    var panelWidth: Int { self == .double16 || self == .double16Paired ? 16 : 32 }
}

let rowsPerTask = 256

/// Returns the seconds spent in the row loops alone: the packing here is a plain sequential copy, where the
/// product packs on all cores (under 4% of a fit), so it is left out of the comparison.
func multiply(_ x: Sparse, _ b: [Double], columns k: Int, variant: Variant, panel: UnsafeMutableRawPointer,
              into out: inout [Double]) -> Double {
    let d = x.columnCount, width = variant.panelWidth
    var first = 0, rowLoops = 0.0
    while first < k {
        let w = min(width, k - first)
        // Pack: one 128-byte row per feature, spare lanes zero.
        if variant == .double16 || variant == .double16Paired {
            let p = panel.assumingMemoryBound(to: Double.self)
            for j in 0..<d { for c in 0..<16 { p[j * 16 + c] = c < w ? b[j * k + first + c] : 0 } }
        } else {
            let p = panel.assumingMemoryBound(to: Float.self)
            for j in 0..<d { for c in 0..<32 { p[j * 32 + c] = c < w ? Float(b[j * k + first + c]) : 0 } }
        }
        let source = UnsafeRawPointer(panel)
        rowLoops += seconds {
            x.offsets.withUnsafeBufferPointer { offsets in
                x.columns.withUnsafeBufferPointer { columns in
                    x.values.withUnsafeBufferPointer { values in
                        out.withUnsafeMutableBufferPointer { result in
                            let o = offsets.baseAddress!, c = columns.baseAddress!, v = values.baseAddress!
                            let r = result.baseAddress!
                            let blocks = (x.rowCount + rowsPerTask - 1) / rowsPerTask
                            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                                let end = min(x.rowCount, (block + 1) * rowsPerTask)
                                var i = block * rowsPerTask
                                if variant == .double16Paired {
                                    while i + 1 < end {
                                        accumulatePair(entriesA: o[i]..<o[i + 1], entriesB: o[i + 1]..<o[i + 2], columns: c, values: v, panel: source,
                                                       into: r + i * k + first, stride: k, width: w)
                                        i += 2
                                    }
                                }
                                for i in i ..< end {
                                    accumulateRow(variant, entries: o[i]..<o[i + 1], columns: c, values: v, panel: source,
                                                  into: r + i * k + first, width: w)
                                }
                            }
                        }
                    }
                }
            }
        }
        first += w
    }
    return rowLoops
}

@inline(__always)
func accumulatePair(entriesA: Range<Int>, entriesB: Range<Int>, columns: UnsafePointer<Int32>, values: UnsafePointer<Double>,
                    panel: UnsafeRawPointer, into target: UnsafeMutablePointer<Double>, stride: Int, width: Int) {
    var lowA = SIMD8<Double>(repeating: 0), highA = lowA, lowB = lowA, highB = lowA
    var a = entriesA.lowerBound, b = entriesB.lowerBound
    let endA = entriesA.upperBound, endB = entriesB.upperBound
    while a < endA, b < endB {
        let offsetA = Int(columns[a]) &* 128, valueA = values[a]
        let offsetB = Int(columns[b]) &* 128, valueB = values[b]
        lowA = lowA + valueA * panel.load(fromByteOffset: offsetA, as: SIMD8<Double>.self)
        highA = highA + valueA * panel.load(fromByteOffset: offsetA &+ 64, as: SIMD8<Double>.self)
        lowB = lowB + valueB * panel.load(fromByteOffset: offsetB, as: SIMD8<Double>.self)
        highB = highB + valueB * panel.load(fromByteOffset: offsetB &+ 64, as: SIMD8<Double>.self)
        a += 1
        b += 1
    }
    addEntries(a..<endA, columns: columns, values: values, panel: panel, low: &lowA, high: &highA)
    addEntries(b..<endB, columns: columns, values: values, panel: panel, low: &lowB, high: &highB)
    for c in 0..<width { target[c] = c < 8 ? lowA[c] : highA[c - 8] }
    for c in 0..<width { target[stride + c] = c < 8 ? lowB[c] : highB[c - 8] }
}

/// The shipped loop's body: the entries' terms added, in stored order, onto one row's two sums.
@inline(__always)
func addEntries(_ entries: Range<Int>, columns: UnsafePointer<Int32>, values: UnsafePointer<Double>, panel: UnsafeRawPointer,
                low: inout SIMD8<Double>, high: inout SIMD8<Double>) {
    var e = entries.lowerBound
    while e < entries.upperBound {
        let offset = Int(columns[e]) &* 128, value = values[e]
        low = low + value * panel.load(fromByteOffset: offset, as: SIMD8<Double>.self)
        high = high + value * panel.load(fromByteOffset: offset &+ 64, as: SIMD8<Double>.self)
        e += 1
    }
}

@inline(__always)
func accumulateRow(_ variant: Variant, entries: Range<Int>, columns: UnsafePointer<Int32>, values: UnsafePointer<Double>,
                   panel: UnsafeRawPointer, into target: UnsafeMutablePointer<Double>, width: Int) {
    var e = entries.lowerBound
    let end = entries.upperBound
    switch variant {
    case .double16, .double16Paired:
        var low = SIMD8<Double>(repeating: 0), high = low
        addEntries(entries, columns: columns, values: values, panel: panel, low: &low, high: &high)
        for c in 0..<width { target[c] = c < 8 ? low[c] : high[c - 8] }
    case .floatPanelsDoubleSums:
        var s0 = SIMD8<Double>(repeating: 0), s1 = s0, s2 = s0, s3 = s0
        while e < end {
            let offset = Int(columns[e]) &* 128, value = values[e]
            s0 = s0 + value * SIMD8<Double>(panel.load(fromByteOffset: offset, as: SIMD8<Float>.self))
            s1 = s1 + value * SIMD8<Double>(panel.load(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self))
            s2 = s2 + value * SIMD8<Double>(panel.load(fromByteOffset: offset &+ 64, as: SIMD8<Float>.self))
            s3 = s3 + value * SIMD8<Double>(panel.load(fromByteOffset: offset &+ 96, as: SIMD8<Float>.self))
            e += 1
        }
        for c in 0..<width { target[c] = c < 8 ? s0[c] : c < 16 ? s1[c - 8] : c < 24 ? s2[c - 16] : s3[c - 24] }
    case .floatSums, .floatSumsBlocked:
        let block = variant == .floatSums ? Int.max : 16
        var low = SIMD16<Double>(repeating: 0), high = low
        while e < end {
            let stop = end - e > block ? e + block : end
            var a = SIMD16<Float>(repeating: 0), b = a
            while e < stop {
                let offset = Int(columns[e]) &* 128, value = Float(values[e])
                a = a + value * panel.load(fromByteOffset: offset, as: SIMD16<Float>.self)
                b = b + value * panel.load(fromByteOffset: offset &+ 64, as: SIMD16<Float>.self)
                e += 1
            }
            low = low + SIMD16<Double>(a)
            high = high + SIMD16<Double>(b)
        }
        for c in 0..<width { target[c] = c < 16 ? low[c] : high[c - 16] }
    }
}

// MARK: - The optimiser's fused pass: q ← q + α·x, then next·q (one of the 21 passes of a two-loop recursion)

func fusedPasses(q: inout [Double], x: [Double], next: [Double], lanes: Bool) -> Double {
    let chunk = 1 << 16, n = q.count, chunks = (n + chunk - 1) / chunk
    var partial = [Double](repeating: 0, count: chunks)
    q.withUnsafeMutableBufferPointer { qBuffer in
        x.withUnsafeBufferPointer { xBuffer in
            next.withUnsafeBufferPointer { nextBuffer in
                partial.withUnsafeMutableBufferPointer { sums in
                    let qb = qBuffer.baseAddress!, xb = xBuffer.baseAddress!, nb = nextBuffer.baseAddress!
                    let s = sums.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        var j = c * chunk
                        let end = min(n, j + chunk)
                        var sum = 0.0
                        if lanes {
                            // Eight independent sums: a different summation order, so other bits.
                            var acc = SIMD8<Double>(repeating: 0)
                            while j + 8 <= end {
                                let v = UnsafeRawPointer(qb + j).loadUnaligned(as: SIMD8<Double>.self)
                                    + 1e-9 * UnsafeRawPointer(xb + j).loadUnaligned(as: SIMD8<Double>.self)
                                UnsafeMutableRawPointer(qb + j).storeBytes(of: v, as: SIMD8<Double>.self)
                                acc = acc + UnsafeRawPointer(nb + j).loadUnaligned(as: SIMD8<Double>.self) * v
                                j += 8
                            }
                            sum = acc.sum()
                        }
                        while j < end {
                            let v = qb[j] + 1e-9 * xb[j]
                            qb[j] = v
                            sum = sum + nb[j] * v
                            j += 1
                        }
                        s[c] = sum
                    }
                }
            }
        }
    }
    return partial.reduce(0, +)
}

// MARK: - Measurement

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The largest deviation from the shipped result, relative to the largest magnitude in it.
func deviation(_ result: [Double], from reference: [Double]) -> Double {
    var worst = 0.0, scale = 0.0
    for i in reference.indices {
        worst = max(worst, abs(result[i] - reference[i]))
        scale = max(scale, abs(reference[i]))
    }
    return worst / scale
}

@main
enum FitKernels {
    static func main() {
        let rounds = max(1, CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 5 : 5)
        var random = SplitMix(state: 16)
        let classes = 70
        let x = Sparse.zipf(rows: 100_000, columns: 64_010, perRow: 123, random: &random)
        let xT = x.transposed()
        // Weights like a fit's (centred), and a gradient factor like softmax − one-hot (in [−1, 1]).
        let weights = (0..<(x.columnCount * classes)).map { _ in random.unit() - 0.5 }
        let factors = (0..<(x.rowCount * classes)).map { _ in 2 * random.unit() - 1 }
        print("X: \(x.rowCount) × \(x.columnCount), \(x.values.count) entries; Xᵀ's longest row \((0..<xT.rowCount).map { xT.offsets[$0 + 1] - xT.offsets[$0] }.max()!) entries; \(rounds) rounds")

        let panel = UnsafeMutableRawPointer.allocate(byteCount: max(x.columnCount, x.rowCount) * 128, alignment: 64)
        for (name, matrix, b) in [("X·W (scores)", x, weights), ("Xᵀ·G (gradient)", xT, factors)] {
            var times: [Variant: [Double]] = [:], results: [Variant: [Double]] = [:]
            var out = [Double](repeating: 0, count: matrix.rowCount * classes)
            for _ in 0..<rounds {
                for variant in Variant.allCases {
                    times[variant, default: []].append(multiply(matrix, b, columns: classes, variant: variant, panel: panel, into: &out))
                    results[variant] = out
                }
            }
            print("\n\(name), seconds in the row loops per product (median of \(rounds)), ratio to the shipped loop, deviation from it:")
            let shipped = median(times[.double16]!)
            for variant in Variant.allCases {
                let time = median(times[variant]!)
                let name = variant.rawValue.padding(toLength: 52, withPad: " ", startingAt: 0)
                print(String(format: "  %@ %.3f s  %.2f×  %.1e", name, time, shipped / time,
                             deviation(results[variant]!, from: results[.double16]!)))
            }
        }

        let parameters = x.columnCount * classes
        var q = (0..<parameters).map { _ in random.unit() }
        let step = (0..<parameters).map { _ in random.unit() }, change = (0..<parameters).map { _ in random.unit() }
        var sequential: [Double] = [], lanes: [Double] = []
        for _ in 0..<rounds {
            sequential.append(seconds { for _ in 0..<21 { _ = fusedPasses(q: &q, x: step, next: change, lanes: false) } })
            lanes.append(seconds { for _ in 0..<21 { _ = fusedPasses(q: &q, x: step, next: change, lanes: true) } })
        }
        print(String(format: "\nL-BFGS two-loop recursion (21 fused passes over %d parameters): one sum %.4f s, eight sums %.4f s (%.2f×)",
                     parameters, median(sequential), median(lanes), median(sequential) / median(lanes)))
    }
}
