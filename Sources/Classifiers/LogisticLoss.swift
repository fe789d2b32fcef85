import Foundation
import LinearAlgebra

/// scikit-learn's L2-penalised logistic objective (`LinearModelLoss` with `HalfMultinomialLoss`, or
/// `HalfBinomialLoss` for two classes) and its gradient, as `LogisticRegression(solver="lbfgs")` minimises it:
///
///     f(W, b) = (1/S) Σ_i s_i · ℓ(x_i·W + b, y_i) + (1 / (2·C·S)) ‖W‖²,   S = Σ_i s_i
///
/// where ℓ is the softmax cross-entropy (`logsumexp(z) − z_y`) or, for two classes, the binomial
/// `log(1 + e^z) − y·z` on one score column; the intercept b is not penalised. The parameter vector holds
/// W as d × m (m score columns, each feature's columns contiguous, like sklearn's Fortran-order ravel),
/// then the m intercepts when fitted.
struct LogisticLoss {
    let x: SparseMatrix
    /// `xᵀ` in CSR, so the gradient `Xᵀ·G` is a row-parallel product with no reduction.
    let xTransposed: SparseMatrix
    let labels: [Int]
    /// `s_i / S`.
    let rowWeights: [Double]
    /// Score columns: the class count, or 1 for the binomial two-class loss.
    let columns: Int
    let binomial: Bool
    let fitIntercept: Bool
    /// `1 / (C·S)`.
    let l2Strength: Double

    init(x: SparseMatrix, labels: [Int], sampleWeights: [Double], classCount: Int, C: Double, fitIntercept: Bool) {
        self.x = x
        self.xTransposed = x.transposed()
        self.labels = labels
        let total = sampleWeights.reduce(0, +)
        self.rowWeights = sampleWeights.map { $0 / total }
        self.binomial = classCount == 2
        self.columns = binomial ? 1 : classCount
        self.fitIntercept = fitIntercept
        self.l2Strength = 1 / (C * total)
    }

    var weightCount: Int { x.columnCount * columns }
    var parameterCount: Int { weightCount + (fitIntercept ? columns : 0) }

    /// A diagonal estimate of the inverse Hessian for L-BFGS's initial matrix, laid out like θ.
    ///
    /// At θ = 0 every class has probability 1/m' (m' the class count), so the loss's Hessian has the diagonal
    /// `p(1 − p)·Σᵢ rᵢ·xᵢⱼ² + 1/(C·S)` for weight (j, c) and `p(1 − p)` for an intercept, with
    /// `p(1 − p) = (m' − 1)/m'²`. Its inverse puts each feature's steps on the scale of its own curvature:
    /// TF-IDF columns differ in `Σ xᵢⱼ²` by orders of magnitude (a common word against a rare one), which is
    /// what makes the unscaled problem take hundreds of iterations. Scaled to a geometric mean of 1 over the
    /// weights, so only the shape matters (L-BFGS rescales by `γ` from its second step on).
    func inverseCurvatureDiagonal() -> [Double] {
        let classCount = Double(binomial ? 2 : columns)
        let spread = (classCount - 1) / (classCount * classCount)
        let d = x.columnCount, m = columns
        var squares = [Double](repeating: 0, count: d)
        xTransposed.rowOffsets.withUnsafeBufferPointer { offsets in
            xTransposed.columns.withUnsafeBufferPointer { rows in
                xTransposed.values.withUnsafeBufferPointer { values in
                    rowWeights.withUnsafeBufferPointer { weights in
                        for j in 0..<d {
                            var sum = 0.0
                            for e in offsets[j]..<offsets[j + 1] { sum += weights[Int(rows[e])] * values[e] * values[e] }
                            squares[j] = sum
                        }
                    }
                }
            }
        }
        let featureScale = squares.map { 1 / (spread * $0 + l2Strength) }
        let meanLog = featureScale.reduce(0) { $0 + log($1) } / Double(max(d, 1))
        let normaliser = exp(-meanLog)
        var diagonal = [Double](repeating: 0, count: parameterCount)
        for j in 0..<d { for c in 0..<m { diagonal[j * m + c] = featureScale[j] * normaliser } }
        if fitIntercept { for c in 0..<m { diagonal[weightCount + c] = normaliser / spread } }
        return diagonal
    }

    /// Buffers reused across evaluations: n × m scores and n row losses (the optimiser calls `evaluate`
    /// from one thread at a time, so one set is enough).
    final class Scratch {
        var scores: [Double] = []
        var rowLosses: [Double] = []
        /// Each row block's sums of its rows' gradient factors: the intercepts' gradient, by block.
        var interceptPartials: [Double] = []
        /// The products' packed panels: X·W's (d × 16) and Xᵀ·G's (n × 16), one after the other.
        let panels = PanelWorkspace()
    }
    let scratch = Scratch()
    /// Rows per parallel task of the per-row loss (a fixed partition: the thread count never matters).
    static let rowsPerTask = 512

