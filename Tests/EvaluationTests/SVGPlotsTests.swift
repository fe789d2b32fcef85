import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Evaluation

@Suite("SVG plots")
struct SVGPlotsTests {
    /// Labels that need escaping, and one with a control character XML cannot hold.
    static let labels = ["a<b", "c&d", "\"quoted\" 'x'", "tab\u{1}bell"]

    static func metrics() throws -> ClassificationMetrics {
        let truth = ["a<b", "a<b", "c&d", "\"quoted\" 'x'", "tab\u{1}bell", "c&d"]
        let predicted = ["a<b", "c&d", "c&d", "\"quoted\" 'x'", "a<b", "c&d"]
        return try ClassificationMetrics(truth: truth, predicted: predicted, labelOrder: labels)
    }

    @Test("confusion matrix: well-formed XML, one cell per pair of classes, labels escaped")
    func confusionMatrix() throws {
        let svg = try SVGInspection(Data(SVGPlots.confusionMatrix(try Self.metrics()).utf8))
        #expect(svg.root == "svg")
        #expect(svg.classes["rect.cell"] == 16)
        #expect(svg.texts.contains("a<b") && svg.texts.contains("c&d") && svg.texts.contains("\"quoted\" 'x'") && svg.texts.contains("tabbell"))
        #expect(svg.texts.contains("true c&d, predicted c&d: 2"))
    }

    @Test("per-class bars: three per class, heights from the scores")
    func perClass() throws {
        let metrics = try Self.metrics()
        let text = SVGPlots.perClassScores(metrics)
        let svg = try SVGInspection(Data(text.utf8))
        #expect(svg.classes["rect.bar"] == 3 * metrics.labels.count)
        let f1 = metrics.metrics(for: "c&d")!.f1
        #expect(svg.texts.contains("c&d F1: \(String(format: "%.4f", f1))"))
    }

    @Test("reliability diagram: one bar per bin and the ECE in the title")
    func reliability() throws {
        let table = ReliabilityTable(probabilities: DenseMatrix(rows: [[0.95, 0.05], [0.95, 0.05], [0.45, 0.55]]), truth: [0, 1, 1], binCount: 10)
        let svg = try SVGInspection(Data(SVGPlots.reliabilityDiagram(table).utf8))
        #expect(svg.classes["rect.bar"] == 10)
        #expect(svg.texts.contains { $0.contains(String(format: "ECE %.4f", table.expectedCalibrationError)) })
    }

    @Test("learning curve: one point per measurement")
    func learningCurve() throws {
        let svg = try SVGInspection(Data(SVGPlots.learningCurve(points: [(10, 0.5), (20, 0.6), (40, 0.7)]).utf8))
        #expect(svg.classes["circle.point"] == 3)
        #expect(svg.texts.contains("40 papers: macro-F1 0.7000"))
    }
}
