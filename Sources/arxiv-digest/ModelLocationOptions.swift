import ArgumentParser
import Foundation
import TopicModel

/// `--model FILE`: the trained model to use, by default the shipped `Models/topics.model`.
struct ModelLocationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The trained model file (default: Models/topics.model, looked up from the current folder, then beside the program).", valueName: "file.model"))
    var model: String?

    /// Where the shipped model is found when `--model` is not given: `Models/topics.model` in the current
    /// folder, else in a folder above the executable (so `swift run` and `.build/…/arxiv-digest` both find it).
    func resolvedModelURL() -> URL {
        if let model { return URL(fileURLWithPath: model) }
        let relative = "Models/topics.model"
        let fileManager = FileManager.default
        let inCurrent = URL(fileURLWithPath: relative)
        if fileManager.fileExists(atPath: inCurrent.path) { return inCurrent }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(relative)
            if fileManager.fileExists(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return inCurrent
    }

    func loadModel() throws -> TopicModel {
        try TopicModel.read(from: resolvedModelURL())
    }
}
