import Evaluation
import Foundation
import LinearAlgebra
import ModelStore
import Testing
import TestSupport
@testable import TopicModel

@Suite("Calibrated topic model")
struct CalibrationHeldOutTests {
    /// 5-fold cross-validation on the shared training set; each fold's papers are judged with a
    /// temperature fitted on the other folds' out-of-fold scores, so neither the model nor the
    /// calibration saw them.
    @Test("a temperature fitted on the other folds lowers the ECE on held-out folds")
    func lowersHeldOutECE() throws {
        let corpus = try LabelledCorpus.load(files: [SharedData.url("datasets/topics/train.jsonl")], allowedLabels: ["hardware", "algorithms", "applications", "general"])
        let options = TrainingOptions()
        let crossValidation = try CrossValidation.run(corpus, options: options, folds: 5)
        let truth = corpus.labels.map { crossValidation.classes.firstIndex(of: $0)! }
        let folds = try StratifiedKFold.split(labels: corpus.labels, folds: 5, seed: options.seed)

        // Recompute both sides here, from the out-of-fold scores alone.
        var raw = crossValidation.outOfFoldScores
        for i in raw.values.indices { raw.values[i] = exp(raw.values[i]) }
        var calibrated = raw
        for fold in folds {
            let k = raw.columnCount
            let rows = { (indices: [Int]) in
                DenseMatrix(rowCount: indices.count, columnCount: k, values: indices.flatMap { crossValidation.outOfFoldScores.row($0) })
            }
            let temperature = TemperatureScaling.fit(scores: rows(fold.train), truth: fold.train.map { truth[$0] })
            let scaled = TemperatureScaling.probabilities(scores: rows(fold.test), temperature: temperature)
            for (row, index) in fold.test.enumerated() { for c in 0..<k { calibrated[index, c] = scaled[row, c] } }
        }
        let before = ReliabilityTable(probabilities: raw, truth: truth).expectedCalibrationError
        let after = ReliabilityTable(probabilities: calibrated, truth: truth).expectedCalibrationError
        #expect(after < before, "held-out ECE \(after) calibrated vs \(before) uncalibrated")
        #expect(crossValidation.uncalibratedReliability.expectedCalibrationError == before)
        #expect(abs(crossValidation.calibratedReliability.expectedCalibrationError - after) < 1e-12)
        // Calibration never changes a label.
        #expect(calibrated.rowArgmax() == raw.rowArgmax())
    }

    @Test("the temperature is stored in the model file; a file without it reads as uncalibrated")
    func storedInFile() throws {
        let corpus = try LabelledCorpus.load(
            files: [SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")], allowedLabels: ["hardware", "algorithms", "applications", "general"])
        var options = TrainingOptions()
        options.vectorizer.minDF = .count(1)
        var model = try TopicModel.train(corpus, options: options)
        let uncalibratedBytes = try model.encoded()
        #expect(try model.modelFile().section("temperature") == nil)
        model.adopt(try CrossValidation.run(corpus, options: options, folds: 2))
        #expect(model.temperature != 1)
        let reloaded = try TopicModel.decode(model.encoded())
        #expect(reloaded.temperature == model.temperature)
        #expect(reloaded.metadata.crossValidation?.temperature == model.temperature)
        #expect(try reloaded.predictProbabilities(corpus.papers) == model.predictProbabilities(corpus.papers))
        #expect(try TopicModel.decode(uncalibratedBytes).temperature == 1)

        // A sound file (its checksum recomputed) whose temperature or idf weights calibration and TF-IDF cannot
        // give: a huge T or idf would make every paper's probabilities equal, so it is refused, not used.
        let file = try model.modelFile()
        func replacing(_ section: String, with values: [Double]) throws -> Data {
            var bad = try ModelFile(headerJSON: file.headerJSON, fileName: "cal.model")
            for name in file.sectionNames where name != section { try bad.add(name, file.section(name)!) }
            try bad.add(section, .float64(values))
            return bad.encoded()
        }
        for temperature in [-2, 0, 1e300, 0.001] {
            #expect { try TopicModel.decode(replacing("temperature", with: [temperature]), fileName: "cal.model") } throws: {
                "\($0)".contains("cal.model") && "\($0)".contains("temperature holds \(temperature)")
            }
        }
        let idfCount = try file.doubles("idf").count
        for idf in [1e200, 0.5] {
            #expect { try TopicModel.decode(replacing("idf", with: [Double](repeating: idf, count: idfCount)), fileName: "cal.model") } throws: {
                "\($0)".contains("cal.model") && "\($0)".contains("idf weight \(idf) of column 0 is outside")
            }
        }
        // The model's own values pass the same checks.
        #expect(try TopicModel.decode(replacing("temperature", with: [model.temperature])).temperature == model.temperature)
    }
}
