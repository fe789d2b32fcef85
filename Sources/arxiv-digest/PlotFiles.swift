import AtomicFiles
import Evaluation
import Foundation
import SentenceEncoder
import TopicModel

/// The folder a command writes named plot files into (`evaluate --plots`, `train --learning-curve`),
/// checked before any work, like `--output`.
enum PlotFolder {
    /// The paths of `names` in `folder`, once checked: the folder is a folder or a new name, and each file
    /// can be written and is none of `inputs`.
    static func check(_ folder: String, option: String, names: [String], inputs: [OutputGuard.Input]) throws -> [String] {
        guard !folder.isEmpty else { throw CLIError("\(option) is empty; give a folder") }
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
        if exists, !isFolder.boolValue { throw CLIError("\(option) \(folder) is a file, not a folder; give a folder (it is created when missing)") }
        if !exists {
            do { try OutputPath.checkFolderCanBeCreated(folder) } catch { throw CLIError("\(option) \(error)") }
        }
        let paths = names.map { URL(fileURLWithPath: folder).appendingPathComponent($0).path }
        for path in paths {
            // In a folder still to be created every file is new; in an existing one each must be writable.
            if exists { try OutputGuard.check(path, option: option, inputs: inputs, standardOutputAllowed: false) } else { try OutputGuard.refuseInputs(.init(option: option, path: path), inputs: inputs) }
        }
        return paths
    }
}

/// `train --learning-curve DIR`: the curve as JSON and SVG.
enum LearningCurveFiles {
    static let names = ["learning-curve.json", "learning-curve.svg"]
}

/// The learning curve's files in `folder` (JSON and SVG), measured now and written by the caller together with
/// the model, so that a training that fails leaves neither.
func learningCurveFiles(corpus: LabelledCorpus, options: TrainingOptions, folds: Int, encoder sentenceEncoder: SentenceEncoder?,
                        in folder: String) throws -> [(url: URL, data: Data)] {
    let bar = ProgressBar("learning curve")
    let points = try LearningCurve.run(corpus, options: options, folds: folds, encoder: sentenceEncoder, progress: bar.update)
    struct PointJSON: Encodable {
        let fraction: Double, papers: Int, accuracy: Double, macro_f1: Double
    }
    struct CurveJSON: Encodable {
        let folds: Int, seed: UInt64, points: [PointJSON]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = try encoder.encode(CurveJSON(folds: folds, seed: options.seed, points: points.map {
        PointJSON(fraction: $0.fraction, papers: $0.papers, accuracy: $0.accuracy, macro_f1: $0.macroF1)
    }))
    let directory = URL(fileURLWithPath: folder, isDirectory: true)
    let svg = SVGPlots.learningCurve(points: points.map { ($0.papers, $0.macroF1) })
    for fraction in LearningCurve.defaultFractions where !points.contains(where: { $0.fraction == fraction }) {
        logToStandardError(String(format: "learning curve: %.0f%% skipped: a class would have too few papers to cross-validate with %d folds", fraction * 100, folds))
    }
    for point in points {
        logToStandardError(String(format: "learning curve: %3.0f%% (%d papers): macro-F1 %.4f, accuracy %.4f", point.fraction * 100, point.papers, point.macroF1, point.accuracy))
    }
    return [(directory.appendingPathComponent(LearningCurveFiles.names[0]), json + Data("\n".utf8)),
            (directory.appendingPathComponent(LearningCurveFiles.names[1]), Data(svg.utf8))]
}
