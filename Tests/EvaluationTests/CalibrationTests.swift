import Foundation
import LinearAlgebra
import SeededRandom
import Testing
@testable import Evaluation

@Suite("Calibration: temperature scaling and the reliability table")
struct CalibrationTests {
    /// Random logits, and labels drawn from softmax(logits / trueTemperature): the fit must find it.
    @Test("fit recovers the temperature that generated the labels", arguments: [0.5, 1.0, 2.5])
    func recoversTemperature(trueTemperature: Double) {
        var random = SplitMix64(seed: 7)
        let n = 6000, k = 4
        var scores = DenseMatrix(rowCount: n, columnCount: k)
        for i in scores.values.indices { scores.values[i] = Double(random.next() % 10_000) / 1000 - 5 }
        let probabilities = TemperatureScaling.probabilities(scores: scores, temperature: trueTemperature)
        let truth = (0..<n).map { r -> Int in
            let u = Double(random.next() >> 11) / Double(1 << 53)
            var cumulative = 0.0
            for c in 0..<k {
                cumulative += probabilities[r, c]
                if u < cumulative { return c }
            }
            return k - 1
        }
        let fitted = TemperatureScaling.fit(scores: scores, truth: truth)
        #expect(abs(fitted / trueTemperature - 1) < 0.1, "fitted \(fitted), true \(trueTemperature)")
        // The fitted T is a minimum of the log-loss: nudging it either way costs.
        let best = TemperatureScaling.logLoss(scores: scores, truth: truth, temperature: fitted)
        #expect(best <= TemperatureScaling.logLoss(scores: scores, truth: truth, temperature: fitted * 1.05))
        #expect(best <= TemperatureScaling.logLoss(scores: scores, truth: truth, temperature: fitted / 1.05))
        // Deterministic.
        #expect(TemperatureScaling.fit(scores: scores, truth: truth) == fitted)
    }

    @Test("scaled probabilities sum to 1 per row and keep each row's ranking")
    func scalingKeepsRanking() {
        let scores = DenseMatrix(rows: [[-0.1, -2.5, -4.0], [-3.0, -0.2, -1.9]])
        for temperature in [0.3, 1, 4] {
            let p = TemperatureScaling.probabilities(scores: scores, temperature: temperature)
            for r in 0..<2 {
                #expect(abs(p.row(r).reduce(0, +) - 1) < 1e-12)
                #expect(p.row(r).enumerated().sorted { $0.1 > $1.1 }.map(\.0) == scores.row(r).enumerated().sorted { $0.1 > $1.1 }.map(\.0))
            }
        }
        // T = 1 on log-probabilities gives back the probabilities themselves.
        let p = TemperatureScaling.probabilities(scores: DenseMatrix(rows: [[log(0.7), log(0.2), log(0.1)]]), temperature: 1)
        #expect(zip(p.row(0), [0.7, 0.2, 0.1]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test("reliability bins, and the ECE worked out by hand")
    func reliabilityByHand() {
        // Top probabilities 0.95 (right), 0.95 (wrong), 0.55 (right), 0.55 (right), 0.1-bin row impossible for 2 classes.
        let p = DenseMatrix(rows: [[0.95, 0.05], [0.95, 0.05], [0.45, 0.55], [0.55, 0.45]])
        let table = ReliabilityTable(probabilities: p, truth: [0, 1, 1, 0])
        #expect(table.bins.count == 10)
        #expect(table.bins[9].count == 2 && table.bins[9].accuracy == 0.5 && abs(table.bins[9].confidence - 0.95) < 1e-12)
        #expect(table.bins[5].count == 2 && table.bins[5].accuracy == 1 && abs(table.bins[5].confidence - 0.55) < 1e-12)
        #expect(table.bins.enumerated().filter { $0.offset != 5 && $0.offset != 9 }.allSatisfy { $0.element.count == 0 })
        // ECE = 2/4 · |0.5 − 0.95| + 2/4 · |1 − 0.55| = 0.45.
        #expect(abs(table.expectedCalibrationError - 0.45) < 1e-12)
        // A bin's upper edge belongs to it: 0.6 goes to (0.5, 0.6], 1.0 to the last bin.
        let edges = ReliabilityTable(probabilities: DenseMatrix(rows: [[0.6, 0.4], [1.0, 0.0]]), truth: [0, 0])
        #expect(edges.bins[5].count == 1 && edges.bins[9].count == 1)
        #expect(table.markdown().contains("| 0.9–1.0 | 2 | 0.9500 | 0.5000 | -0.4500 |"))
    }
}
