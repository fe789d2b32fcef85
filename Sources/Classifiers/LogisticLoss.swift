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

    /// `f(θ)`, writing `∇f(θ)` into `gradient`.
    func evaluate(_ theta: [Double], _ gradient: inout [Double]) -> Double {
        let n = x.rowCount, m = columns, wCount = weightCount
        var scores = [Double](repeating: 0, count: n * m)
        var loss = 0.0
        theta.withUnsafeBufferPointer { t in
            scores.withUnsafeMutableBufferPointer { z in
                x.multiply(by: UnsafeBufferPointer(rebasing: t[0..<wCount]), columnCount: m, into: z)
                for i in 0..<n {
                    let row = UnsafeMutableBufferPointer(rebasing: z[i * m ..< (i + 1) * m])
                    if fitIntercept { for c in 0..<m { row[c] += t[wCount + c] } }
                    // The row's loss, then its pointwise gradient in place of its scores.
                    loss += rowWeights[i] * (binomial ? Self.binomialRow(row, label: labels[i]) : Self.softmaxRow(row, label: labels[i]))
                    for c in 0..<m { row[c] *= rowWeights[i] }
                }
            }
            loss += 0.5 * l2Strength * BLAS.dot(UnsafeBufferPointer(rebasing: t[0..<wCount]), UnsafeBufferPointer(rebasing: t[0..<wCount]))
        }
        gradient.withUnsafeMutableBufferPointer { g in
            scores.withUnsafeBufferPointer { z in
                xTransposed.multiply(by: z, columnCount: m, into: UnsafeMutableBufferPointer(rebasing: g[0..<wCount]))
                if fitIntercept {
                    for c in 0..<m { g[wCount + c] = 0 }
                    for i in 0..<n { for c in 0..<m { g[wCount + c] += z[i * m + c] } }
                }
            }
            theta.withUnsafeBufferPointer { t in
                BLAS.axpy(count: wCount, l2Strength, t.baseAddress!, g.baseAddress!)
            }
        }
        return loss
    }

    /// Cross-entropy of one row's scores; leaves `softmax(z) − onehot(label)` in `z`.
    static func softmaxRow(_ z: UnsafeMutableBufferPointer<Double>, label: Int) -> Double {
        let lse = LogSumExp.of(UnsafeBufferPointer(z))
        let loss = lse - z[label]
        for c in 0..<z.count { z[c] = exp(z[c] - lse) }
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
