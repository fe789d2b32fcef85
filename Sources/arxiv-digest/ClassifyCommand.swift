import ArgumentParser
import ArxivFeed
import AtomicFiles
import Classifiers
import Foundation
import LinearAlgebra
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

    @Option(parsing: .unconditional, help: ArgumentHelp("How many terms --explain lists per paper, \(OptionRanges.text(OptionRanges.explainTerms)) (default \(Self.defaultExplainTerms))."))
    var explainTerms: Int?
    static let defaultExplainTerms = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("How many class probabilities each line lists, most probable first (default: all for up to 10 classes, in the model's order; else 5).", valueName: "k"))
    var topK: Int?

    @Flag(help: "Add each paper's title (field \"title\").")
    var withTitle = false

    @Flag(help: "Skip malformed JSON Lines records instead of stopping, and report how many.")
    var skipInvalid = false

    @Flag(help: "Write an empty --output file when the input holds no papers; by default that is an error and an existing output file is kept (an upstream step that failed should not wipe earlier results).")
    var allowEmpty = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Mark papers whose top calibrated probability is below P with \"abstained\": true.", valueName: "P"))
    var minConfidence: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Papers classified together, \(OptionRanges.text(OptionRanges.batchSize)); larger batches are faster and use more memory."))
    var batchSize: Int = 4096

    @OptionGroup var progressOptions: ProgressOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try InputFile.refuseEmpty(papers, option: "--papers")
        try InputFile.refuseEmpty(feed, option: "--feed")
        if !papers.isEmpty && !feed.isEmpty { throw ValidationError("Give either --papers or --feed, not both.") }
        // Repeats are refused rather than silently reduced to the last one.
        if papers.count > 1 { throw ValidationError("Give --papers once; to classify several files, concatenate them: cat \(papers.joined(separator: " ")) | arxiv-digest classify") }
        if feed.count > 1 { throw ValidationError("Give --feed once; classify each feed in its own run.") }
        try OptionRanges.check(batchSize, "--batch-size", in: OptionRanges.batchSize)
        if let explainTerms {
            guard explain else { throw ValidationError("--explain-terms needs --explain.") }
            try OptionRanges.check(explainTerms, "--explain-terms", in: OptionRanges.explainTerms)
        }
        try validateMinConfidence(minConfidence)
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1.") }
    }

    /// Batches parsed ahead of the one being classified: enough to keep the parser busy while a
    /// 70-class model loads (~0.1 s), about 25 MB at the default batch size.
    static let readAhead = 4

    func run() throws {
        AllocatorTuning.keepLargeBlocks()
        let profile = try profileOptions.loadIfPresent()
        // Without --papers or --feed the papers come on standard input, which may be the output file itself
        // (`classify -o papers.jsonl < papers.jsonl`).
        let standardInput = papers.isEmpty && feed.isEmpty ? [OutputGuard.Input(option: "standard input", path: "/dev/stdin")] : []
        try output.check(inputs: modelOptions.inputs(profile: profile) + profileOptions.inputs(profile: profile) + .named("--papers", papers)
            + .named("--feed", feed) + standardInput)
        // The first batches are parsed while the model loads (a 70-class model takes ~0.1 s to read and
        // check). An unreadable input is still reported after a bad model, as before.
        let input: Result<(PaperJSONLReader, PrefetchingBatchReader), Error>? = feed.isEmpty ? Result {
            let options = PaperJSONLReader.Options(skipInvalidLines: skipInvalid)
            let reader = try papers.first.map { path in
                try InputFile.check(path)
                return try PaperJSONLReader(contentsOf: URL(fileURLWithPath: path), options: options)
            } ?? PaperJSONLReader.standardInput(options: options)
            let batches = PrefetchingBatchReader(reader: reader, batchSize: batchSize, depth: Self.readAhead)
            batches.start()
            return (reader, batches)
        } : nil
        let model = try modelOptions.loadModel(profile: profile)
        let minConfidence = self.minConfidence ?? profile?.minConfidence
        let sink = try LineSink(path: output.file)
        let writer = ClassificationWriter(classes: model.classes, topK: topK, withTitle: withTitle, minConfidence: minConfidence)
        let throughput = progressOptions.line("classify")
        let started = Date()
        var classified = 0  // counted on the output stage's thread; read after `lines.finish()`
        defer { if classified > 0 { throughput.finish("\(classified) papers") } }
        // Batch N is rendered and written while batch N + 1 is scored (and N + 2 parsed, below).
        let lines = BackgroundOutput()
        var buffers: [[UInt8]] = []  // the output stage's, reused batch after batch
        let classify: ([Paper]) throws -> Void = { batch in
            let scored = try ClassificationLines.score(batch, model: model, explainTerms: explain ? explainTerms ?? Self.defaultExplainTerms : nil)
            try lines.submit {
                scored.render(writer, into: &buffers)
                for chunk in buffers { try sink.write(chunk) }
                classified += batch.count
                throughput.update(String(format: "%d papers, %.0f papers/s", classified, Double(classified) / max(Date().timeIntervalSince(started), 1e-3)))
            }
        }
        // Whatever happens, the batches already scored are written before the run ends or reports an error.
        defer { try? lines.finish() }
        var readCount = 0
        if let feed = feed.first {
            let parsed = try AtomFeed.parse(readFile(URL(fileURLWithPath: feed), limit: .atomFeed), source: feed)
            readCount = parsed.papers.count
            try classify(parsed.papers)
        } else {
            // The next batches are parsed while this one is classified.
            let (reader, batches) = try input!.get()
            var validCount = 0
            while case let batch = try batches.next(), !batch.isEmpty {
                validCount += batch.count
                try classify(batch)
            }
            if validCount == 0, reader.invalidLineCount > 0 {
                // Nothing valid at all is no "skip a few bad lines": most likely the wrong file. Nothing is written.
                throw CLIError("\(reader.source): all \(reader.invalidLineCount) line(s) are invalid, none could be classified (the first: \(reader.firstInvalidLine.map { "\($0)" } ?? "?")); nothing was written")
            }
            if reader.invalidLineCount > 0 {
                logToStandardError("skipped \(reader.invalidLineCount) invalid line(s); the first: \(reader.firstInvalidLine.map { "\($0)" } ?? "?")")
            }
            readCount = validCount
        }
        if readCount == 0, let file = output.file, !allowEmpty {
            throw CLIError("no papers in the input; nothing is written and \(file) is kept as it was (--allow-empty writes an empty file)")
        }
        try lines.finish()
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

    /// Writes `bytes` without copying them into a `Data` first.
    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { raw in
            try write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!), count: raw.count, deallocator: .none))
        }
    }

    func finish() throws { try file?.commit() }
}

/// One batch of classify's output (the format is `ClassificationWriter`'s): scored, then rendered.
struct ClassificationLines {
    let papers: [Paper]
    let probabilities: DenseMatrix
    let labels: [Int]
    let explanations: [[TermContribution]]?

    static func score(_ papers: [Paper], model: TopicModel, explainTerms: Int?) throws -> ClassificationLines {
        let probabilities = try model.predictProbabilities(papers)
        let labels = probabilities.rowArgmax()
        let explanations = explainTerms.map { model.explain(papers, labels: labels.map { model.classes[$0] }, top: $0) }
        return ClassificationLines(papers: papers, probabilities: probabilities, labels: labels, explanations: explanations)
    }

    /// The lines, in pieces to write one after another (`pieces`' storage is reused).
    func render(_ writer: ClassificationWriter, into pieces: inout [[UInt8]]) {
        writer.lineChunks(papers: papers, probabilities: probabilities, labels: labels, explanations: explanations, into: &pieces)
    }
}