    /// `f(θ)`, writing `∇f(θ)` into `gradient`.
    ///
    /// Rows are independent until their losses are summed, so the per-row work runs on fixed row blocks in
    /// parallel and the sum runs afterwards in row order: the same bits as a sequential loop. The intercepts'
    /// gradient is summed per block in the same pass and the blocks' sums added in block order afterwards:
    /// a fixed partition, so the bits never depend on the thread count either.
    func evaluate(_ theta: [Double], _ gradient: inout [Double]) -> Double {
        let n = x.rowCount, m = columns, wCount = weightCount
        if scratch.scores.count != n * m { scratch.scores = [Double](repeating: 0, count: n * m) }
        if scratch.rowLosses.count != n { scratch.rowLosses = [Double](repeating: 0, count: n) }
        let blocks = (n + Self.rowsPerTask - 1) / Self.rowsPerTask
        if fitIntercept, scratch.interceptPartials.count != blocks * m {
            scratch.interceptPartials = [Double](repeating: 0, count: blocks * m)
        }
        var loss = 0.0
        let fitIntercept = self.fitIntercept, binomial = self.binomial
        theta.withUnsafeBufferPointer { t in
            scratch.scores.withUnsafeMutableBufferPointer { z in
                scratch.rowLosses.withUnsafeMutableBufferPointer { losses in
                    rowWeights.withUnsafeBufferPointer { weights in
                        labels.withUnsafeBufferPointer { labels in
                            x.multiply(by: UnsafeBufferPointer(rebasing: t[0..<wCount]), columnCount: m, into: z,
                                       workspace: scratch.panels)
                            let zBase = z.baseAddress!, lossBase = losses.baseAddress!
                            scratch.interceptPartials.withUnsafeMutableBufferPointer { partials in
                                let partialBase = partials.baseAddress
                                DispatchQueue.concurrentPerform(iterations: blocks) { b in
                                    let blockSum = partialBase.map { UnsafeMutableBufferPointer(start: $0 + b * m, count: m) }
                                    blockSum?.update(repeating: 0)
                                    for i in b * Self.rowsPerTask ..< min(n, (b + 1) * Self.rowsPerTask) {
                                        let row = UnsafeMutableBufferPointer(start: zBase + i * m, count: m)
                                        if fitIntercept { for c in 0..<m { row[c] += t[wCount + c] } }
                                        // The row's loss, then its pointwise gradient in place of its scores.
                                        let rowLoss = binomial
                                            ? Self.binomialRow(row, label: labels[i]) : Self.softmaxRow(row, label: labels[i])
                                        lossBase[i] = weights[i] * rowLoss
                                        for c in 0..<m { row[c] *= weights[i] }
                                        if let blockSum { for c in 0..<m { blockSum[c] += row[c] } }
                                    }
                                }
                            }
                            for i in 0..<n { loss += lossBase[i] }
                        }
                    }
                }
            }
            loss += 0.5 * l2Strength * BLAS.dot(UnsafeBufferPointer(rebasing: t[0..<wCount]), UnsafeBufferPointer(rebasing: t[0..<wCount]))
        }
        gradient.withUnsafeMutableBufferPointer { g in
            scratch.scores.withUnsafeBufferPointer { z in
                xTransposed.multiply(by: z, columnCount: m, into: UnsafeMutableBufferPointer(rebasing: g[0..<wCount]),
                                     workspace: scratch.panels)
                if fitIntercept {
                    for c in 0..<m { g[wCount + c] = 0 }
                    for b in 0..<blocks { for c in 0..<m { g[wCount + c] += scratch.interceptPartials[b * m + c] } }
                }
            }
            theta.withUnsafeBufferPointer { t in
                // The chunked, parallel axpy: the same elementwise bits as one call over the whole vector.
                BLAS.axpy(l2Strength, UnsafeBufferPointer(rebasing: t[0..<wCount]),
                          UnsafeMutableBufferPointer(rebasing: g[0..<wCount]))
            }
        }
        return loss
    }

    /// Cross-entropy of one row's scores; leaves `softmax(z) − onehot(label)` in `z`.
    ///
    /// One `exp` per score, as scikit-learn's multinomial loss computes it: `e = exp(z − max z)` is both
    /// the log-sum-exp's term and, over its sum, the probability (taking `exp(z − lse)` as well, as this did
    /// before, doubled the exponentials).
    static func softmaxRow(_ z: UnsafeMutableBufferPointer<Double>, label: Int) -> Double {
        var top = z[0]
        for value in z where value > top { top = value }
        guard top.isFinite else {
            // An infinite or NaN score: keep log-sum-exp's own handling of it.
            let lse = LogSumExp.of(UnsafeBufferPointer(z))
            let loss = lse - z[label]
            for c in 0..<z.count { z[c] = exp(z[c] - lse) }
            z[label] -= 1
            return loss
        }
        let labelScore = z[label]
        var sum = 0.0
        for c in 0..<z.count {
            z[c] = exp(z[c] - top)
            sum += z[c]
        }
        let loss = log(sum) + top - labelScore
        for c in 0..<z.count { z[c] /= sum }
        z[label] -= 1
        return loss
    }

    /// Binomial loss of one score (label 1 is the positive class); leaves `σ(z) − y` in `z`.
    static func binomialRow(_ z: UnsafeMutableBufferPointer<Double>, label: Int) -> Double {
        let score = z[0], y = Double(label)
        let softplus = score > 0 ? score + log1p(exp(-score)) : log1p(exp(score))
        let sigmoid = score >= 0 ? 1 / (1 + exp(-score)) : exp(score) / (1 + exp(score))
        z[0] = sigmoid - y
        return softplus - y * score
    }
}
