import Foundation
import LinearAlgebra

/// Scores `X·Wᵀ + b` turned into log-probabilities by a row-wise log-softmax: the predict step that
/// naive Bayes (joint log-likelihood, normalised by logsumexp) and logistic regression share.
struct LinearScores: Sendable {
    /// k × d.
    let weights: DenseMatrix
    #if DEBUG
    /// The same weights as d × k, so each stored entry of a row adds one contiguous k-vector.
    let weightsByFeature: DenseMatrix
    #else
    /// The same weights packed once into column panels: batch after batch is scored without copying
    /// them again (the bits of `x.multiplied(by: weights.transposed())`). Debug builds keep the row
    /// loop, as `SparseMatrix.multiplied(by:)` does (SIMD types are slow unoptimised).
    let panels: ColumnPanels
    #endif
    /// k.
    let offsets: [Double]

    init(weights: DenseMatrix, offsets: [Double]) {
        self.weights = weights
        #if DEBUG
        self.weightsByFeature = weights.transposed()
        #else
        self.panels = ColumnPanels(transposeOf: weights)
        #endif
        self.offsets = offsets
    }

    func logProbabilities(_ x: SparseMatrix) throws(ClassifierError) -> DenseMatrix {
        guard x.columnCount == weights.columnCount else {
            throw .featureCountMismatch(expected: weights.columnCount, actual: x.columnCount)
        }
        #if DEBUG
        var scores = x.multiplied(by: weightsByFeature)
        #else
        var scores = x.multiplied(by: panels)
        #endif
        let k = offsets.count
        var overflowedRow: Int?
        scores.values.withUnsafeMutableBufferPointer { s in
            for r in 0..<x.rowCount {
                let row = UnsafeMutableBufferPointer(rebasing: s[r * k ..< (r + 1) * k])
                for c in 0..<k { row[c] += offsets[c] }
                let normaliser = LogSumExp.of(UnsafeBufferPointer(row))
                // One check per row, not per product term: a NaN or infinite score makes the normaliser
                // NaN or infinite. Model files are refused at ParameterLimit, so only parameters
                // given to the library directly, or huge feature values, get here.
                guard normaliser.isFinite else {
                    overflowedRow = r
                    return
                }
                for c in 0..<k { row[c] -= normaliser }
            }
        }
        if let overflowedRow { throw .nonFiniteScores(row: overflowedRow) }
        return scores
    }
}

enum LogSumExp {
    /// `log Σ exp(v)`, shifted by the maximum so nothing overflows.
    static func of(_ v: UnsafeBufferPointer<Double>) -> Double {
        guard var top = v.first else { return -.infinity }
        for value in v where value > top { top = value }
        guard top.isFinite else { return top }
        var sum = 0.0
        for value in v { sum += exp(value - top) }
        return log(sum) + top
    }
}
