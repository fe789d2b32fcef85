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

    @Flag(help: "Skip malformed JSON Lines records instead of stopping, and report how many.")
    var skipInvalid = false

    @Option(help: ArgumentHelp("Mark papers whose top calibrated probability is below P with \"abstained\": true.", valueName: "P"))
    var minConfidence: Double?

    @Option(help: "Papers classified together; larger batches are faster and use more memory.")
    var batchSize: Int = 2048

    @OptionGroup var progressOptions: ProgressOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if papers != nil && feed != nil { throw ValidationError("Give either --papers or --feed, not both.") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
        guard explainTerms >= 1 else { throw ValidationError("--explain-terms must be at least 1.") }
        try validateMinConfidence(minConfidence)
    }

    func run() throws {
        let profile = try profileOptions.loadIfPresent()
        let model = try modelOptions.loadModel(profile: profile)
        let minConfidence = self.minConfidence ?? profile?.minConfidence
        let sink = try LineSink(path: output.output)
        let throughput = progressOptions.line("classify")
        let started = Date()
        var classified = 0
        defer { if classified > 0 { throughput.finish("\(classified) papers") } }
        let classify: ([Paper]) throws -> Void = { batch in
            try sink.write(ClassificationLines.render(batch, model: model, explainTerms: explain ? explainTerms : nil, minConfidence: minConfidence))
            classified += batch.count
            throughput.update(String(format: "%d papers, %.0f papers/s", classified, Double(classified) / max(Date().timeIntervalSince(started), 1e-3)))
        }
        if let feed {
            let parsed = try AtomFeed.parse(readFile(URL(fileURLWithPath: feed)), source: feed)
            try classify(parsed.papers)
        } else {
            let options = PaperJSONLReader.Options(skipInvalidLines: skipInvalid)
            let reader = try papers.map { try PaperJSONLReader(contentsOf: URL(fileURLWithPath: $0), options: options) }
                ?? PaperJSONLReader.standardInput(options: options)
            var batch: [Paper] = []
            batch.reserveCapacity(batchSize)
            while let paper = try reader.next() {
                batch.append(paper)
                if batch.count == batchSize {
                    try classify(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try classify(batch) }
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
