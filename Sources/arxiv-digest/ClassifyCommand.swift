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

    @Option(help: ArgumentHelp("Papers in JSON Lines (default: standard input). Once: to classify several files, concatenate them (cat a b | classify).", valueName: "file.jsonl"))
    var papers: [String] = []

    @Option(help: ArgumentHelp("A saved arXiv API response (Atom XML). Once.", valueName: "file.xml"))
    var feed: [String] = []

    @Flag(help: "Add the terms that pushed each decision most (field \"explanation\").")
    var explain = false

    @Option(help: ArgumentHelp("How many terms --explain lists per paper, \(OptionRanges.text(OptionRanges.explainTerms))."))
    var explainTerms: Int = 5

    @Flag(help: "Skip malformed JSON Lines records instead of stopping, and report how many.")
    var skipInvalid = false

    @Option(help: ArgumentHelp("Mark papers whose top calibrated probability is below P with \"abstained\": true.", valueName: "P"))
    var minConfidence: Double?

    @Option(help: ArgumentHelp("Papers classified together, \(OptionRanges.text(OptionRanges.batchSize)); larger batches are faster and use more memory."))
    var batchSize: Int = 2048

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if !papers.isEmpty && !feed.isEmpty { throw ValidationError("Give either --papers or --feed, not both.") }
        // Repeats are refused rather than silently reduced to the last one.
        if papers.count > 1 { throw ValidationError("Give --papers once; to classify several files, concatenate them: cat \(papers.joined(separator: " ")) | arxiv-digest classify") }
        if feed.count > 1 { throw ValidationError("Give --feed once; classify each feed in its own run.") }
        try OptionRanges.check(batchSize, "--batch-size", in: OptionRanges.batchSize)
        try OptionRanges.check(explainTerms, "--explain-terms", in: OptionRanges.explainTerms)
        try validateMinConfidence(minConfidence)
    }

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        try output.check(inputs: .named("--model", [modelOptions.resolvedModelURL(profile: profile).path]) + .named("--papers", papers)
            + .named("--feed", feed))
        let model = try modelOptions.loadModel(profile: profile)
        let minConfidence = self.minConfidence ?? profile?.minConfidence
        let sink = try LineSink(path: output.file)
        let classify: ([Paper]) throws -> Void = { batch in
            try sink.write(ClassificationLines.render(batch, model: model, explainTerms: explain ? explainTerms : nil, minConfidence: minConfidence))
        }
        if let feed = feed.first {
            let parsed = try AtomFeed.parse(readFile(URL(fileURLWithPath: feed)), source: feed)
            try classify(parsed.papers)
        } else {
            let options = PaperJSONLReader.Options(skipInvalidLines: skipInvalid)
            let reader = try papers.first.map { path in
                try InputFile.check(path)
                return try PaperJSONLReader(contentsOf: URL(fileURLWithPath: path), options: options)
            } ?? PaperJSONLReader.standardInput(options: options)
            var validCount = 0
            var batch: [Paper] = []
            batch.reserveCapacity(batchSize)
            while let paper = try reader.next() {
                validCount += 1
                batch.append(paper)
                if batch.count == batchSize {
                    try classify(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try classify(batch) }
            if validCount == 0, reader.invalidLineCount > 0 {
                // Nothing valid at all is no "skip a few bad lines": most likely the wrong file. Nothing is written.
                throw CLIError("\(reader.source): all \(reader.invalidLineCount) line(s) are invalid, none could be classified (the first: \(reader.firstInvalidLine.map { "\($0)" } ?? "?")); nothing was written")
            }
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
        if let file { try file.write(data) } else { try StandardStreams.write(data) }
    }

    func finish() throws { try file?.commit() }
}

/// classify's output format: one JSON object per paper,
/// `{"id": …, "label": …, "probabilities": {class: p, …}, "abstained": true, "explanation": [{"term": …, "weight": …}, …]}`
/// (probabilities calibrated; `abstained` only below `--min-confidence`).
enum ClassificationLines {
    static func render(_ papers: [Paper], model: TopicModel, explainTerms: Int?, minConfidence: Double? = nil) throws -> Data {
        let probabilities = try model.predictProbabilities(papers)
        let classes = model.classes
        let labels = probabilities.rowArgmax().map { classes[$0] }
        let explanations = explainTerms.map { model.explain(papers, labels: labels, top: $0) }
        var out = ""
        for (row, paper) in papers.enumerated() {
            out += "{\"id\": " + jsonString(paper.id) + ", \"label\": " + jsonString(labels[row]) + ", \"probabilities\": {"
            out += classes.enumerated().map { c, name in jsonString(name) + ": " + jsonNumber(probabilities[row, c]) }
                .joined(separator: ", ")
            out += "}"
            if let minConfidence, probabilities.row(row).max()! < minConfidence { out += ", \"abstained\": true" }
            if let explanations {
                out += ", \"explanation\": ["
                out += explanations[row].map { "{\"term\": " + jsonString($0.term) + ", \"weight\": " + jsonNumber($0.weight) + "}" }
                    .joined(separator: ", ")
                out += "]"
            }
            out += "}\n"
        }
        return Data(out.utf8)
    }

    /// A JSON number with the fewest digits that read back as the same double.
    static func jsonNumber(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
