import SeededRandom
import Evaluation
import Testing

@Suite("ClassificationMetrics")
struct ClassificationMetricsTests {
    @Test("hand-worked case: zero-division scores are 0, labels are the union in the given order")
    func handWorked() throws {
        // truth a a b c ; predicted a b a d
        let m = try ClassificationMetrics(truth: ["a", "a", "b", "c"], predicted: ["a", "b", "a", "d"],
                                          labelOrder: ["d", "c", "b", "a", "unused"])
        #expect(m.labels == ["d", "c", "b", "a"])
        #expect(m.accuracy == 0.25)
        #expect(m.confusion == [[0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 1]])
        let a = try #require(m.metrics(for: "a"))
        #expect(a.precision == 0.5 && a.recall == 0.5 && a.f1 == 0.5 && a.support == 2)
        let d = try #require(m.metrics(for: "d"))
        #expect(d.precision == 0 && d.recall == 0 && d.f1 == 0 && d.support == 0)
        #expect(m.macroF1 == 0.125)
    }

    @Test("labels outside the order follow it, sorted")
    func extraLabels() throws {
        let m = try ClassificationMetrics(truth: ["z", "b", "y"], predicted: ["z", "b", "b"], labelOrder: ["b"])
        #expect(m.labels == ["b", "y", "z"])
        #expect(m.metrics(for: "b")?.precision == 0.5)
        #expect(m.metrics(for: "b")?.f1 == 2 * 0.5 * 1 / 1.5)
    }

    @Test("matches scikit-learn on a skewed random case")
    func matchesSklearn() throws {
        var rng = SplitMix64(seed: 7)
        let classes = ["hardware", "algorithms", "applications", "general"]
        let truth = (0..<300).map { _ in classes[min(rng.next(below: 5), 3)] }
        let predicted = truth.map { rng.next(below: 3) == 0 ? classes[rng.next(below: 3)] : $0 }
        let ours = try ClassificationMetrics(truth: truth, predicted: predicted, labelOrder: classes)
        let reference = try SklearnReference.metrics(truth: truth, predicted: predicted, labels: ours.labels)
        #expect(abs(ours.accuracy - reference.accuracy) < 1e-12)
        #expect(abs(ours.macroF1 - reference.macro_f1) < 1e-12)
        #expect(ours.confusion == reference.confusion_matrix)
        for (k, m) in ours.perClass.enumerated() {
            #expect(abs(m.precision - reference.precision[k]) < 1e-12, "\(m.label)")
            #expect(abs(m.recall - reference.recall[k]) < 1e-12, "\(m.label)")
            #expect(abs(m.f1 - reference.f1[k]) < 1e-12, "\(m.label)")
            #expect(m.support == reference.support[k], "\(m.label)")
        }
    }

    @Test("bad input is rejected")
    func errors() {
        #expect(throws: EvaluationError.lengthMismatch(truth: 1, predicted: 0)) {
            try ClassificationMetrics(truth: ["a"], predicted: [])
        }
        #expect(throws: EvaluationError.empty) { try ClassificationMetrics(truth: [], predicted: []) }
        #expect(throws: EvaluationError.duplicateLabel("a")) {
            try ClassificationMetrics(truth: ["a"], predicted: ["a"], labelOrder: ["a", "a"])
        }
    }
}
