import ArgumentParser
import ArxivFeed
import AtomicFiles
import Classifiers
import Foundation
import TopicModel

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Label papers with a model: one JSON line per paper with id, label and probabilities.",
        discussion: """
            Reads JSON Lines from --papers or standard input, or a saved Atom response from --feed. \
            Input is streamed in batches, so memory stays flat however long it is. A malformed line \
            stops the run with its line number, unless --skip-invalid is given: then it is skipped and \
            counted on standard error.
            Examples:
              arxiv-digest classify --papers Datasets/samples/labelled-papers.jsonl
              arxiv-digest fetch --max-results 100 | arxiv-digest classify --explain
            """
    )

    @OptionGroup var profileOptions: ProfileOptions
    @OptionGroup var modelOptions: ModelLocationOptions

    @Option(help: ArgumentHelp("Papers in JSON Lines (default: standard input).", valueName: "file.jsonl"))
    var papers: String?

    @Option(help: ArgumentHelp("A saved arXiv API response (Atom XML).", valueName: "file.xml"))
    var feed: String?

    @Flag(help: "Add the terms that pushed each decision most (field \"explanation\").")
    var explain = false

    @Option(help: "How many terms --explain lists per paper.")
    var explainTerms: Int = 5

    @Option(help: ArgumentHelp("How many class probabilities each line lists, most probable first (default: all for up to 10 classes, else 5).", valueName: "k"))
    var topK: Int?

    @Flag(help: "Add each paper's title (field \"title\").")
    var withTitle = false

    @Flag(help: "Skip malformed JSON Lines records instead of stopping, and report how many.")
    var skipInvalid = false

    @Option(help: ArgumentHelp("Mark papers whose top calibrated probability is below P with \"abstained\": true.", valueName: "P"))
    var minConfidence: Double?

    @Option(help: "Papers classified together; larger batches are faster and use more memory.")
    var batchSize: Int = 2048

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if papers != nil && feed != nil { throw ValidationError("Give either --papers or --feed, not both.") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
        guard explainTerms >= 1 else { throw ValidationError("--explain-terms must be at least 1.") }
        try validateMinConfidence(minConfidence)
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1.") }
    }

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        let model = try modelOptions.loadModel(profile: profile)
        let minConfidence = self.minConfidence ?? profile?.minConfidence
        let sink = try LineSink(path: output.output)
        let writer = ClassificationWriter(classes: model.classes, topK: topK, withTitle: withTitle, minConfidence: minConfidence)
        let classify: ([Paper]) throws -> Void = { batch in
            try sink.write(ClassificationLines.render(batch, model: model, writer: writer, explainTerms: explain ? explainTerms : nil))
        }
        if let feed {
            let parsed = try AtomFeed.parse(readFile(URL(fileURLWithPath: feed)), source: feed)
            try classify(parsed.papers)
        } else {
            let options = PaperJSONLReader.Options(skipInvalidLines: skipInvalid)
            let reader = try papers.map { try PaperJSONLReader(contentsOf: URL(fileURLWithPath: $0), options: options) }
                ?? PaperJSONLReader.standardInput(options: options)
            // The next batch is parsed while this one is classified.
            let batches = PrefetchingBatchReader(reader: reader, batchSize: batchSize)
            while case let batch = try batches.next(), !batch.isEmpty { try classify(batch) }
            if reader.invalidLineCount > 0 {
                logToStandardError("skipped \(reader.invalidLineCount) invalid line(s); the first: \(reader.firstInvalidLine.map { "\($0)" } ?? "?")")
            }
        }
        try sink.finish()
    }
}

/// Where classify's lines go: standard output as they come, or a file that appears (atomically)
/// only when the run succeeds.
final class LineSink {
    private let file: AtomicFileWriter?

    init(path: String?) throws {
        file = try path.map { try AtomicFileWriter(replacing: URL(fileURLWithPath: $0)) }
    }

    func write(_ data: Data) throws {
        if let file { try file.write(data) } else { FileHandle.standardOutput.write(data) }
    }

    func finish() throws { try file?.commit() }
}

/// One batch of classify's output (the format is `ClassificationWriter`'s).
enum ClassificationLines {
    static func render(_ papers: [Paper], model: TopicModel, writer: ClassificationWriter, explainTerms: Int?) throws -> Data {
        let probabilities = try model.predictProbabilities(papers)
        let labels = probabilities.rowArgmax()
        let explanations = explainTerms.map { model.explain(papers, labels: labels.map { model.classes[$0] }, top: $0) }
        return Data(writer.lines(papers: papers, probabilities: probabilities, labels: labels, explanations: explanations))
    }
}
