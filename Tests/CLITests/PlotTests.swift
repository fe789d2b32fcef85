import Foundation
import Testing
import TestSupport

@Suite("evaluate --plots and train --learning-curve")
struct PlotTests {
    @Test("evaluate --plots writes three SVGs that parse, with one cell or bar per class")
    func evaluatePlots() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try CLI.run(["evaluate", "--model", try TrainedModels.subset().path, "--data", LoopDataPaths.samples, "--plots", scratch.path("plots")])
        try #require(result.status == 0, CLI.describe(result))
        let k = 4
        let confusion = try SVGInspection(try scratch.read("plots/confusion-matrix.svg"))
        #expect(confusion.classes["rect.cell"] == k * k)
        let perClass = try SVGInspection(try scratch.read("plots/per-class.svg"))
        #expect(perClass.classes["rect.bar"] == 3 * k)
        for label in ["hardware", "algorithms", "applications", "general"] { #expect(perClass.texts.contains(label)) }
        let reliability = try SVGInspection(try scratch.read("plots/reliability.svg"))
        #expect(reliability.classes["rect.bar"] == 10)
    }

    @Test("train --learning-curve writes the curve as JSON and SVG, growing subsets, the last on all the data")
    func learningCurve() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let data = try TrainedModels.subsetData()
        let result = try CLI.run(["train", "--data", data.path, "--learning-curve", scratch.path("curve"), "--cv", "2", "--output", scratch.path("m.model")])
        try #require(result.status == 0, CLI.describe(result))
        let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read("curve/learning-curve.json")) as? [String: Any])
        let points = try #require(json["points"] as? [[String: Any]])
        // 10% of the 17 general papers is 2: too few for a 2-fold split to train on, so it is skipped and said.
        #expect(points.map { $0["fraction"] as! Double } == [0.25, 0.5, 0.75, 1.0])
        #expect(result.stderrText.contains("learning curve: 10% skipped"))
        let papers = points.map { $0["papers"] as! Int }
        #expect(papers == papers.sorted() && papers.last == 300)
        #expect(points.allSatisfy { (0...1).contains($0["macro_f1"] as! Double) })
        // The 100% point is the plain cross-validation of the same options.
        #expect(result.stderrText.contains(String(format: "100%% (300 papers): macro-F1 %.4f", points.last!["macro_f1"] as! Double)))
        let svg = try SVGInspection(try scratch.read("curve/learning-curve.svg"))
        #expect(svg.classes["circle.point"] == points.count)
        #expect(FileManager.default.fileExists(atPath: scratch.path("m.model")))
    }

    @Test("with --grid, the learning curve measures the grid's choice, so its 100% point is the stored cross-validation")
    func learningCurveOfTheGridsChoice() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let data = try TrainedModels.subsetData()
        // One cell that differs from the defaults (C = 30, unigrams): the curve must use C = 1 and 2-grams.
        let result = try CLI.run(["train", "--data", data.path, "--grid", "--grid-values", "1", "--grid-ngrams", "2,2", "--cv", "2",
                                  "--learning-curve", scratch.path("curve"), "--output", scratch.path("m.model")])
        try #require(result.status == 0, CLI.describe(result))
        let json = try #require(try JSONSerialization.jsonObject(with: try scratch.read("curve/learning-curve.json")) as? [String: Any])
        let last = try #require((json["points"] as? [[String: Any]])?.last)
        #expect(last["fraction"] as? Double == 1.0)
        #expect(result.stderrText.contains(String(format: "cross-validated (2 folds, seed 0): accuracy %.4f, macro-F1 %.4f",
                                                  last["accuracy"] as! Double, last["macro_f1"] as! Double)), CLI.describe(result))
    }

    @Test("a training that fails writes neither the model nor the learning curve (the message says nothing was written)")
    func failedTrainingWritesNoCurve() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // One feature ("the", in every paper): the fit cannot move from its start.
        let result = try CLI.run(["train", "--data", try TrainedModels.subsetData().path, "--max-features", "1", "--cv", "2",
                                  "--learning-curve", scratch.path("curve"), "--output", scratch.path("m.model")])
        #expect(result.status == 1, CLI.describe(result))
        #expect(result.stderrText.contains("nothing was written"), CLI.describe(result))
        let left = try scratch.listing()
        #expect(left.isEmpty, "files left: \(left)")
    }
}
