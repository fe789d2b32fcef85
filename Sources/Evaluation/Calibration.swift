import Classifiers
import Foundation
import LinearAlgebra

/// Temperature scaling (Guo et al., 2017): one number T > 0 that divides every class score before
/// the softmax. It keeps each paper's ranking of classes (so labels and accuracy are unchanged) and
/// only makes the probabilities honest: T > 1 softens an over-confident model, T < 1 sharpens a
/// timid one. Fitted on out-of-fold scores, so the model is judged on papers it did not see.
public enum TemperatureScaling {
    /// The range searched, as log T. Far wider than any real model needs; the bounds keep the
    /// search finite on degenerate input (e.g. every out-of-fold prediction right with p ≈ 1).
    public static let logTemperatureRange: ClosedRange<Double> = log(0.02)...log(50)
    /// The same range as T: what a fitted temperature can be (a model file's is checked against it).
    public static let temperatureRange = exp(logTemperatureRange.lowerBound)...exp(logTemperatureRange.upperBound)

    /// The T > 0 that minimises the mean log-loss of `softmax(scores / T)` against `truth`.
    ///
    /// Deterministic: a golden-section search over log T with a fixed number of steps (the
    /// log-loss of temperature-scaled softmax is smooth and, in practice, unimodal in log T).
    /// - Parameters:
    ///   - scores: n × k log-probabilities (or any logits: a per-row constant does not matter).
    ///   - truth: the true class column of each row.
    public static func fit(scores: DenseMatrix, truth: [Int]) -> Double {
        precondition(scores.rowCount == truth.count, "TemperatureScaling.fit: \(scores.rowCount) rows, \(truth.count) labels")
        guard scores.rowCount > 0 else { return 1 }
        let ratio = (sqrt(5.0) - 1) / 2
        var low = logTemperatureRange.lowerBound, high = logTemperatureRange.upperBound
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var lossA = logLoss(scores: scores, truth: truth, temperature: exp(a))
        var lossB = logLoss(scores: scores, truth: truth, temperature: exp(b))
        // 80 steps shrink the interval by 0.618^80 ≈ 2e-17 of its width: below double precision of log T.
        for _ in 0..<80 {
            if lossA <= lossB {
                high = b; b = a; lossB = lossA
                a = high - ratio * (high - low)
                lossA = logLoss(scores: scores, truth: truth, temperature: exp(a))
            } else {
                low = a; a = b; lossA = lossB
                b = low + ratio * (high - low)
                lossB = logLoss(scores: scores, truth: truth, temperature: exp(b))
            }
        }
        return exp((low + high) / 2)
    }

    /// Mean negative log-likelihood of the true classes under `softmax(scores / temperature)`.
    public static func logLoss(scores: DenseMatrix, truth: [Int], temperature: Double) -> Double {
        let k = scores.columnCount
        var total = 0.0
        scores.values.withUnsafeBufferPointer { values in
            for (r, t) in truth.enumerated() {
                let row = values[(r * k)..<((r + 1) * k)]
                var largest = -Double.infinity
                for v in row { largest = max(largest, v / temperature) }
                var sum = 0.0
                for v in row { sum += exp(v / temperature - largest) }
                total += largest + log(sum) - values[r * k + t] / temperature
            }
        }
        return total / Double(truth.count)
    }

    /// `softmax(scores / temperature)` row by row: the calibrated probabilities.
    public static func probabilities(scores: DenseMatrix, temperature: Double) -> DenseMatrix {
        var result = scores
        let k = scores.columnCount
        result.values.withUnsafeMutableBufferPointer { values in
            for r in 0..<scores.rowCount {
                let start = r * k
                var largest = -Double.infinity
                for c in 0..<k { values[start + c] /= temperature; largest = max(largest, values[start + c]) }
                var sum = 0.0
                for c in 0..<k { values[start + c] = exp(values[start + c] - largest); sum += values[start + c] }
                for c in 0..<k { values[start + c] /= sum }
            }
        }
        return result
    }
}

/// How well predicted confidence matches observed accuracy: papers are put into equal-width bins
/// by their top probability, and each bin's mean confidence is set beside the share it got right.
public struct ReliabilityTable: Equatable, Sendable {
    /// One confidence bin, `(lower, upper]` (the first also holds exactly 0).
    public struct Bin: Equatable, Sendable {
        public let lower: Double
        public let upper: Double
        public let count: Int
        /// Mean top probability of the bin's papers (0 when empty).
        public let confidence: Double
        /// Share of the bin's papers whose top class was the true one (0 when empty).
        public let accuracy: Double
    }

    /// The bin count used everywhere ArxivDigest reports calibration.
    public static let defaultBinCount = 10

    public let bins: [Bin]

    /// Expected calibration error: Σ over bins of (bin size / n) · |accuracy − confidence|.
    public var expectedCalibrationError: Double {
        let n = bins.reduce(0) { $0 + $1.count }
        guard n > 0 else { return 0 }
        return bins.reduce(0) { $0 + Double($1.count) / Double(n) * abs($1.accuracy - $1.confidence) }
    }

    /// Bins `probabilities` (n × k, rows summing to 1) by each row's top probability.
    /// - Parameter truth: the true class column of each row.
    public init(probabilities: DenseMatrix, truth: [Int], binCount: Int = ReliabilityTable.defaultBinCount) {
        precondition(probabilities.rowCount == truth.count && binCount >= 1, "ReliabilityTable: shape mismatch")
        var counts = [Int](repeating: 0, count: binCount)
        var confidenceSums = [Double](repeating: 0, count: binCount)
        var correct = [Int](repeating: 0, count: binCount)
        let predicted = probabilities.rowArgmax()
        for r in 0..<probabilities.rowCount {
            let confidence = probabilities[r, predicted[r]]
            // Bin i holds (i/B, (i+1)/B]: ceil(c·B) − 1, clamped so 0 and rounding stay inside.
            let bin = min(binCount - 1, max(0, Int((confidence * Double(binCount)).rounded(.up)) - 1))
            counts[bin] += 1
            confidenceSums[bin] += confidence
            if predicted[r] == truth[r] { correct[bin] += 1 }
        }
        bins = (0..<binCount).map { i in
            Bin(lower: Double(i) / Double(binCount), upper: Double(i + 1) / Double(binCount), count: counts[i],
                confidence: counts[i] > 0 ? confidenceSums[i] / Double(counts[i]) : 0,
                accuracy: counts[i] > 0 ? Double(correct[i]) / Double(counts[i]) : 0)
        }
    }

    /// A Markdown table: bin, papers, mean confidence, accuracy, gap; then the ECE.
    public func markdown() -> String {
        var out = "| confidence | papers | mean confidence | accuracy | gap |\n|---|---:|---:|---:|---:|\n"
        for bin in bins {
            out += String(format: "| %.1f–%.1f | %d | ", bin.lower, bin.upper, bin.count)
            out += bin.count > 0 ? String(format: "%.4f | %.4f | %+.4f |\n", bin.confidence, bin.accuracy, bin.accuracy - bin.confidence) : "– | – | – |\n"
        }
        out += String(format: "\nExpected calibration error (%d equal-width bins of the top probability): %.4f\n", bins.count, expectedCalibrationError)
        return out
    }
}
