import Foundation
import Testing
import TestSupport

@Suite("train is deterministic")
struct TrainDeterminismTests {
    @Test("same data, options and seed: byte-identical model files (with --cv 3)")
    func sameSeedSameBytes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let data = try TrainedModels.subsetData()
        for name in ["a.model", "b.model"] {
            let result = try CLI.run(["train", "--data", data.path, "--cv", "3", "--seed", "7", "--output", scratch.path(name)])
            try #require(result.status == 0, CLI.describe(result))
            #expect(result.stderrText.contains("cross-validated (3 folds, seed 7)"), CLI.describe(result))
        }
        let first = try scratch.read("a.model")
        #expect(first.count > 1000)
        #expect(first == (try scratch.read("b.model")))
        #expect(try scratch.listing() == ["a.model", "b.model"])
    }

    @Test("a trained model classifies its own training records mostly right")
    func modelLearnsTrainingData() throws {
        let data = try TrainedModels.subsetData()
        let result = try CLI.run(["classify", "--papers", data.path, "--model", try TrainedModels.subset().path])
        try #require(result.status == 0, CLI.describe(result))
        let truth = try JSONLines.lines(of: try Data(contentsOf: data)).map { try JSONLines.object($0)["label"] as? String }
        let predicted = try JSONLines.lines(of: result.stdout).map { try JSONLines.object($0)["label"] as? String }
        try #require(predicted.count == truth.count)
        let correct = zip(truth, predicted).filter { $0 == $1 }.count
        #expect(Double(correct) / Double(truth.count) > 0.9, "training accuracy \(correct)/\(truth.count)")
    }
}
